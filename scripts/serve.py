"""Serve the built site like a production static host: right types, cache headers, a strict CSP, compression.

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
* Compression (``--gzip``, ``make_server(..., gzip_enabled=True)``; the benchmark and the browser tests use it):
  content negotiation on ``Accept-Encoding``. ``scripts/precompress.py`` (run by ``make build``) writes
  ``file.br`` and ``file.gz`` beside each text or wasm file; the server sends the best variant the client accepts
  (br, then gzip, by q-value then in that order) under the original URL, with the original ``Content-Type``,
  ``Content-Encoding``, the variant's ``Content-Length`` and ``Vary: Accept-Encoding`` (also on the identity
  answer). Without a variant, text and wasm are gzipped on the fly. Zip files without a variant
  (``python_stdlib.zip``) and images go as they are. The variants have no URL of their own: ``/x.js.br`` is a 404
  (a production host: nginx ``brotli_static on; gzip_static on;`` plus a rule refusing the variant names, or Caddy
  ``precompressed br gzip``).
"""

from __future__ import annotations

import argparse
import datetime
import email.utils
import gzip
import http.server
import io
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
    "accepted_encodings",
    "cache_control",
    "choose_encoding",
    "csp_header",
    "main",
    "make_server",
]

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# The DoH resolvers the DNS check page offers by default (checklist_app.tools.dnscheck.DEFAULT_RESOLVERS): what a
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
# Encodings with a precompressed variant (scripts/precompress.py), in the server's order of preference.
_VARIANTS = (("br", ".br"), ("gzip", ".gz"))
# Files MkDocs publishes under a .gz name of their own: not variants, so they keep their URL.
_PUBLISHED_GZ = frozenset({"sitemap.xml.gz"})
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


def accepted_encodings(header: str | None) -> dict[str, float]:
    """``Accept-Encoding`` as ``{coding: q}`` (lower-case codings; a malformed q counts as 0)."""
    accepted: dict[str, float] = {}
    for item in (header or "").split(","):
        coding, _, params = item.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        accepted[coding] = weight
    return accepted


def choose_encoding(header: str | None, available: tuple[str, ...]) -> str | None:
    """The coding of ``available`` (server order) the client accepts best; None: send the identity."""
    accepted = accepted_encodings(header)
    best: tuple[float, int] | None = None
    choice = None
    for rank, coding in enumerate(available):
        weight = accepted.get(coding, accepted.get("*", 0.0))
        if weight > 0 and (best is None or (weight, -rank) > best):
            best, choice = (weight, -rank), coding
    return choice


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

    def _variant_request(self, path: str) -> bool:
        """A request for ``x.br`` / ``x.gz`` beside an existing ``x``: variants have no URL of their own."""
        name = os.path.basename(path)
        if not name.endswith((".br", ".gz")) or name in _PUBLISHED_GZ:
            return False
        return os.path.isfile(path[:-3]) and os.path.isfile(path)

    def _negotiate(self, path: str, stat: os.stat_result) -> tuple[str | None, Any, int] | None:
        """``(coding, body file, length)`` for ``path`` by Accept-Encoding; None when it is not negotiable."""
        content_type = self.guess_type(path)
        available = []
        for coding, suffix in _VARIANTS:
            variant = path + suffix
            if os.path.isfile(variant) and os.stat(variant).st_mtime_ns >= stat.st_mtime_ns:
                available.append(coding)
        on_the_fly = "gzip" not in available and bool(_COMPRESSIBLE.match(content_type))
        if not available and not on_the_fly:
            return None
        offered = (*available, "gzip") if on_the_fly else tuple(available)
        coding = choose_encoding(self.headers.get("Accept-Encoding"), offered)
        if coding is None:
            return None, open(path, "rb"), stat.st_size  # closed by the caller
        if coding in available:
            variant = path + dict(_VARIANTS)[coding]
            body = open(variant, "rb")  # noqa: SIM115
            return coding, body, os.fstat(body.fileno()).st_size
        compressed = self.gzip_cache.get(path, stat)
        return coding, io.BytesIO(compressed), len(compressed)

    def _not_modified(self, stat: os.stat_result) -> bool:
        """If-Modified-Since (without If-None-Match) at or after the file's time, as the base class decides."""
        since = self.headers.get("If-Modified-Since")
        if not since or "If-None-Match" in self.headers:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, IndexError, OverflowError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        modified = datetime.datetime.fromtimestamp(int(stat.st_mtime), datetime.UTC)
        return modified <= when

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Serve the site's own 404.html (as a static host would) instead of Python's error page."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        negotiated = self._negotiate(str(page), page.stat()) if self.gzip_enabled else None
        coding, body, length = negotiated or (None, open(page, "rb"), page.stat().st_size)  # noqa: SIM115
        with body:
            self.send_response(404, message)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if coding:
                self.send_header("Content-Encoding", coding)
            if negotiated:
                self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if self.command != "HEAD":
                self.copyfile(body, self.wfile)

    def send_head(self) -> Any:
        """Like the base class, plus content negotiation (precompressed br/gzip, else gzip on the fly) when enabled."""
        path = self.translate_path(self.path)
        if self._variant_request(path):
            self.send_error(404, "File not found")
            return None
        if not self.gzip_enabled:
            return super().send_head()
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects to the folder's URL
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()
        stat = os.stat(path)
        negotiated = self._negotiate(path, stat)
        if negotiated is None:
            return super().send_head()
        coding, body, length = negotiated
        if self._not_modified(stat):
            body.close()
            self.send_response(304)
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(length))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.end_headers()
        return body

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
    handler_class: type[SiteRequestHandler] | None = None,
) -> http.server.ThreadingHTTPServer:
    """A threading HTTP server for ``root`` (port 0 picks a free port); call ``serve_forever()`` to run it.

    ``connect_src``: extra origins the pages may fetch from (the DoH resolvers of the DNS check page).
    ``handler_class``: a subclass of :class:`SiteRequestHandler` (tests/engines adds its in-page probe with one).
    """
    directory = Path(root).resolve()
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a folder: build the site first (make build)")
    handler = partial(
        handler_class or SiteRequestHandler,
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
    parser.add_argument("--gzip", action="store_true",
                        help="compress: .br/.gz variants by Accept-Encoding, else gzip text and wasm")  # fmt: skip
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
          f"compression {'on' if args.gzip else 'off'}); Ctrl+C stops", flush=True)  # fmt: skip
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
