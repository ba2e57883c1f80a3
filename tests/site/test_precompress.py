"""scripts/precompress.py: .br/.gz variants beside the built files, exact round trips, only where they pay."""

from __future__ import annotations

import gzip
import io
import importlib.util
import os
import random
import zipfile
import sys
from pathlib import Path
from types import ModuleType

import brotli
import pytest

from .sitelib import REPO

pytestmark = pytest.mark.site


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


precompress = _load("precompress")
TEXT = ("<p>移行ガイド: メールとウェブの切り替え手順</p>\n" * 400).encode()
WASM = b"\0asm\x01\0\0\0" + bytes(range(256)) * 200
NOISE = random.Random(6).randbytes(20_000)
# Module-like text that deflate compresses well but not to nothing (random identifiers, as in real sources).
SOURCE = " ".join("".join(random.Random(7 + i).choices("abcdefghijklmnopqrstuvwxyz_", k=8)) for i in range(3000)).encode()


def _wheel(compression: int) -> bytes:
    """A small wheel-like zip whose module is stored (as scripts/build_pyodide.py ships wheels) or deflated; the
    same bytes every time (a fixed entry date: writestr with a name would stamp the clock's, two seconds apart)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(zipfile.ZipInfo("a/__init__.py", date_time=(2026, 1, 1, 0, 0, 0)), SOURCE, compression)
    return buffer.getvalue()


def _site(root: Path) -> Path:
    site = root / "site"
    (site / "pyodide" / "1.0").mkdir(parents=True)
    (site / "index.html").write_bytes(TEXT)
    (site / "pyodide" / "1.0" / "pyodide.asm.wasm").write_bytes(WASM)
    (site / "pyodide" / "1.0" / "python_stdlib.zip").write_bytes(b"PK\x03\x04" + TEXT)
    (site / "pyodide" / "1.0" / "a-1.0-py3-none-any.whl").write_bytes(_wheel(zipfile.ZIP_STORED))
    (site / "pyodide" / "1.0" / "b-1.0-py3-none-any.whl").write_bytes(_wheel(zipfile.ZIP_DEFLATED))
    (site / "logo.png").write_bytes(b"\x89PNG" + TEXT)
    (site / "noise.js").write_bytes(NOISE)
    (site / "tiny.css").write_bytes(b"a{}")
    return site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small built site, precompressed once with a cache in the temp folder."""
    built = _site(tmp_path)
    precompress.precompress(built, tmp_path / "cache", jobs=1)
    return built


@pytest.mark.parametrize("name", ["index.html", "pyodide/1.0/pyodide.asm.wasm", "pyodide/1.0/a-1.0-py3-none-any.whl"])
def test_brotli_variant_decodes_to_the_original(site: Path, name: str) -> None:
    """file.br is brotli of exactly the file's bytes."""
    assert brotli.decompress((site / f"{name}.br").read_bytes()) == (site / name).read_bytes()


@pytest.mark.parametrize("name", ["index.html", "pyodide/1.0/pyodide.asm.wasm"])
def test_gzip_variant_decodes_to_the_original(site: Path, name: str) -> None:
    """file.gz is gzip of exactly the file's bytes."""
    assert gzip.decompress((site / f"{name}.gz").read_bytes()) == (site / name).read_bytes()


def test_brotli_is_smaller_than_gzip_for_text(site: Path) -> None:
    """The br variant is the smaller one, which is why the server prefers it."""
    assert (site / "index.html.br").stat().st_size < (site / "index.html.gz").stat().st_size


@pytest.mark.parametrize(
    "name", ["pyodide/1.0/python_stdlib.zip", "pyodide/1.0/b-1.0-py3-none-any.whl", "logo.png", "tiny.css"]
)
def test_no_variant_for_zip_images_or_tiny_files(site: Path, name: str) -> None:
    """Deflated zip files (a wheel as PyPI ships it) and images are compressed already; tiny files gain nothing:
    no variant is written. A stored wheel gets one (above)."""
    assert not (site / f"{name}.br").exists() and not (site / f"{name}.gz").exists()


def test_no_variant_when_compression_does_not_pay(site: Path) -> None:
    """Incompressible bytes (random) get no variant even with a compressible suffix."""
    assert not (site / "noise.js.br").exists() and not (site / "noise.js.gz").exists()


def test_cache_spares_compressing_unchanged_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second build with the same content takes the bodies from the cache: nothing is compressed again."""
    first = _site(tmp_path / "one")
    precompress.precompress(first, tmp_path / "cache", jobs=1)
    second = _site(tmp_path / "two")

    def refuse(data: bytes, encoding: str) -> bytes:
        raise AssertionError("compressed again despite the cache")

    monkeypatch.setattr(precompress, "compress", refuse)
    precompress.precompress(second, tmp_path / "cache", jobs=1)
    assert (second / "index.html.br").read_bytes() == (first / "index.html.br").read_bytes()


def test_changed_file_gets_a_new_variant(site: Path, tmp_path: Path) -> None:
    """After the file changes, its variant is rewritten to match the new bytes."""
    page = site / "index.html"
    page.write_bytes(TEXT + b"<p>new</p>" * 50)
    precompress.precompress(site, tmp_path / "cache", jobs=1)
    assert brotli.decompress((site / "index.html.br").read_bytes()) == page.read_bytes()


def test_variants_are_not_older_than_their_file(site: Path, tmp_path: Path) -> None:
    """A rerun after the file was rewritten with the same bytes leaves a variant the server accepts as fresh."""
    page = site / "index.html"
    later = page.stat().st_mtime_ns + 5_000_000_000
    os.utime(page, ns=(later, later))
    precompress.precompress(site, tmp_path / "cache", jobs=1)
    assert (site / "index.html.br").stat().st_mtime_ns >= page.stat().st_mtime_ns


def test_is_variant_needs_the_original_beside_it(site: Path) -> None:
    """x.br beside x is a variant; a .gz without its original (a download of its own) is not."""
    (site / "archive.tar.gz").write_bytes(gzip.compress(b"data"))
    assert (precompress.is_variant(site / "index.html.br"), precompress.is_variant(site / "archive.tar.gz")) == (
        True,
        False,
    )
