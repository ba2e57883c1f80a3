"""Example provider values are marked サンプル値 / sample value wherever the site shows them; the build warns once
about them, and PROVIDER_STRICT=1 fails it. Tested both ways: the packaged provider.toml (examples) and a temporary
one with non-example values."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checklist_app.provider import PROVIDER, SAMPLE_LABEL, parse_provider
from tests.test_provider import example_toml, real_toml

from .sitelib import LANGS, REPO, build_site, page_file

pytestmark = pytest.mark.site

HOOK = REPO / "scripts" / "mkdocs_hooks.py"
CHECK = REPO / "scripts" / "provider_check.py"
BADGE = re.compile(r'<span class="nc-sample" data-nc-sample>([^<]*)</span>')
_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")


def _occurrences(html_text: str, value: str) -> list[int]:
    """Where ``value`` appears as a whole value (not inside a longer name)."""
    pattern = re.compile(rf"(?<![\w.@:-]){re.escape(value)}(?![\w.:-]*\w)")
    return [m.end() for m in pattern.finditer(html_text)]


def _unmarked(article: str, lang: str) -> list[str]:
    """Sample values in the article's text that no badge follows, and code blocks holding one without a note."""
    problems: list[str] = []
    word = SAMPLE_LABEL.get(lang)
    samples = sorted(PROVIDER.sample_values(), key=len, reverse=True)
    for block in _PRE.finditer(article):
        held = [v for v in samples if _occurrences(_TAG.sub("", block.group(0)), v)]
        before = article[max(0, block.start() - 600) : block.start()]
        note = before.rsplit('<p class="nc-sample-note">', 1)
        for v in held:
            if len(note) != 2 or v not in note[1] or word not in note[1]:
                problems.append(f"code block holding {v} has no sample note above it")
    # The notes themselves (checked above: a badge, then the values) and the code blocks are not text to mark.
    text_only = re.sub(r'<p class="nc-sample-note">.*?</p>', "", _PRE.sub("", article), flags=re.DOTALL)
    # Attributes: an example value in one must carry the word (placeholder="… (sample value)").
    for tag in _TAG.findall(text_only):
        for v in samples:
            for attr in re.findall(r'(\w[\w-]*)="([^"]*)"', tag):
                if attr[0] not in ("href", "src") and _occurrences(attr[1], v) and word not in attr[1]:
                    problems.append(f"attribute {attr[0]}={attr[1]!r} shows {v} unmarked")
    # Text: mask every tag (same length) so that only text positions are found, then look at what follows.
    masked = _TAG.sub(lambda m: "\0" * len(m.group(0)), text_only)
    for v in samples:
        for end in _occurrences(masked, v):
            following = re.sub(r"^(?:</(?:code|strong|em)>)*", "", text_only[end : end + 200])
            if not following.startswith(f' <span class="nc-sample" data-nc-sample>{word}</span>'):
                problems.append(f"{v} is not followed by its badge: …{text_only[end - 40 : end + 60]!r}")
    return problems


def test_every_example_value_on_every_page_is_marked(site_dir: Path) -> None:
    """In every built page's article, each sample value has its badge, its note (code) or the word (attribute)."""
    assert PROVIDER.sample_values(), "the packaged provider.toml has no sample at all (the illustration is one)"
    problems: list[str] = []
    checked = 0
    for path in sorted(site_dir.rglob("*.html")):
        html_text = path.read_text(encoding="utf-8")
        match = _ARTICLE.search(html_text)
        if match is None:
            continue
        rel = path.relative_to(site_dir).as_posix()
        lang = "en" if rel.startswith("en/") else "ja"
        found = _unmarked(match.group(0), lang)
        checked += sum(bool(_occurrences(match.group(0), v)) for v in PROVIDER.sample_values())
        problems += [f"{rel}: {p}" for p in found]
    assert checked > 20, f"only {checked} sample occurrences found: is the check looking at the pages?"
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("lang", LANGS)
def test_the_contact_block_carries_the_badge_in_the_pages_language(lang: str, site_dir: Path) -> None:
    """The overview's contact block: the support e-mail is followed by 「サンプル値」 (ja) / "sample value" (en)
    while it is an example, and by no badge once it is real."""
    html_text = (site_dir / page_file("/", lang)).read_text(encoding="utf-8")
    after = html_text.split(PROVIDER.support_email, 1)[1][:120]
    badge = BADGE.match(after.lstrip())
    if PROVIDER.support_email in PROVIDER.sample_values():
        assert badge is not None and badge.group(1) == SAMPLE_LABEL.get(lang), after
    else:
        assert badge is None, after


