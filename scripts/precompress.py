"""Write precompressed variants of the built site: ``file.br`` (brotli) and ``file.gz`` (gzip) beside each file.

``make build`` runs ``python scripts/precompress.py [--site-dir site]`` last, after ``scripts/build_pyodide.py``.
``scripts/serve.py`` picks a variant by the request's ``Accept-Encoding`` (br, else gzip, else the file itself) and
sends it under the original URL with the original ``Content-Type``; a production host does the same with nginx
``brotli_static``/``gzip_static`` or Caddy's ``file_server { precompressed br gzip }``. The variants are never
linked and never served under their own names.

Rules:

* Only text-like and WebAssembly files are tried (:data:`COMPRESSIBLE_SUFFIXES`); zip files
  (``python_stdlib.zip``), images and fonts are compressed already (brotli saved 1–2 % on them: not worth a
  variant). The exceptions are the site's trimmed standard library, ``python_stdlib-<hash>.zip``, and the wheels
  (:data:`STORED_ZIP`): scripts/build_pyodide.py stores their entries uncompressed so that brotli over the whole
  file does better than zip's per-file deflate (our wheel: 237 kB instead of 332 kB; a wheel still deflated gets
  no variant by the :data:`MAX_RATIO` rule).
* A variant is kept only when it is at most :data:`MAX_RATIO` of the original's size.
* A variant decodes to exactly the original bytes; it is written only when missing or stale (older than the file).
* Brotli at quality 11 is slow (about half a minute for ``pyodide.asm.wasm``), so compressed bodies are kept in
  ``build/precompress-cache/`` keyed by the content's SHA-256: a rebuild with the same runtime costs a copy.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = REPO / "build" / "precompress-cache"
ENCODINGS = {"br": ".br", "gzip": ".gz"}
VARIANT_SUFFIXES = tuple(ENCODINGS.values())
COMPRESSIBLE_SUFFIXES = frozenset(
    {
        ".html",
        ".css",
        ".js",
        ".mjs",
        ".json",
        ".map",
        ".wasm",
        ".svg",
        ".xml",
        ".txt",
        ".ics",
        ".webmanifest",
        ".mobileconfig",
    }
)
STORED_ZIP = re.compile(r"python_stdlib-[0-9a-f]{12}\.zip|.+\.whl")
MAX_RATIO = 0.95
MIN_SIZE = 256  # below this, headers outweigh any saving
BROTLI_QUALITY = 11
BROTLI_WINDOW = 22  # brotli's default (4 MiB); 24 made pyodide.asm.wasm 1 % larger here
GZIP_LEVEL = 9
CACHE_KEEP_DAYS = 30
_CACHE_FORMAT = f"v1-br{BROTLI_QUALITY}w{BROTLI_WINDOW}-gz{GZIP_LEVEL}"


def compress(data: bytes, encoding: str) -> bytes:
    """``data`` compressed for ``Content-Encoding: encoding`` (``br`` or ``gzip``), deterministic bytes."""
    if encoding == "br":
        return bytes(brotli.compress(data, quality=BROTLI_QUALITY, lgwin=BROTLI_WINDOW))
    if encoding == "gzip":
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    raise ValueError(f"unknown encoding {encoding!r}")


def decompress(data: bytes, encoding: str) -> bytes:
    """The inverse of :func:`compress`."""
    if encoding == "br":
        return bytes(brotli.decompress(data))
    if encoding == "gzip":
        return gzip.decompress(data)
    raise ValueError(f"unknown encoding {encoding!r}")


def is_variant(path: Path) -> bool:
    """True for ``x.br`` / ``x.gz`` when ``x`` exists beside it: a precompressed copy, not a file of its own."""
    return path.suffix in VARIANT_SUFFIXES and path.with_suffix("").is_file()


def candidates(site: Path) -> Iterator[Path]:
    """The site's files worth compressing, in a stable order."""
    for path in sorted(site.rglob("*")):
        compressible = path.suffix.lower() in COMPRESSIBLE_SUFFIXES or STORED_ZIP.fullmatch(path.name) is not None
        wanted = compressible and path.is_file() and not path.is_symlink()
        if wanted and path.stat().st_size >= MIN_SIZE:
            yield path


@dataclass(frozen=True, slots=True)
class Result:
    """What happened to one file: its size, and each encoding's variant size (None: not worth keeping)."""

    path: Path
    raw: int
    sizes: dict[str, int | None]


