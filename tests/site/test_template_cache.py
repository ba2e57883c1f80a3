"""The build hook keeps compiled theme templates in build/jinja-cache/ (MkDocs' public on_env event, Jinja's cache)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from scripts import mkdocs_hooks

pytestmark = pytest.mark.site


def _env(tmp_path: Path, source: str) -> jinja2.Environment:
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "page.html").write_text(source, encoding="utf-8")
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "templates")), autoescape=True)


def test_compiled_templates_are_stored_and_an_edited_one_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template compiled once is read from the cache next time; after an edit the new source is what renders."""
    cache = tmp_path / "jinja-cache"
    monkeypatch.setattr(mkdocs_hooks, "TEMPLATE_CACHE", cache)
    monkeypatch.delenv("NC_BUILD_SPEEDUPS", raising=False)
    env = mkdocs_hooks.on_env(_env(tmp_path, "<p>{{ x }}</p>"), None, None)
    assert env.get_template("page.html").render(x="a") == "<p>a</p>"
    assert len(list(cache.iterdir())) == 1
    edited = mkdocs_hooks.on_env(_env(tmp_path, "<b>{{ x }}</b>"), None, None)
    assert edited.get_template("page.html").render(x="a") == "<b>a</b>"


def test_no_cache_when_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NC_BUILD_SPEEDUPS=0 builds every template from source (nothing written)."""
    monkeypatch.setattr(mkdocs_hooks, "TEMPLATE_CACHE", tmp_path / "jinja-cache")
    monkeypatch.setenv("NC_BUILD_SPEEDUPS", "0")
    env = mkdocs_hooks.on_env(_env(tmp_path, "x"), None, None)
    assert env.bytecode_cache is None and not (tmp_path / "jinja-cache").exists()