# --- a tiny site: the same hook with the packaged values and with real ones -----------------------------------------

PAGE = """\
# Contact

Mail: {{ provider.support_email }}, servers {{ provider.nameservers }}, port {{ provider.pop_port }}.

Server `{{ provider.mail_host_example }}` and **`{{ provider.old_mail_host_example }}`**.

```
{{ provider.web_ipv4_example }}    example.co.jp
```

<input placeholder="{{ provider.mail_host_example }}">
"""


def _hook_with(tmp_path: Path, toml: str | None) -> Path:
    """A hook file that is the project's hook, reading ``toml`` (None: the packaged provider.toml)."""
    load = ""
    if toml is not None:
        (tmp_path / "provider.toml").write_text(toml, encoding="utf-8")
        load = f"hook.PROVIDER = load_provider({str(tmp_path / 'provider.toml')!r})"
    wrapper = tmp_path / "hook_under_test.py"
    wrapper.write_text(
        textwrap.dedent(
            f"""\
            import importlib.util
            from checklist_app.provider import load_provider
            spec = importlib.util.spec_from_file_location("nc_hook_under_test", {str(HOOK)!r})
            hook = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(hook)
            {load}
            on_config = hook.on_config
            on_page_markdown = hook.on_page_markdown
            on_page_content = hook.on_page_content
            on_post_page = hook.on_post_page
            """
        ),
        encoding="utf-8",
    )
    return wrapper