class Cache:
    """Compressed bodies by content hash, so unchanged files (the runtime) are never compressed twice."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def _entry(self, digest: str, encoding: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{digest}.{_CACHE_FORMAT}.{encoding}"

    def get(self, digest: str, encoding: str) -> bytes | None:
        entry = self._entry(digest, encoding)
        if entry is None or not entry.is_file():
            return None
        os.utime(entry)  # last use, for pruning
        return entry.read_bytes()

    def put(self, digest: str, encoding: str, body: bytes) -> None:
        entry = self._entry(digest, encoding)
        if entry is None:
            return
        temp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        temp.write_bytes(body)
        os.replace(temp, entry)  # atomic: parallel builds may share the cache

    def prune(self, keep_days: int = CACHE_KEEP_DAYS) -> None:
        """Forget entries unused for ``keep_days``."""
        if self.folder is None:
            return
        limit = time.time() - keep_days * 86400
        for entry in self.folder.iterdir():
            if entry.is_file() and entry.stat().st_mtime < limit:
                entry.unlink(missing_ok=True)


def _compress_job(data: bytes, encoding: str) -> bytes:
    return compress(data, encoding)


def precompress(site: Path, cache_dir: Path | None = DEFAULT_CACHE, *, jobs: int | None = None) -> list[Result]:
    """Write fresh ``.br``/``.gz`` variants for every candidate of ``site``; remove variants that do not pay."""
    cache = Cache(cache_dir)
    todo: dict[tuple[Path, str], bytes] = {}  # (file, encoding) -> body, from the cache or to compress
    contents: dict[Path, tuple[bytes, str]] = {}
    for path in candidates(site):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        contents[path] = (data, digest)
        for encoding in ENCODINGS:
            cached = cache.get(digest, encoding)
            if cached is not None:
                todo[(path, encoding)] = cached
    missing = [(path, encoding) for path in contents for encoding in ENCODINGS if (path, encoding) not in todo]
    if missing:
        # Largest first: pyodide.asm.wasm alone takes most of the time, the rest runs beside it.
        missing.sort(key=lambda item: -len(contents[item[0]][0]))
        workers = jobs or min(len(missing), os.cpu_count() or 1)
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {key: pool.submit(_compress_job, contents[key[0]][0], key[1]) for key in missing}
                bodies = {key: future.result() for key, future in futures.items()}
        else:
            bodies = {key: compress(contents[key[0]][0], key[1]) for key in missing}
        for (path, encoding), body in bodies.items():
            cache.put(contents[path][1], encoding, body)
            todo[(path, encoding)] = body
    results = []
    for path, (data, _) in contents.items():
        sizes: dict[str, int | None] = {}
        for encoding, suffix in ENCODINGS.items():
            body = todo[(path, encoding)]
            target = path.with_name(path.name + suffix)
            if len(body) > len(data) * MAX_RATIO:
                target.unlink(missing_ok=True)
                sizes[encoding] = None
                continue
            if not (target.is_file() and target.read_bytes() == body):
                target.write_bytes(body)
            modified = path.stat().st_mtime_ns
            if target.stat().st_mtime_ns < modified:
                os.utime(target, ns=(modified, modified))  # the server takes a variant older than its file as stale
            sizes[encoding] = len(body)
        results.append(Result(path, len(data), sizes))
    cache.prune()
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Write .br and .gz variants of the built site's files.")
    parser.add_argument("--site-dir", type=Path, default=REPO / "site", help="built site (default: site/)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="compressed-body cache")
    parser.add_argument("--no-cache", action="store_true", help="compress everything again, keep nothing")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: one per core)")
    parser.add_argument("--quiet", action="store_true", help="print only the totals")
    args = parser.parse_args(argv)
    site = args.site_dir.resolve()
    if not (site / "index.html").is_file():
        print(f"precompress: {site} is not a built site (make build)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    results = precompress(site, None if args.no_cache else args.cache_dir, jobs=args.jobs)
    totals = {"raw": 0, "br": 0, "gzip": 0}
    for result in results:
        totals["raw"] += result.raw
        for encoding in ENCODINGS:
            totals[encoding] += result.sizes[encoding] or result.raw
        if not args.quiet and result.raw >= 100_000:
            cells = "  ".join(f"{e} {result.sizes[e] or 0:>11,}" for e in ENCODINGS)
            print(f"  {result.path.relative_to(site)!s:60} raw {result.raw:>11,}  {cells}")
    print(
        f"precompressed {len(results)} files in {time.perf_counter() - started:.1f} s: raw {totals['raw']:,}, "
        f"br {totals['br']:,}, gzip {totals['gzip']:,} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
