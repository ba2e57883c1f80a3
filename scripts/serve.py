"""Serve the built site like a production static host: right types, cache headers, a strict CSP, optional gzip.

``python scripts/serve.py [--host 127.0.0.1] [--port 8000] [--no-csp] [--gzip] [site]``

Tests import it: ``server = make_server(root, "127.0.0.1", 0)``, then ``server.serve_forever()`` in a thread,
``server.server_address[1]`` for the port, ``server.shutdown(); server.server_close()`` at the end.

Headers (the contract a real host should copy, documented for deployment):

* ``/pyodide/<version>/…`` is named by version (runtime) or by content (wheels), so it is cached for a year as
  ``immutable``; its ``pyodide-lock.json`` names the current wheels and is revalidated (``no-cache``) instead.
* HTML and every other file: ``no-cache`` (the browser revalidates with If-Modified-Since and gets a 304).
* ``Content-Security-Policy`` (:data:`CSP`): scripts only from the site, plus ``'wasm-unsafe-eval'`` so
  WebAssembly can compile; no inline scripts. The DNS check page (``/tools/dns-check/``) fetches from the DoH
  resolvers it names, which are other origins: a deployment adds each one to ``connect-src``
  (:data:`DOH_ORIGINS` lists the page's defaults; ``--connect-src ORIGIN``, repeatable, or
  ``make_server(..., connect_src=(...))``); without them the page reports every resolver as a network error.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import http.server
import os
import re
import sys
import threading
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import Any

__all__ = [
    "CSP",
    "DOH_ORIGINS",
    "IMMUTABLE",
    "REVALIDATE",
    "SiteRequestHandler",
    "cache_control",
    "csp_header",
    "main",
    "make_server",
]

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# The DoH resolvers the DNS check page offers by default (checklist_app.webdns.DEFAULT_RESOLVERS): what a
# production host adds to connect-src.
DOH_ORIGINS = (
    "https://dns.google",
    "https://cloudflare-dns.com",
    "https://dns.quad9.net",
    "https://public.dns.iij.jp",
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

# A version folder under /pyodide/: 314.0.7, 0.27.0a1, …
_VERSIONED = re.compile(r"^/pyodide/\d+(\.\d+)*[a-z0-9.]*/")
# Types worth compressing; wheels and python_stdlib.zip are zip files already.
_COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|wasm|xml|manifest\+json)|image/svg\+xml)")
_GZIP_CACHE_ENTRIES = 64
# Content types a static host should send; .wasm must be application/wasm for streaming compilation.
_TYPES = {
    **http.server.SimpleHTTPRequestHandler.extensions_map,
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".mobileconfig": "application/x-apple-aspen-config",
    ".webmanifest": "application/manifest+json",
}


def cache_control(url_path: str) -> str:
    """The Cache-Control value for a request path (query string already removed)."""
    if _VERSIONED.match(url_path) and not url_path.endswith("/pyodide-lock.json"):
        return IMMUTABLE
    return REVALIDATE


def csp_header(connect_src: tuple[str, ...] = ()) -> str:
    """:data:`CSP` with extra ``connect-src`` origins (e.g. DoH resolvers); each must be a bare origin."""
    for origin in connect_src:
        if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", origin):
            raise ValueError(f"not an origin for connect-src: {origin!r} (give scheme://host[:port])")
    if not connect_src:
        return CSP
    return CSP.replace("connect-src 'self'", "connect-src 'self' " + " ".join(connect_src))


class _GzipCache:
    """Compressed bodies keyed by (path, mtime, size): compress each file once per change, not per request."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: str, stat: os.stat_result) -> bytes:
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), compresslevel=6, mtime=0)
        with self._lock:
            self._entries[key] = body
            while len(self._entries) > _GZIP_CACHE_ENTRIES:
                self._entries.popitem(last=False)
        return body


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with production-like headers; no directory listings; Material's 404 page on a miss."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real hosts and browsers use

    def __init__(self, *args: Any, csp: bool, gzip_enabled: bool, quiet: bool, gzip_cache: _GzipCache,
                 csp_value: str = CSP, **kwargs: Any) -> None:  # fmt: skip
        self.extensions_map = dict(_TYPES)
        self.csp = csp
        self.csp_value = csp_value
        self.gzip_enabled = gzip_enabled
        self.quiet = quiet
        self.gzip_cache = gzip_cache
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        """Add the security and cache headers to every response."""
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        self.send_header("Cache-Control", cache_control(url_path))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp_value)
        super().end_headers()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """Static hosts do not list folders: a folder without index.html is a 404."""
        self.send_error(404, "File not found")
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Serve the site's own 404.html (as a static host would) instead of Python's error page."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_head(self) -> Any:
        """Like the base class, plus gzip (a precompressed ``file.gz`` or compressed on the fly) when enabled."""
        if not self.gzip_enabled or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        content_type = self.guess_type(path)
        if not os.path.isfile(path) or not _COMPRESSIBLE.match(content_type):
            return super().send_head()
        stat = os.stat(path)
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return None
        precompressed = path + ".gz"
        if os.path.isfile(precompressed) and os.stat(precompressed).st_mtime >= stat.st_mtime:
            body = Path(precompressed).read_bytes()
        else:
            body = self.gzip_cache.get(path, stat)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", modified)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def log_message(self, format: str, *args: Any) -> None:  # `format` shadows a builtin: the base class names it so
        """Access log on stderr unless quiet (tests)."""
        if not self.quiet:
            super().log_message(format, *args)


def make_server(
    root: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    csp: bool = True,
    gzip_enabled: bool = False,
    quiet: bool = True,
    connect_src: tuple[str, ...] = (),
) -> http.server.ThreadingHTTPServer:
    """A threading HTTP server for ``root`` (port 0 picks a free port); call ``serve_forever()`` to run it.

    ``connect_src``: extra origins the pages may fetch from (the DoH resolvers of the DNS check page).
    """
    directory = Path(root).resolve()
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a folder: build the site first (make build)")
    handler = partial(
        SiteRequestHandler,
        directory=str(directory),
        csp=csp,
        gzip_enabled=gzip_enabled,
        quiet=quiet,
        gzip_cache=_GzipCache(),
        csp_value=csp_header(tuple(connect_src)),
    )
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Serve the built site with production-like headers.")
    parser.add_argument("root", nargs="?", default="site", help="folder to serve (default: site)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--csp", action=argparse.BooleanOptionalAction, default=True,
                        help="send the Content-Security-Policy header (default: on)")  # fmt: skip
    parser.add_argument("--gzip", action="store_true", help="gzip text, JS, JSON and wasm responses")
    parser.add_argument("--quiet", action="store_true", help="no access log")
    parser.add_argument("--connect-src", action="append", default=[], metavar="ORIGIN",
                        help="an extra origin pages may fetch from, e.g. a DoH resolver (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        server = make_server(args.root, args.host, args.port, csp=args.csp, gzip_enabled=args.gzip, quiet=args.quiet,
                             connect_src=tuple(args.connect_src))  # fmt: skip
    except (FileNotFoundError, OSError, ValueError) as error:
        print(f"serve: {error}", file=sys.stderr)
        return 1
    host, port = str(server.server_address[0]), int(server.server_address[1])
    print(f"Serving {Path(args.root).resolve()} on http://{host}:{port}/ (CSP {'on' if args.csp else 'off'}, "
          f"gzip {'on' if args.gzip else 'off'}); Ctrl+C stops", flush=True)  # fmt: skip
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
