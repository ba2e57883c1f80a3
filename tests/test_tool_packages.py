"""Each tool page names the wheels its tool needs (data-nc-packages on its form) and the browser loads only those.

The forms are declared once (checklist_app/tools/forms.py; tests/site/test_tool_forms.py checks the built pages
carry exactly that declaration).

The tool is run in a fresh CPython in which every other pinned "site" distribution cannot be imported (a meta-path
finder refuses their import names), so a form that forgets a wheel its tool imports fails here, not on a phone.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from checklist_app.tools.forms import FORMS

pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="no processes in Pyodide")

ROOT = Path(__file__).resolve().parent.parent
SITE_DISTRIBUTIONS = ("idna", "jpholiday", "icalendar", "python-dateutil", "tzdata", "dnspython")
TODAY = "2026-12-01"
PARAMS = {
    "hosts": {"domain": "example.co.jp", "ip": ["133.0.0.1"], "os": "windows", "today": TODAY},
    "mail": {"addresses": ["taro@example.co.jp"], "protocol": "pop", "client": "thunderbird", "today": TODAY},
    "schedule": {"applied": "2026-12-21", "today": TODAY},
    "stafflink": {"tool": "schedule", "applied": "2026-12-21", "today": TODAY},
}

RUN = """
import importlib.abc, json, sys
blocked = set(json.loads(sys.argv[1]))
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"{name} is not loaded on this page", name=name)
        return None
sys.meta_path.insert(0, Refuse())
tool, params = sys.argv[2], json.loads(sys.argv[3])
if tool == "dnscheck":
    import checklist_app.tools.dnscheck  # the first round needs the whole module; its imports are what counts
    print(json.dumps({"ok": True}))
else:
    from checklist_app.tools import run_tool
    print(json.dumps(run_tool(tool, params, "en")))
"""


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _with_dependencies(names: list[str]) -> set[str]:
    """The distributions with the pinned site distributions they require (markers of this interpreter)."""
    seen: set[str] = set()
    todo = [_canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for requirement in metadata.requires(name) or []:
            dependency, _, marker = requirement.partition(";")
            if "extra ==" in marker:
                continue
            base = _canonical(re.split(r"[\s<>=!~\[(]", dependency.strip(), maxsplit=1)[0])
            if base in SITE_DISTRIBUTIONS:
                todo.append(base)
    return seen


def _import_names(distribution: str) -> set[str]:
    return {top for top, dists in metadata.packages_distributions().items() if distribution in map(_canonical, dists)}


def tool_forms() -> dict[str, set[str]]:
    """tool -> the packages its form names (data-nc-packages, from the forms' declaration)."""
    return {tool: set(form.packages) for tool, form in FORMS.items()}


def run_with_only(tool: str, allowed: set[str]) -> dict[str, object]:
    blocked = sorted(set().union(*(_import_names(d) for d in SITE_DISTRIBUTIONS if d not in allowed)))
    command = [sys.executable, "-c", RUN, json.dumps(blocked), tool, json.dumps(PARAMS.get(tool, {}))]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False, timeout=60)
    if done.returncode != 0:
        return {"ok": False, "stderr": done.stderr[-2000:]}
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def test_every_tool_page_names_its_packages() -> None:
    assert set(tool_forms()) == {"hosts", "mail", "schedule", "stafflink", "dnscheck"}


@pytest.mark.parametrize("tool", ["hosts", "mail", "schedule", "stafflink", "dnscheck"])
def test_each_tool_runs_with_only_the_wheels_its_form_names(tool: str) -> None:
    allowed = _with_dependencies(sorted(tool_forms()[tool]))
    answer = run_with_only(tool, allowed)
    assert answer["ok"] is True, answer


def test_the_hosts_page_does_not_load_the_calendar_wheels() -> None:
    """The point of per-page wheels: the hosts tool runs without icalendar, dateutil, tzdata nor jpholiday."""
    assert _with_dependencies(sorted(tool_forms()["hosts"])) == {"idna"}


def test_a_missing_wheel_is_caught() -> None:
    """The check can fail: the schedule tool without jpholiday does not answer."""
    allowed = _with_dependencies(sorted(tool_forms()["schedule"])) - {"jpholiday"}
    assert run_with_only("schedule", allowed)["ok"] is False


FILE_BUILDER_MODULES = ("plistlib", "uuid", "xml.etree.ElementTree")
IMPORTED = """
import json, sys
from checklist_app import browser
from checklist_app.tools import run_tool
answer = run_tool(sys.argv[1], json.loads(sys.argv[2]), "ja")
print(json.dumps({"ok": answer["ok"], "modules": [m for m in json.loads(sys.argv[3]) if m in sys.modules]}))
"""


def imported_after(tool: str) -> dict[str, object]:
    modules = json.dumps(FILE_BUILDER_MODULES)
    command = [sys.executable, "-I", "-c", IMPORTED, tool, json.dumps(PARAMS[tool]), modules]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True, timeout=60)
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def test_the_hosts_page_skips_the_file_builders_imports() -> None:
    """plistlib, uuid and xml.etree are for the mail tool's .mobileconfig and autoconfig files only: the hosts page
    (which imports the same checklist_app.tools) starts Python without unmarshalling them."""
    assert imported_after("hosts") == {"ok": True, "modules": []}


@pytest.mark.parametrize("tool", ["schedule", "stafflink"])
def test_the_planner_pages_skip_the_plist_and_xml_imports(tool: str) -> None:
    """The planner's pages load icalendar (which imports uuid itself) but build no plist and no XML."""
    modules = imported_after(tool)["modules"]
    assert isinstance(modules, list)
    assert not {"plistlib", "xml.etree.ElementTree"} & set(modules)


def test_the_mail_tool_does_import_them() -> None:
    """The check can fail: the mail tool builds its .mobileconfig (plistlib, uuid) with every answer."""
    modules = imported_after("mail")["modules"]
    assert isinstance(modules, list)
    assert {"plistlib", "uuid"} <= set(modules)