def _tiny_build(tmp_path: Path, toml: str | None, *, strict: bool = False) -> tuple[int, str, str]:
    """Build PAGE with the hook; return (rc, log, index.html)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: samples\ndocs_dir: docs\ntheme: {name: mkdocs}\n"
        f"hooks: [{_hook_with(tmp_path, toml)}]\nmarkdown_extensions: [attr_list, md_in_html]\n",
        encoding="utf-8",
    )
    env = {"PROVIDER_STRICT": "1"} if strict else {"PROVIDER_STRICT": ""}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = build_site(config, tmp_path / "out", cwd=tmp_path)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    index = tmp_path / "out" / "index.html"
    return result.returncode, result.stdout + result.stderr, index.read_text(encoding="utf-8") if index.exists() else ""


def test_examples_are_marked_in_text_code_blocks_and_attributes(tmp_path: Path) -> None:
    """Example values: a badge after each example in text and inline code, a note above the code block, the word
    in the placeholder; the port (not an example) is left alone; no sentinel character is left."""
    rc, log, html_text = _tiny_build(tmp_path, example_toml())
    ex = parse_provider(example_toml())
    assert rc == 0, log
    badge = '<span class="nc-sample" data-nc-sample>サンプル値</span>'
    assert f"{ex.support_email} {badge}" in html_text
    for ns in ex.nameservers:
        assert f"{ns} {badge}" in html_text
    assert f"<code>{ex.mail_host_example}</code> {badge}" in html_text
    assert f"<code>{ex.old_mail_host_example}</code></strong> {badge}" in html_text
    assert re.search(
        rf'<p class="nc-sample-note">{re.escape(badge)} <code>{re.escape(ex.web_ipv4_example)}', html_text
    )
    assert f'placeholder="{ex.mail_host_example}（サンプル値）"' in html_text
    assert f"port {ex.pop_port}." in html_text
    assert "\ue000" not in html_text and "\ue001" not in html_text


def test_real_values_are_not_marked(tmp_path: Path) -> None:
    """A provider.toml of non-example values: no badge, note or word for them; only the illustration keeps its badge."""
    rc, log, html_text = _tiny_build(tmp_path, real_toml())
    assert rc == 0, log
    real = parse_provider(real_toml())
    assert f"Mail: {real.support_email}, servers" in html_text
    assert f"<code>{real.mail_host_example}</code> and" in html_text
    assert 'class="nc-sample-note"' not in html_text
    assert f'placeholder="{real.mail_host_example}"' in html_text
    assert BADGE.findall(html_text) == ["サンプル値"]  # the old provider's host, an illustration
    for example in parse_provider(example_toml()).sample_values() - {real.old_mail_host_example}:
        assert example not in html_text


def test_strict_build_fails_on_examples_naming_the_keys(tmp_path: Path) -> None:
    """PROVIDER_STRICT=1 with example values stops the build and lists the keys."""
    rc, log, _ = _tiny_build(tmp_path, example_toml(), strict=True)
    assert rc != 0
    assert "PROVIDER_STRICT=1" in log
    for key in parse_provider(example_toml()).example_keys():
        assert key in log


def test_strict_build_passes_with_real_values(tmp_path: Path) -> None:
    """PROVIDER_STRICT=1 with non-example values builds (the illustration does not count)."""
    rc, log, html_text = _tiny_build(tmp_path, real_toml(), strict=True)
    assert rc == 0, log
    assert "support@net-com.co.jp" in html_text


# --- the check make build runs first ----------------------------------------------------------------------------------


def _check(*args: str, strict: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PROVIDER_STRICT": "1" if strict else ""}
    return subprocess.run(
        [sys.executable, str(CHECK), *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )


def _example_file(tmp_path: Path) -> Path:
    path = tmp_path / "provider.toml"
    path.write_text(example_toml(), encoding="utf-8")
    return path


def test_the_check_prints_one_warning_listing_the_example_keys(tmp_path: Path) -> None:
    """Example values: exit 0 and exactly one warning line naming every example key (and not the illustration)."""
    result = _check("--file", str(_example_file(tmp_path)))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("WARNING:")
    keys = lines[0].split("example values for: ", 1)[1].split(".", 1)[0].split(", ")
    assert keys == list(parse_provider(example_toml()).example_keys())
    assert "old_mail_host_example" not in lines[0]


def test_the_strict_check_fails(tmp_path: Path) -> None:
    """PROVIDER_STRICT=1 with example values: exit 1 with the keys."""
    result = _check("--file", str(_example_file(tmp_path)), strict=True)
    assert result.returncode == 1
    assert "PROVIDER_STRICT=1" in result.stderr and "support_email" in result.stderr


def test_the_packaged_file_is_checked_by_default() -> None:
    """Without --file the packaged provider.toml is checked: a warning exactly when it holds examples."""
    result = _check()
    assert result.returncode == 0
    assert ("WARNING:" in result.stderr) == bool(PROVIDER.example_keys())


def test_the_check_is_silent_for_real_values(tmp_path: Path) -> None:
    """A non-example file passes silently, strict or not."""
    path = tmp_path / "provider.toml"
    path.write_text(real_toml(), encoding="utf-8")
    for strict in (False, True):
        result = _check("--file", str(path), strict=strict)
        assert (result.returncode, result.stderr) == (0, "")


def test_the_check_names_a_missing_key(tmp_path: Path) -> None:
    """A file without support_email fails, naming the key."""
    path = tmp_path / "provider.toml"
    path.write_text(re.sub(r"(?m)^support_email = .*\n", "", real_toml()), encoding="utf-8")
    result = _check("--file", str(path))
    assert result.returncode == 1 and "key 'support_email': missing" in result.stderr


def test_make_build_runs_the_check_before_mkdocs() -> None:
    """`make build` checks the provider values before it builds (so the warning comes once, first)."""
    result = subprocess.run(["make", "-n", "build"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    check = next(i for i, line in enumerate(lines) if "scripts/provider_check.py" in line)
    mkdocs = next(i for i, line in enumerate(lines) if "mkdocs build" in line)
    assert check < mkdocs


def test_make_build_strict_fails_while_the_packaged_file_holds_examples() -> None:
    """`make build PROVIDER_STRICT=1` stops at the check (before building anything) while examples remain; with real
    values the same command would build (not run here: `make -n` shows the check runs with the variable set)."""
    if not PROVIDER.example_keys():
        result = subprocess.run(
            ["make", "-n", "build", "PROVIDER_STRICT=1"], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0 and "scripts/provider_check.py" in result.stdout
        return
    result = subprocess.run(
        ["make", "-s", "build", "PROVIDER_STRICT=1"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "PROVIDER_STRICT=1" in result.stderr and PROVIDER.example_keys()[0] in result.stderr
