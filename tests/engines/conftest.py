"""Fixtures for the cross-engine walk: the built site behind a server that adds the probe, and one engine a test.

The site and the Playwright driver come from tests/browser/conftest.py (``NC_SITE_DIR`` or a build of its own).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import REPO, site_root  # noqa: F401  (the fixture used here)
from tests.engines.drivers import ENGINES, PROBE_JS, PROBE_PATH, Engine

from serve import SiteRequestHandler, make_server  # isort: skip  (scripts/ is put on sys.path by tests.browser)

__all__ = ["REPO"]


class ProbeHandler(SiteRequestHandler):
    """The site as served in production (same headers, strict CSP), with the probe first in every page's head."""

    def send_head(self) -> Any:
        """Serve the probe itself, or an HTML page with ``<script src=PROBE_PATH>`` right after ``<head>``."""
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        if url_path == PROBE_PATH:
            return self._bytes(PROBE_JS.encode(), "text/javascript; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir() and url_path.endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_bytes()
            tag = f'<script src="{PROBE_PATH}"></script>'.encode()
            head = html.find(b"<head>")
            if head >= 0:
                html = html[: head + 6] + tag + html[head + 6 :]
            return self._bytes(html, "text/html; charset=utf-8")
        return super().send_head()

    def _bytes(self, body: bytes, content_type: str) -> io.BytesIO:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="session")
def probe_url(site_root: Path) -> Iterator[str]:  # noqa: F811  (the fixture imported above)
    """http://127.0.0.1:PORT/ serving the site with the production headers and the probe."""
    server = make_server(site_root, "127.0.0.1", 0, handler_class=ProbeHandler)
    server.handle_error = lambda request, address: None  # a page closed mid-download is not an error here
    thread = threading.Thread(target=server.serve_forever, name="engines-site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh profile of the engine named by the test's parameter, quit after the test."""
    name = request.param
    playwright = request.getfixturevalue("playwright_instance") if name == "chromium" else None
    profile = tmp_path / f"{name}-profile"
    profile.mkdir()
    instance = ENGINES[name](profile, playwright)
    yield instance
    instance.quit()
