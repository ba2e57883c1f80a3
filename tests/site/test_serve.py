"""scripts/serve.py: the static server `make serve` and the browser tests use, with production-like headers."""

from __future__ import annotations

import gzip
import http.client
import importlib.util
import os
import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import brotli
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


# --- content negotiation with precompressed variants (scripts/precompress.py) ------------------------------

PAGE = ("<!doctype html><title>手順</title>" + "<p>メールの移行</p>" * 300).encode()


@pytest.fixture(scope="module")
def variant_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny site with .br/.gz variants written by scripts/precompress.py, plus mkdocs' own sitemap.xml.gz."""
    spec = importlib.util.spec_from_file_location("precompress", REPO / "scripts" / "precompress.py")
    assert spec is not None and spec.loader is not None
    precompress = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = precompress
    spec.loader.exec_module(precompress)
    site = tmp_path_factory.mktemp("variants")
    (site / "index.html").write_bytes(PAGE)
    (site / "404.html").write_bytes(b"<!doctype html><title>not here</title>" + b"<p>missing</p>" * 200)
    (site / "sitemap.xml").write_text("<urlset></urlset>" * 40, encoding="utf-8")
    runtime = site / "pyodide" / "314.0.7"
    (runtime / "wheels").mkdir(parents=True)
    (runtime / "pyodide.asm.wasm").write_bytes(WASM)
    (runtime / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04" + PAGE)  # stored entries: compressible
    (runtime / "wheels" / "b-1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04" + random.Random(3).randbytes(5000))
    precompress.precompress(site, None, jobs=1)
    (site / "sitemap.xml.gz").write_bytes(gzip.compress((site / "sitemap.xml").read_bytes()))
    assert (site / "index.html.br").is_file() and (site / "pyodide/314.0.7/pyodide.asm.wasm.br").is_file()
    return site


@pytest.fixture(scope="module")
def variant_port(variant_root: Path) -> Iterator[int]:
    """The server with compression on, over the precompressed site."""
    yield from _start(variant_root, gzip_enabled=True)


BR_AND_GZIP = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends, also to http://127.0.0.1


def _request(port: int, method: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_brotli_preferred_and_decodes_to_the_file(variant_port: int, variant_root: Path) -> None:
    """A client accepting br and gzip gets the br variant, which decodes to exactly the file's bytes."""
    status, headers, body = _get(variant_port, "/pyodide/314.0.7/pyodide.asm.wasm", BR_AND_GZIP)
    assert (status, headers["content-encoding"], brotli.decompress(body)) == (200, "br", WASM)


def test_negotiated_response_keeps_the_original_type(variant_port: int) -> None:
    """The br variant of the wasm is still application/wasm (streaming compilation needs it)."""
    assert _get(variant_port, "/pyodide/314.0.7/pyodide.asm.wasm", BR_AND_GZIP)[1]["content-type"] == "application/wasm"


def test_negotiated_content_length_is_the_variant_size(variant_port: int, variant_root: Path) -> None:
    """Content-Length is the size of the bytes sent, the variant's."""
    _, headers, body = _get(variant_port, "/", BR_AND_GZIP)
    assert int(headers["content-length"]) == len(body) == (variant_root / "index.html.br").stat().st_size


def test_gzip_variant_when_br_is_not_accepted(variant_port: int) -> None:
    """A gzip-only client gets the .gz variant, decoding to the page."""
    status, headers, body = _get(variant_port, "/", {"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"], gzip.decompress(body)) == (200, "gzip", PAGE)


def test_br_refused_with_q_zero_gets_gzip(variant_port: int) -> None:
    """br;q=0 means not acceptable: the server falls back to gzip."""
    assert _get(variant_port, "/", {"Accept-Encoding": "br;q=0, gzip"})[1]["content-encoding"] == "gzip"


def test_identity_when_nothing_is_accepted(variant_port: int) -> None:
    """Without Accept-Encoding the plain file goes out, with Vary so caches keep the versions apart."""
    status, headers, body = _get(variant_port, "/")
    assert (status, "content-encoding" in headers, headers["vary"], body) == (200, False, "Accept-Encoding", PAGE)


def test_vary_on_negotiated_responses(variant_port: int) -> None:
    """Compressed answers carry Vary: Accept-Encoding."""
    assert _get(variant_port, "/", BR_AND_GZIP)[1]["vary"] == "Accept-Encoding"


def test_head_has_the_get_headers_and_no_body(variant_port: int) -> None:
    """HEAD answers the negotiated headers (encoding, length) without a body."""
    _, get_headers, _ = _get(variant_port, "/", BR_AND_GZIP)
    status, headers, body = _request(variant_port, "HEAD", "/", BR_AND_GZIP)
    keys = ("content-encoding", "content-length", "content-type", "vary")
    assert (status, body, [headers[k] for k in keys]) == (200, b"", [get_headers[k] for k in keys])


def test_revalidation_gets_304_with_vary(variant_port: int) -> None:
    """If-Modified-Since with the file's Last-Modified is answered 304, still with Vary."""
    modified = _get(variant_port, "/", BR_AND_GZIP)[1]["last-modified"]
    status, headers, body = _get(variant_port, "/", {**BR_AND_GZIP, "If-Modified-Since": modified})
    assert (status, headers.get("vary"), body) == (304, "Accept-Encoding", b"")


def test_a_stored_wheel_goes_brotli_and_a_deflated_one_as_it_is(variant_port: int, variant_root: Path) -> None:
    """Wheels are built with stored entries (scripts/build_pyodide.py): their br variant is sent and decodes to the
    wheel itself; a wheel that does not compress (deflated entries) has no variant and is never compressed on the fly."""
    wheels = variant_root / "pyodide/314.0.7/wheels"
    status, headers, body = _get(variant_port, "/pyodide/314.0.7/wheels/a-1.0-py3-none-any.whl", BR_AND_GZIP)
    assert (status, headers.get("content-encoding")) == (200, "br")
    assert brotli.decompress(body) == (wheels / "a-1.0-py3-none-any.whl").read_bytes()
    status, headers, body = _get(variant_port, "/pyodide/314.0.7/wheels/b-1.0-py3-none-any.whl", BR_AND_GZIP)
    assert (status, "content-encoding" in headers, body) == (200, False, (wheels / "b-1.0-py3-none-any.whl").read_bytes())


@pytest.mark.parametrize("path", ["/index.html.br", "/index.html.gz", "/pyodide/314.0.7/pyodide.asm.wasm.br"])
def test_variants_have_no_url_of_their_own(variant_port: int, path: str) -> None:
    """/x.br and /x.gz are 404s: a variant is reached only through negotiation."""
    assert _get(variant_port, path, BR_AND_GZIP)[0] == 404


def test_mkdocs_sitemap_gz_keeps_its_url(variant_port: int, variant_root: Path) -> None:
    """sitemap.xml.gz is a file MkDocs publishes, not a variant: it is served."""
    status, _, body = _get(variant_port, "/sitemap.xml.gz")
    assert (status, body) == (200, (variant_root / "sitemap.xml.gz").read_bytes())


def test_stale_variant_is_not_served(variant_root: Path, tmp_path: Path) -> None:
    """A variant older than its file (the file was rebuilt) is ignored: the current bytes go out."""
    site = tmp_path / "stale"
    site.mkdir()
    (site / "app.js").write_bytes(b"new();" * 100)
    (site / "app.js.br").write_bytes(brotli.compress(b"old();" * 100))
    os.utime(site / "app.js.br", (1_000_000, 1_000_000))
    for port in _start(site, gzip_enabled=True):
        _, headers, body = _get(port, "/app.js", BR_AND_GZIP)
        decoded = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        assert decoded == b"new();" * 100


def test_missing_page_is_negotiated_too(variant_port: int) -> None:
    """The 404 page goes out compressed to a br client, decoding to 404.html."""
    status, headers, body = _get(variant_port, "/no/such/page/", BR_AND_GZIP)
    assert (status, headers["content-encoding"], b"missing" in brotli.decompress(body)) == (404, "br", True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("*", "br"),
        ("identity", None),
        ("", None),
        ("BR", "br"),
    ],
)
def test_choose_encoding(header: str, expected: str | None) -> None:
    """Accept-Encoding parsing: q-values, q=0 refusals, the * wildcard, case; server order breaks ties."""
    assert serve.choose_encoding(header, ("br", "gzip")) == expected
