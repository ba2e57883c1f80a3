"""scripts/serve.py: the static server `make serve` and the browser tests use, with production-like headers."""

from __future__ import annotations

import gzip
import http.client
import importlib.util
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from .sitelib import REPO

pytestmark = pytest.mark.site


def _load_serve() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve", REPO / "scripts" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


serve = _load_serve()
WASM = b"\0asm" + bytes(range(256)) * 64


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny site: a page, a 404 page, a versioned runtime folder and a wheel."""
    site = tmp_path_factory.mktemp("served")
    (site / "index.html").write_text("<!doctype html><title>トップ</title>" + "x" * 2000, encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>not here</title>", encoding="utf-8")
    (site / "assets").mkdir()
    runtime = site / "pyodide" / "314.0.7"
    (runtime / "wheels").mkdir(parents=True)
    (runtime / "pyodide.asm.wasm").write_bytes(WASM)
    (runtime / "pyodide.mjs").write_text("export const v = 1;\n", encoding="utf-8")
    (runtime / "pyodide-lock.json").write_text('{"packages": {}}', encoding="utf-8")
    (runtime / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04" + b"z" * 500)
    return site


def _start(root: Path, **options: bool) -> Iterator[int]:
    server = serve.make_server(root, "127.0.0.1", 0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def port(root: Path) -> Iterator[int]:
    """The server with its defaults (CSP on, gzip off) on a free loopback port."""
    yield from _start(root)


@pytest.fixture(scope="module")
def gzip_port(root: Path) -> Iterator[int]:
    """The server with --gzip and --no-csp."""
    yield from _start(root, gzip_enabled=True, csp=False)


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_wasm_is_served_as_application_wasm(port: int) -> None:
    """.wasm gets application/wasm, which streaming compilation requires."""
    assert _get(port, "/pyodide/314.0.7/pyodide.asm.wasm")[1]["content-type"] == "application/wasm"


def test_mjs_is_served_as_javascript(port: int) -> None:
    """.mjs gets a JavaScript type, which module workers require."""
    assert _get(port, "/pyodide/314.0.7/pyodide.mjs")[1]["content-type"].startswith("text/javascript")


def test_versioned_runtime_is_immutable(port: int) -> None:
    """Files under /pyodide/<version>/ are cached for a year as immutable."""
    assert _get(port, "/pyodide/314.0.7/wheels/a-1.0-py3-none-any.whl")[1]["cache-control"] == serve.IMMUTABLE


def test_lock_file_is_revalidated(port: int) -> None:
    """pyodide-lock.json names the current wheels, so it is never cached without revalidation."""
    assert _get(port, "/pyodide/314.0.7/pyodide-lock.json")[1]["cache-control"] == "no-cache"


def test_html_is_revalidated(port: int) -> None:
    """Pages are served with no-cache so a new build shows at once."""
    assert _get(port, "/")[1]["cache-control"] == "no-cache"


def test_csp_header_is_sent_by_default(port: int) -> None:
    """Every response carries the documented Content-Security-Policy."""
    assert _get(port, "/")[1]["content-security-policy"] == serve.CSP


def test_csp_allows_no_inline_script() -> None:
    """The policy's script-src is the site itself plus WebAssembly compilation, nothing inline."""
    script_src = next(d for d in serve.CSP.split("; ") if d.startswith("script-src "))
    assert script_src == "script-src 'self' 'wasm-unsafe-eval'"


def test_no_csp_option_drops_the_header(gzip_port: int) -> None:
    """csp=False (--no-csp) serves without the policy."""
    assert "content-security-policy" not in _get(gzip_port, "/")[1]


def test_gzip_serves_the_same_bytes_compressed(gzip_port: int) -> None:
    """With gzip on, wasm comes gzip-encoded and decompresses to the file's bytes."""
    status, headers, body = _get(gzip_port, "/pyodide/314.0.7/pyodide.asm.wasm", {"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"], gzip.decompress(body)) == (200, "gzip", WASM)


def test_gzip_skips_zip_files(gzip_port: int) -> None:
    """Wheels are zip files already: they are sent as they are."""
    headers = _get(gzip_port, "/pyodide/314.0.7/wheels/a-1.0-py3-none-any.whl", {"Accept-Encoding": "gzip"})[1]
    assert "content-encoding" not in headers


def test_gzip_only_when_the_client_accepts_it(gzip_port: int) -> None:
    """A client that does not send Accept-Encoding: gzip gets the plain file."""
    status, headers, body = _get(gzip_port, "/pyodide/314.0.7/pyodide.asm.wasm")
    assert (status, "content-encoding" in headers, body) == (200, False, WASM)


def test_missing_page_gets_the_site_404_page(port: int) -> None:
    """A miss answers 404 with the site's own 404.html, as static hosts do."""
    status, _, body = _get(port, "/no/such/page/")
    assert (status, b"not here" in body) == (404, True)


def test_folders_are_not_listed(port: int) -> None:
    """A folder without index.html is a 404, not a directory listing."""
    assert _get(port, "/pyodide/314.0.7/")[0] == 404
