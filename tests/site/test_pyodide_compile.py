"""scripts/pyodide_compile.py, run here by CPython on a small hand-made wheel (the build runs it inside Pyodide).

The compiled wheel is read back with zipfile and imported by a fresh CPython straight from the zip (zipimport).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scripts.pyodide_compile import compile_source, compile_wheel

pytestmark = pytest.mark.site

MODULES = {
    "demo/__init__.py": b'"""Demo."""\nfrom .greet import hello\n',
    "demo/greet.py": "def hello(name):\n    return f'こんにちは {name}'\n".encode(),
}


def _record_row(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def make_wheel(path: Path) -> Path:
    files = {**MODULES, "demo/data.txt": b"kept as is\n", "demo-1.0.dist-info/METADATA": b"Name: demo\nVersion: 1.0\n"}
    record = "\n".join([*(_record_row(n, d) for n, d in files.items()), "demo-1.0.dist-info/RECORD,,"]) + "\n"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in files.items():
            wheel.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
        wheel.writestr(zipfile.ZipInfo("demo-1.0.dist-info/RECORD", date_time=(1980, 1, 1, 0, 0, 0)), record)
    return path


def test_every_module_becomes_an_unchecked_hash_pyc_and_the_rest_is_kept(tmp_path: Path) -> None:
    """Modules → .pyc (no .py left, same order); other files byte for byte; RECORD matches the new files."""
    compiled = compile_wheel(make_wheel(tmp_path / "demo-1.0-py3-none-any.whl"), tmp_path / "out.whl")
    assert compiled == ["demo/__init__.pyc", "demo/greet.pyc"]
    with zipfile.ZipFile(tmp_path / "out.whl") as wheel:
        assert wheel.namelist() == [
            "demo/__init__.pyc",
            "demo/greet.pyc",
            "demo/data.txt",
            "demo-1.0.dist-info/METADATA",
            "demo-1.0.dist-info/RECORD",
        ]
        assert wheel.read("demo/data.txt") == b"kept as is\n"
        for name, source in MODULES.items():
            pyc = wheel.read(name + "c")
            assert pyc[:4] == importlib.util.MAGIC_NUMBER
            assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, check_source off
            assert pyc[8:16] == importlib.util.source_hash(source)
        rows = wheel.read("demo-1.0.dist-info/RECORD").decode().splitlines()
        assert rows[-1] == "demo-1.0.dist-info/RECORD,,"
        assert rows[:-1] == [_record_row(n, wheel.read(n)) for n in wheel.namelist()[:-1]]


def test_the_compiled_wheel_imports_from_the_zip_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """A new CPython with only the compiled wheel on its path imports the package from the .pyc inside the zip."""
    compile_wheel(make_wheel(tmp_path / "demo-1.0-py3-none-any.whl"), tmp_path / "out.whl")
    code = "import demo, demo.greet as g; print(demo.hello('太郎')); print(g.__spec__.origin)"
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path / 'out.whl')!r}); {code}"],
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["こんにちは 太郎", str(tmp_path / "out.whl" / "demo" / "greet.pyc")]


def test_the_same_wheel_compiles_to_the_same_bytes(tmp_path: Path) -> None:
    """Reproducible: the build names the wheel by its hash, so the same input must give the same file."""
    source = make_wheel(tmp_path / "demo-1.0-py3-none-any.whl")
    compile_wheel(source, tmp_path / "a.whl")
    compile_wheel(source, tmp_path / "b.whl")
    assert (tmp_path / "a.whl").read_bytes() == (tmp_path / "b.whl").read_bytes()


def test_a_zip_without_record_is_refused(tmp_path: Path) -> None:
    """Not a wheel (no .dist-info/RECORD): a clear error, no output file."""
    with zipfile.ZipFile(tmp_path / "x.whl", "w") as wheel:
        wheel.writestr("x.py", "x = 1\n")
    with pytest.raises(ValueError, match="RECORD"):
        compile_wheel(tmp_path / "x.whl", tmp_path / "out.whl")
    assert not (tmp_path / "out.whl").exists()


def test_a_syntax_error_names_the_module(tmp_path: Path) -> None:
    """A module that does not compile stops the build with its name."""
    with pytest.raises(SyntaxError) as caught:
        compile_source(b"def broken(:\n", "pkg/broken.py")
    assert caught.value.filename == "pkg/broken.py"
