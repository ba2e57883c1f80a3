"""Benchmark the built site in headless Chromium: saved state, Python start, long tasks, bytes, build time.

``make bench`` runs ``make build`` then ``.venv/bin/python scripts/bench.py [--runs 9] [--build-runs 3]``.
Writes ``bench/report.json`` (figures: each metric's median at the top level, and ``metrics`` with
min/median/max/runs) and ``bench/report.md`` (a short summary, each target of issue 6 met / not met).
``bench/README.md`` says what every figure means and how it is measured.

Everything is served from 127.0.0.1 by ``scripts/serve.py`` (strict CSP, gzip on); Chromium is Debian's
``/usr/bin/chromium`` (never ``playwright install``) with every non-loopback request sent to a dead proxy.
No request routing: Playwright's routing disables the HTTP cache, and the warm figures need that cache.

The report functions at the top (:func:`summarize`, :func:`paired_ratios`, :func:`build_report`,
:func:`evaluate_targets`, :func:`render_markdown`) are pure and unit-tested in ``tests/test_bench_report.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

__all__ = [
    "HEADLINE_METRICS",
    "TARGETS",
    "Target",
    "build_report",
    "evaluate_targets",
    "main",
    "paired_ratios",
    "proc_stat_cpu",
    "python_long_frames",
    "render_markdown",
    "sample_storage_text",
    "summarize",
    "wait_until_quiet",
]

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("NC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Network safety (as in tests/browser/conftest.py): no name resolves, nothing but loopback goes anywhere.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]
STORAGE_KEY = "netcom-checklist"
CHECKLIST_PATH = "checklist/"
STEP_PATH = "steps/2-domain-transfer/"
THEME_WARMUP_PATH = ""  # the overview page: a reader usually arrives at a step page from it
READY_TIMEOUT_MS = 90_000
SETTLE_MS = 1500  # after the last awaited event: lets lazy fetches (search index, …) finish before counting bytes
# Before each timed navigation the machine must be quiet: a new browser context opens a new (headless) window,
# and Chromium 156 starts that window's own UI there (a WebUI omnibox-popup renderer: ~1.3 s of CPU in its
# first ~1.5 s, seen in a trace). A reader's browser window is open before they type the address, so that work
# is not part of a page load; on 2 cores it would otherwise run against whichever page is measured.
QUIET_BUSY_FRACTION = 0.10  # all cores together, from /proc/stat
QUIET_WINDOW_S = 0.25
QUIET_WINDOWS = 2  # consecutive quiet windows
QUIET_CAP_S = 5.0  # a machine that never gets quiet is measured anyway (and the report counts it)

# The top-level keys of report.json, each the median of its metric (issue 6 names these).
HEADLINE_METRICS = (
    "state_visible_ms",
    "overview_100_state_visible_ms",
    "python_ready_cold_ms",
    "python_ready_warm_ms",
    "bare_runtime_cold_ms",
    "ready_ratio_cold",
    "warm_over_cold",
    "main_thread_long_tasks",
    "first_visit_bytes_checklist",
    "first_visit_bytes_step_page",
    "build_s",
    # The phone (issue 17): shaped network (scripts/shaping_proxy.py) and 4x CPU throttling.
    "phone_bare_cold_ms",
    "phone_tools_ready_cold_ms",
    "phone_tools_ready_warm_ms",
    "phone_tools_after_step_ms",
    "phone_ratio_cold",
    "first_visit_bytes_tools",
    "phone_step_lcp_ms",
    "phone_step_bytes",
)


# --- pure report functions ---------------------------------------------------------------------------------


def summarize(values: Sequence[float]) -> dict[str, Any]:
    """``{min, median, max, runs}`` of the measured values (``runs`` keeps them in order); empty → all None."""
    clean = [float(v) for v in values]
    if not clean:
        return {"min": None, "median": None, "max": None, "runs": []}
    return {"min": min(clean), "median": statistics.median(clean), "max": max(clean), "runs": clean}


def paired_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Per-run ratios ``n[i] / d[i]`` of two series measured in the same runs; pairs with a zero divisor are dropped.

    Pairing (instead of dividing medians) cancels most of a loaded machine's slowdown, which hits both
    figures of one run alike: that is why the ratio is what gets compared across machines.
    """
    return [n / d for n, d in zip(numerators, denominators, strict=False) if d]


@dataclass(frozen=True, slots=True)
class Target:
    """One target of issue 6: ``metric``'s median must be ``<= limit``."""

    metric: str
    limit: float
    text: str


TARGETS = (
    Target("state_visible_ms", 150.0, "saved state visible ≤ 150 ms"),
    Target("overview_100_state_visible_ms", 150.0, "100 domains: state and overview visible ≤ 150 ms"),
    Target("ready_ratio_cold", 1.15, "Python ready ≤ 1.15 × bare runtime start (first visit)"),
    Target("ready_ratio_warm", 0.35, "Python ready ≤ 0.35 × bare runtime start (repeat visit)"),
    Target("python_long_tasks", 0.0, "no main-thread long task from Python while it starts"),
    Target("first_visit_bytes_checklist", 6_000_000.0, "checklist page first visit ≤ 6 MB compressed"),
    Target("step_page_bytes_beyond_theme", 150_000.0, "step page ≤ 150 KB beyond cached theme assets"),
    Target("build_s", 3.0, "mkdocs build (both languages) ≤ 3 s"),
    Target("phone_ratio_cold", 0.65, "phone: hosts tool Python ready ≤ 0.65 × bare runtime (first visit)"),
    Target("phone_tools_after_step_ms", 8000.0, "phone: hosts tool ready ≤ 8 s after 20 s on a step page"),
    Target("phone_tools_ready_warm_ms", 2000.0, "phone: hosts tool ready ≤ 2 s on a repeat visit"),
    Target("first_visit_bytes_tools", 4_000_000.0, "hosts tool first visit ≤ 4.0 MB compressed"),
    Target("first_visit_bytes_checklist", 3_800_000.0, "checklist page first visit ≤ 3.8 MB compressed"),
    Target("phone_step_lcp_ms", 1500.0, "phone: step page LCP ≤ 1.5 s"),
)


def build_report(
    samples: Mapping[str, Sequence[float]],
    machine: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The report.json document: top-level medians, ``metrics`` (min/median/max/runs), ``machine``, ``targets``.

    ``samples`` maps a metric name to its per-run values. The ratios are derived here from the paired runs:
    ``ready_ratio_cold`` = python_ready_cold / bare_runtime_cold, ``ready_ratio_warm`` = python_ready_warm /
    bare_runtime_cold, ``warm_over_cold`` = python_ready_warm / python_ready_cold.
    """
    series: dict[str, list[float]] = {name: [float(v) for v in values] for name, values in samples.items()}
    cold = series.get("python_ready_cold_ms", [])
    warm = series.get("python_ready_warm_ms", [])
    bare = series.get("bare_runtime_cold_ms", [])
    series["ready_ratio_cold"] = paired_ratios(cold, bare)
    series["ready_ratio_warm"] = paired_ratios(warm, bare)
    series["warm_over_cold"] = paired_ratios(warm, cold)
    if "phone_tools_ready_cold_ms" in series:
        series["phone_ratio_cold"] = paired_ratios(
            series["phone_tools_ready_cold_ms"], series.get("phone_bare_cold_ms", [])
        )
    metrics = {name: summarize(values) for name, values in sorted(series.items())}
    report: dict[str, Any] = {name: metrics.get(name, summarize([]))["median"] for name in HEADLINE_METRICS}
    for name, summary in metrics.items():
        report.setdefault(name, summary["median"])
    report["metrics"] = metrics
    report["machine"] = dict(machine)
    report["targets"] = evaluate_targets(report)
    if extra:
        report.update({key: value for key, value in extra.items() if key not in report})
    return report


def evaluate_targets(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each target with its median value and ``met`` (True / False, None when the metric was not measured)."""
    results = []
    for target in TARGETS:
        value = report.get(target.metric)
        met = None if value is None else bool(value <= target.limit)
        results.append(
            {"metric": target.metric, "limit": target.limit, "text": target.text, "value": value, "met": met}
        )
    return results


def _fmt(value: Any, metric: str) -> str:
    if value is None:
        return "—"
    if metric.endswith("_ms"):
        return f"{value:.0f} ms"
    if metric.endswith("_s"):
        return f"{value:.2f} s"
    if "bytes" in metric:
        return f"{value / 1000:.1f} kB" if value < 1_000_000 else f"{value / 1_000_000:.2f} MB"
    if "ratio" in metric or "over" in metric:
        return f"{value:.2f}"
    return f"{value:g}"


def render_markdown(report: Mapping[str, Any]) -> str:
    """The short bench/report.md summary: machine, min/median/max per metric, targets met / not met."""
    machine = report.get("machine", {})
    load = machine.get("load_average_start")
    lines = [
        "# Benchmark report",
        "",
        f"Ran {machine.get('date', '?')} on {machine.get('cpu_model', '?')} ({machine.get('cores', '?')} cores, "
        f"{machine.get('memory_gb', '?')} GB), {machine.get('os', '?')}, {machine.get('chromium', '?')}, "
        f"Python {machine.get('python', '?')}. Load average at start: {load if load is not None else '?'}; "
        f"runs: {machine.get('runs', '?')} (build: {machine.get('build_runs', '?')}).",
        "",
        "## Targets (issue 6)",
        "",
        "| Target | Median | Met |",
        "|---|---|---|",
    ]
    for target in report.get("targets", []):
        met = {True: "met", False: "**not met**", None: "not measured"}[target["met"]]
        lines.append(f"| {target['text']} | {_fmt(target['value'], target['metric'])} | {met} |")
    lines += ["", "## Figures", "", "| Metric | Min | Median | Max | Runs |", "|---|---|---|---|---|"]
    for name, summary in report.get("metrics", {}).items():
        cells = [_fmt(summary[key], name) for key in ("min", "median", "max")]
        lines.append(f"| `{name}` | {' | '.join(cells)} | {len(summary['runs'])} |")
    lines += ["", "What each figure means: `bench/README.md`.", ""]
    return "\n".join(lines)


def wait_until_quiet(
    read_cpu: Callable[[], tuple[int, int]],
    sleep: Callable[[float], None] = time.sleep,
    *,
    busy_fraction: float = QUIET_BUSY_FRACTION,
    window_s: float = QUIET_WINDOW_S,
    windows: int = QUIET_WINDOWS,
    cap_s: float = QUIET_CAP_S,
) -> tuple[float, bool]:
    """Wait until ``windows`` consecutive windows of ``window_s`` had the CPU busy less than ``busy_fraction``
    of the time (``read_cpu()`` returns cumulative ``(busy, total)`` ticks, as /proc/stat counts them), at most
    ``cap_s``. Returns ``(seconds waited, quiet)``; ``quiet`` is False when the cap was reached first."""
    waited = 0.0
    quiet_in_a_row = 0
    busy, total = read_cpu()
    while waited < cap_s:
        sleep(window_s)
        waited += window_s
        busy_now, total_now = read_cpu()
        elapsed = total_now - total
        fraction = (busy_now - busy) / elapsed if elapsed > 0 else 0.0
        busy, total = busy_now, total_now
        quiet_in_a_row = quiet_in_a_row + 1 if fraction < busy_fraction else 0
        if quiet_in_a_row >= windows:
            return waited, True
    return waited, False


def proc_stat_cpu() -> tuple[int, int]:
    """Cumulative (busy, total) CPU ticks of all cores from /proc/stat (idle and iowait are not busy)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4], sum(fields)


def sample_storage_text(today: date | None = None) -> str:
    """A realistic saved state in the real format: 5 migrations at different stages, notes and dates."""
    sys.path.insert(0, str(REPO))
    from datetime import timedelta

    from checklist_app import storage
    from checklist_app.progress import Workspace

    today = today or date(2026, 12, 1)
    now = f"{today.isoformat()}T09:00:00+09:00"
    workspace = Workspace()
    domains = [
        ("example.co.jp", "Example 商事様"),
        ("日本語ドメイン.jp", "日本語ドメイン様"),
        ("shop-example.jp", ""),
        ("clinic.example.ne.jp", "○○クリニック様"),
        ("example.com", "Example Inc."),
    ]
    for position, (domain, label) in enumerate(domains):
        workspace, migration = workspace.add(domain, label, now=now)
        done = (2, 5, 8, 11, 12)[position]  # each migration at its own stage
        for number in range(1, done + 1):
            day = today - timedelta(days=3 * (done - number))
            migration = migration.set_done(number, True, today=day, now=now)
            migration = migration.set_note(number, f"対応済み ({number})", now=now)
        if done >= 2:
            migration = migration.set_cancellation_date(today + timedelta(days=45), now=now)
        workspace = workspace.put(migration)
    return storage.dumps(workspace.select(workspace.migrations[1].id))


def sample_storage_many(count: int = 100, today: date | None = None) -> str:
    """A reseller's browser with ``count`` domains at every stage, with application, switch and cancellation dates
    (issue 16: the overview of every domain must paint within the checklist's first-paint budget)."""
    from checklist_app import storage
    from checklist_app.progress import Workspace
    from checklist_app.schedule import is_switch_day

    today = today or date(2026, 12, 1)
    now = f"{today.isoformat()}T09:00:00+09:00"
    workspace = Workspace()
    for position in range(count):
        workspace, migration = workspace.add(f"customer{position:03d}.example.jp", f"顧客 {position:03d} 様", now=now)
        done = position % 13
        applied = today - timedelta(days=2 * done + position % 5)
        migration = migration.set_extra_date("application_date", applied, now=now)
        for number in range(1, done + 1):
            migration = migration.set_done(number, True, today=applied + timedelta(days=2 * number), now=now)
        switch = today + timedelta(days=10 + position % 40)
        while not is_switch_day(switch):
            switch += timedelta(days=1)
        if position % 3:
            migration = migration.set_extra_date("switch_date", switch, now=now)
            migration = migration.set_cancellation_date(switch + timedelta(days=7 + position % 20), now=now)
        workspace = workspace.put(migration)
    return storage.dumps(workspace)


# --- the measuring side ------------------------------------------------------------------------------------

# Installed before any page script: collects long tasks from the very start of the document.
# Long animation frames (Chromium's LoAF API) name the scripts that ran in them: the report says whose work a
# long task was (the theme's bundle, our glue, ...), which the longtask entries cannot.
_LONGTASK_OBSERVER = """
window.__ncLong = [];
window.__ncFrames = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__ncLong.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
} catch (e) { window.__ncLong = null; }
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const scripts = (e.scripts || []).map((s) => [s.sourceURL || s.invoker || "?", s.duration]);
      window.__ncFrames.push([e.startTime, e.duration, e.blockingDuration, scripts]);
    }
  }).observe({ type: "long-animation-frame", buffered: true });
} catch (e) { window.__ncFrames = null; }
"""

_BARE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module" src="bare.js"></script></head><body><p id="out">starting</p></body></html>
"""
# The main thread starts a module worker (as app.js does) and marks the moment the runtime reports ready.
_BARE_JS = """
const indexURL = new URL("pyodide/VERSION/", location.href).href;
const worker = new Worker(new URL("bare-worker.js", import.meta.url), { type: "module" });
worker.addEventListener("message", (event) => {
  performance.mark("nc-bare-ready");
  window.ncBare = { readyMs: performance.now(), workerMs: event.data.ms, error: event.data.error || null };
  document.documentElement.dataset.ncBare = event.data.error ? "failed" : "ready";
});
worker.postMessage({ indexURL });
"""
_BARE_WORKER_JS = """
self.addEventListener("message", async (event) => {
  const { indexURL } = event.data;
  const started = performance.now();
  try {
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
    await loadPyodide({
      indexURL,
      lockFileURL: new URL("pyodide-lock.json", indexURL).href,
      packageBaseUrl: indexURL,
      stdout: () => {},
      stderr: () => {},
    });
    self.postMessage({ ms: performance.now() - started });
  } catch (error) {
    self.postMessage({ ms: null, error: String(error) });
  }
});
"""


@dataclass
class Transfer:
    """One response the server sent: path, status, bytes on the wire (headers + body) and the file's raw size."""

    path: str
    status: int
    wire: int
    raw: int


class TransferLog:
    """What the server sent, in order; :meth:`mark` / :meth:`since` cut out one page visit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[Transfer] = []

    def add(self, entry: Transfer) -> None:
        with self._lock:
            self._entries.append(entry)

    def mark(self) -> int:
        with self._lock:
            return len(self._entries)

    def since(self, start: int) -> list[Transfer]:
        with self._lock:
            return list(self._entries[start:])


class _CountingWriter:
    """Wraps the handler's socket writer and counts the bytes written (status line, headers, body)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return int(self.inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def serve(root: Path, log: TransferLog | None = None) -> Iterator[str]:
    """Serve ``root`` with scripts/serve.py's production headers (CSP, gzip) on a free port; yields the base URL."""
    sys.path.insert(0, str(REPO / "scripts"))
    from serve import make_server

    server = make_server(root, "127.0.0.1", 0, csp=True, gzip_enabled=True)
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]  # a closed tab is fine
    if log is not None:
        handler = server.RequestHandlerClass
        assert isinstance(handler, partial)
        base = handler.func

        class Counting(base):  # type: ignore[valid-type, misc]
            """Records every response's wire size and the raw size of the file behind it."""

            def setup(self) -> None:
                super().setup()
                self.wfile = _CountingWriter(self.wfile)

            def handle_one_request(self) -> None:
                self.wfile.count = 0
                self._status = 0
                super().handle_one_request()
                if self._status and getattr(self, "path", None):
                    path = self.path.split("?", 1)[0]
                    local = Path(self.translate_path(path))
                    if local.is_dir():
                        local = local / "index.html"
                    raw = local.stat().st_size if self._status == 200 and local.is_file() else 0
                    log.add(Transfer(path, self._status, self.wfile.count, raw))

            def send_response(self, code: int, message: str | None = None) -> None:
                self._status = int(code)
                super().send_response(code, message)

        server.RequestHandlerClass = partial(Counting, *handler.args, **handler.keywords)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _pyodide_version(site: Path) -> str:
    versions = sorted(p.name for p in (site / "pyodide").iterdir() if p.is_dir())
    if not versions:
        raise SystemExit(f"{site}/pyodide has no runtime: run `make build` first")
    return versions[-1]


def _bare_root(site: Path, into: Path) -> Path:
    """A folder with the bare page and a symlink to the site's runtime, so both load the same bytes."""
    version = _pyodide_version(site)
    (into / "pyodide").symlink_to(site / "pyodide", target_is_directory=True)
    (into / "index.html").write_text(_BARE_HTML, encoding="utf-8")
    (into / "bare.js").write_text(_BARE_JS.replace("VERSION", version), encoding="utf-8")
    (into / "bare-worker.js").write_text(_BARE_WORKER_JS, encoding="utf-8")
    return into


def _mark(page: Any, name: str) -> float | None:
    value = page.evaluate(f"(performance.getEntriesByName({json.dumps(name)})[0] || {{}}).startTime ?? null")
    return None if value is None else float(value)


def _long_tasks(page: Any, start: float, end: float) -> tuple[int, float, int, float]:
    """(count, total ms) of long tasks overlapping [start, end], and (count, total ms) over the whole visit."""
    entries = page.evaluate("window.__ncLong || []")
    window = [(s, d) for s, d in entries if s < end and s + d > start]
    return len(window), sum(d for _, d in window), len(entries), sum(d for _, d in entries)


def _script_name(url: str) -> str:
    """A script's file name without hash or query (``bundle.<hash>.min.js`` → ``bundle.min.js``)."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or url
    parts = name.split(".")
    return ".".join(p for p in parts if not (len(p) >= 8 and all(c in "0123456789abcdef" for c in p)))


# Script files of the theme (Material's bundle and the three inline scripts moved to files): their work runs on every
# page, with or without Python. Our Python glue: the scripts that start the worker and talk to it on the main thread.
# (LONG_TASK_MS: a frame longer than this is a long task.)
THEME_SCRIPTS = ("bundle.min.js", "init.js", "palette.js", "content.js")
PYTHON_SCRIPTS = ("py-start.js", "app.js", "python.js", "checklist.js", "tools.js", "pyodide.mjs", "pyodide.asm.mjs")
LONG_TASK_MS = 50.0


def python_long_frames(
    frames: Sequence[Sequence[Any]],
    start: float,
    end: float,
    theme: Sequence[str] = THEME_SCRIPTS,
    glue: Sequence[str] = PYTHON_SCRIPTS,
) -> tuple[int, int, int, int]:
    """(Python's, the theme's, the page's, any with our glue) long animation frames overlapping [start, end].

    ``frames`` are ``[startTime, duration, blockingDuration, [[script URL, ms], ...]]`` (Chromium's Long Animation
    Frames API, which names the scripts that ran in a frame). Each long frame is blamed on whoever ran the most
    script in it: our Python glue (Python's), the theme's scripts (the theme's) or any other script (the page's); a
    frame no script is named for (parsing, style, layout) is the page's. The last number is stricter: every long
    frame in which our glue ran at all, however little of it.
    """
    python = theme_count = page = with_glue = 0
    for begin, duration, _blocking, scripts in frames:
        if not (begin < end and begin + duration > start) or duration <= LONG_TASK_MS:
            continue
        names = [(_script_name(str(url)), float(ms)) for url, ms in scripts]
        glue_ms = sum(ms for name, ms in names if name in glue)
        theme_ms = sum(ms for name, ms in names if name in theme)
        other_ms = sum(ms for name, ms in names if name not in glue and name not in theme)
        with_glue += any(name in glue for name, _ in names)
        if names and glue_ms > max(theme_ms, other_ms):
            python += 1
        elif names and theme_ms >= other_ms and theme_ms > 0:
            theme_count += 1
        else:
            page += 1
    return python, theme_count, page, with_glue


def _long_frame_scripts(page: Any, start: float, end: float) -> dict[str, float]:
    """Script time (ms) per script file inside long animation frames overlapping [start, end]."""
    frames = page.evaluate("window.__ncFrames || []")
    totals: dict[str, float] = {}
    for begin, duration, _blocking, scripts in frames:
        if begin < end and begin + duration > start:
            for url, ms in scripts:
                totals[_script_name(url)] = totals.get(_script_name(url), 0.0) + float(ms)
    return totals


def _bytes(transfers: Sequence[Transfer]) -> dict[str, float]:
    # Everything but a 304 revalidation is a new transfer (a 404 page costs bytes too).
    new = [t for t in transfers if t.status != 304]
    return {
        "wire": float(sum(t.wire for t in transfers)),
        "raw": float(sum(t.raw for t in new)),
        "new_wire": float(sum(t.wire for t in new)),
        "revalidated": float(sum(1 for t in transfers if t.status == 304)),
        "requests": float(len(transfers)),
    }


def _settle(page: Any) -> None:
    # A page that keeps a connection busy is still measured: a timeout here is not an error.
    with suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=15_000)
    page.wait_for_timeout(SETTLE_MS)


def _quiet(samples: dict[str, list[float]]) -> None:
    """Before a timed navigation: let the browser's own start-up work (a new window's UI) and the previous
    visit's trailing work end first (``wait_until_quiet``); the wait and whether it got quiet are reported."""
    if not Path("/proc/stat").is_file():
        time.sleep(1.0)
        return
    waited, quiet = wait_until_quiet(proc_stat_cpu)
    samples.setdefault("quiet_wait_ms", []).append(waited * 1000)
    samples.setdefault("quiet_not_reached", []).append(0.0 if quiet else 1.0)


def _context(browser: Any, base: str | None = None, state: str | None = None) -> Any:
    options: dict[str, Any] = {
        "viewport": {"width": 1280, "height": 900},
        "locale": "ja-JP",
        "timezone_id": "Asia/Tokyo",
    }
    if base and state is not None:
        origin = base.rstrip("/")
        options["storage_state"] = {
            "cookies": [],
            "origins": [{"origin": origin, "localStorage": _saved_storage(state)}],
        }
    context = browser.new_context(**options)
    context.set_default_timeout(READY_TIMEOUT_MS)
    context.add_init_script(_LONGTASK_OBSERVER)
    return context


def _saved_storage(state: str) -> list[dict[str, str]]:
    """What a returning reader's browser holds: the document and, beside it, the view Python wrote (the page paints
    the view; see checklist_app/STORAGE_FORMAT.md)."""
    from checklist_app.browser import VIEW_KEY, view_text
    from checklist_app.storage import loads

    view = view_text(loads(state).workspace)
    return [{"name": STORAGE_KEY, "value": state}, {"name": VIEW_KEY, "value": view}]


def _checklist_visit(page: Any, url: str) -> dict[str, Any]:
    """One navigation to the checklist page: state visible, Python ready, long tasks while Python starts."""
    page.goto(url, wait_until="commit")
    page.wait_for_selector("html[data-nc-state='shown']", state="attached")
    visible = _mark(page, "nc-state-visible")
    checked = page.evaluate("document.querySelectorAll('#checklist-form .nc-done:checked').length")
    options = page.evaluate("document.querySelectorAll('#nc-migration-select option').length")
    if not checked or options != 5:
        raise RuntimeError(f"saved state not shown: {checked} ticked boxes, {options} migrations in the selector")
    page.wait_for_selector("html[data-nc-python='ready'], html[data-nc-python='failed']", state="attached",
                           timeout=READY_TIMEOUT_MS)  # fmt: skip
    if page.evaluate("document.documentElement.dataset.ncPython") != "ready":
        raise RuntimeError("Python failed to start on the checklist page")
    ready = _mark(page, "nc-python-ready")
    started = _mark(page, "nc-python-start")  # py-start.js creates the worker
    assert visible is not None and ready is not None and started is not None
    in_window, in_window_ms, total, total_ms = _long_tasks(page, started, ready)
    scripts = _long_frame_scripts(page, started, ready)
    frames = page.evaluate("window.__ncFrames")
    if frames is None:  # no Long Animation Frames API: every long task in the window counts against Python
        python_frames, theme_frames, page_frames, glue_frames = in_window, 0, 0, in_window
    else:
        python_frames, theme_frames, page_frames, glue_frames = python_long_frames(frames, started, ready)
    fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime ?? null")
    start = page.evaluate("window.ncPython.phases.start")  # plain | snapshot | fallback (docs/assets/py-worker.js)
    return {
        "start": start,
        "visible": visible,
        "ready": ready,
        "fcp": float(fcp) if fcp is not None else -1.0,
        "python_window_long_tasks": float(in_window),
        "python_window_long_tasks_ms": in_window_ms,
        "python_long_tasks": float(python_frames),
        "theme_long_tasks": float(theme_frames),
        "page_long_tasks": float(page_frames),
        "glue_long_tasks": float(glue_frames),
        "python_window_scripts": scripts,
        "long_tasks": float(total),
        "long_tasks_ms": total_ms,
    }


def _wait_snapshot(page: Any) -> dict[str, float]:
    """After a plain start the worker stores a memory snapshot for the next visit: wait for it (a returning
    reader comes back later than the few hundred ms this takes) and return its size and cost."""
    page.wait_for_selector("html[data-nc-snapshot]", state="attached", timeout=READY_TIMEOUT_MS)
    report = page.evaluate("window.ncPython.snapshot")
    if not report.get("stored"):
        raise RuntimeError(f"the memory snapshot was not stored: {report.get('error')}")
    return {"bytes": float(report["bytes"]), "made_ms": float(report["madeMs"]), "total_ms": float(report["totalMs"])}


def _bare_visit(page: Any, url: str) -> tuple[float, float]:
    page.goto(url, wait_until="commit")
    page.wait_for_selector("html[data-nc-bare]", state="attached", timeout=READY_TIMEOUT_MS)
    result = page.evaluate("window.ncBare")
    if result.get("error"):
        raise RuntimeError(f"bare Pyodide failed: {result['error']}")
    return float(result["readyMs"]), float(result["workerMs"])


def measure_browser(site: Path, runs: int, samples: dict[str, list[float]], notes: dict[str, Any]) -> str:
    """All browser figures, ``runs`` times; returns the Chromium version."""
    from playwright.sync_api import sync_playwright

    state = sample_storage_text()
    many = sample_storage_many()
    started = time.perf_counter()
    view = _saved_storage(many)[1]["value"]
    notes["overview_100_view_python_ms"] = round((time.perf_counter() - started) * 1000, 1)
    notes["overview_100_view_bytes"] = len(view.encode("utf-8"))
    log = TransferLog()
    with tempfile.TemporaryDirectory(prefix="nc-bench-bare-") as temp, serve(site, log) as base, \
            serve(_bare_root(site, Path(temp))) as bare_base, sync_playwright() as driver:  # fmt: skip
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        version = f"Chromium {browser.version}"
        add = lambda name, value: samples.setdefault(name, []).append(float(value))  # noqa: E731
        starts: dict[str, int] = {}
        window_scripts: dict[str, float] = {}  # script ms in long frames while Python starts, mean per visit
        for run in range(runs):
            # Bare runtime, cold then warm: a fresh context (profile) on the empty page, then the same again.
            context = _context(browser)
            page = context.new_page()
            _quiet(samples)
            bare_cold, bare_worker = _bare_visit(page, bare_base)
            add("bare_runtime_cold_ms", bare_cold)
            add("bare_runtime_cold_worker_ms", bare_worker)
            bare_long = page.evaluate("(window.__ncLong || []).length")
            add("bare_page_long_tasks", bare_long)
            _quiet(samples)
            bare_warm, _ = _bare_visit(page, bare_base)
            add("bare_runtime_warm_ms", bare_warm)
            context.close()

            # The checklist with 5 saved migrations: cold (new profile), then warm (same context again).
            context = _context(browser, base, state)
            page = context.new_page()
            _quiet(samples)
            start = log.mark()
            cold = _checklist_visit(page, base + CHECKLIST_PATH)
            snapshot = _wait_snapshot(page)
            _settle(page)
            first = _bytes(log.since(start))
            _quiet(samples)
            warm = _checklist_visit(page, base + CHECKLIST_PATH)
            context.close()
            starts[f"cold:{cold['start']}"] = starts.get(f"cold:{cold['start']}", 0) + 1
            starts[f"warm:{warm['start']}"] = starts.get(f"warm:{warm['start']}", 0) + 1
            add("snapshot_bytes", snapshot["bytes"])
            add("snapshot_make_ms", snapshot["made_ms"])
            add("snapshot_store_ms", snapshot["total_ms"])
            add("state_visible_ms", cold["visible"])
            add("state_visible_warm_ms", warm["visible"])
            add("first_contentful_paint_ms", cold["fcp"])
            add("python_ready_cold_ms", cold["ready"])
            add("python_ready_warm_ms", warm["ready"])
            add("python_long_tasks", max(cold["python_long_tasks"], warm["python_long_tasks"]))
            add("python_window_long_tasks", max(cold["python_window_long_tasks"], warm["python_window_long_tasks"]))
            add("python_window_theme_long_tasks", max(cold["theme_long_tasks"], warm["theme_long_tasks"]))
            add("python_window_page_long_tasks", max(cold["page_long_tasks"], warm["page_long_tasks"]))
            add("python_window_glue_long_tasks", max(cold["glue_long_tasks"], warm["glue_long_tasks"]))
            for visit in (cold, warm):
                for name, ms in visit["python_window_scripts"].items():
                    window_scripts[name] = window_scripts.get(name, 0.0) + ms / (2 * runs)
            add("main_thread_long_tasks", cold["long_tasks"])

            # A reseller with 100 domains: the overview's rows painted with the rest, before the first paint.
            context = _context(browser, base, many)
            page = context.new_page()
            _quiet(samples)
            page.goto(base + CHECKLIST_PATH, wait_until="commit")
            page.wait_for_selector("html[data-nc-state='shown']", state="attached")
            rows = page.evaluate("document.querySelectorAll('#nc-overview-table tbody tr').length")
            if rows != 100:
                raise RuntimeError(f"the overview shows {rows} rows, not 100")
            add("overview_100_state_visible_ms", _mark(page, "nc-state-visible") or -1.0)
            context.close()
            add("main_thread_long_tasks_ms", cold["long_tasks_ms"])
            add("main_thread_long_tasks_warm", warm["long_tasks"])
            add("first_visit_bytes_checklist", first["wire"])
            add("first_visit_bytes_checklist_raw", first["raw"])
            add("first_visit_requests_checklist", first["requests"])

            # A step page: first visit on a new profile, then after the overview (theme assets cached).
            context = _context(browser)
            page = context.new_page()
            start = log.mark()
            page.goto(base + STEP_PATH, wait_until="load")
            _settle(page)
            step = _bytes(log.since(start))
            context.close()
            add("first_visit_bytes_step_page", step["wire"])
            add("first_visit_bytes_step_page_raw", step["raw"])
            add("first_visit_requests_step_page", step["requests"])
            context = _context(browser)
            page = context.new_page()
            page.goto(base + THEME_WARMUP_PATH, wait_until="load")
            _settle(page)
            start = log.mark()
            page.goto(base + STEP_PATH, wait_until="load")
            _settle(page)
            beyond = _bytes(log.since(start))
            context.close()
            add("step_page_bytes_beyond_theme", beyond["new_wire"])
            add("step_page_bytes_beyond_theme_raw", beyond["raw"])
            add("step_page_bytes_revalidations", beyond["wire"] - beyond["new_wire"])
            add("step_page_revalidated_requests", beyond["revalidated"])
            print(f"run {run + 1}/{runs}: visible {cold['visible']:.0f} ms, ready cold {cold['ready']:.0f} ms / "
                  f"warm {warm['ready']:.0f} ms, bare {bare_cold:.0f} ms", flush=True)  # fmt: skip
        browser.close()
    # How each checklist visit started Python: a warm visit that did not restore the snapshot is a finding.
    notes["python_start_modes"] = starts
    notes["python_window_long_frame_script_ms"] = {k: round(v, 1) for k, v in sorted(window_scripts.items())}
    notes["first_visit_paths_checklist"] = sorted({t.path for t in log.since(0) if t.path.startswith("/pyodide/")})
    return version


# --- the phone (issue 17) ------------------------------------------------------------------------------------

PHONE_TOOL_PATH = "tools/hosts/"
PHONE_STEP_PATH = "steps/6-dns-switch/"  # links to the hosts tool and the checklist: it fetches ahead
PHONE_READ_STEP_S = 20.0
PHONE_CPU_RATE = 4
PHONE_VIEWPORT = {"width": 412, "height": 915}
_LCP_JS = """() => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    resolve(entries.length ? entries[entries.length - 1].startTime : null);
  }).observe({ type: "largest-contentful-paint", buffered: true });
  setTimeout(() => resolve(null), 3000);
})"""


def _phone_page(browser: Any) -> tuple[Any, Any]:
    """A new profile as a mid-range phone: small touch screen, the page's CPU throttled 4x (CDP)."""
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, device_scale_factor=2.625, is_mobile=True, has_touch=True,
        locale="ja-JP", timezone_id="Asia/Tokyo",
    )  # fmt: skip
    context.set_default_timeout(READY_TIMEOUT_MS * 2)
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_RATE})
    return context, page


def _python_ready(page: Any) -> tuple[float, dict[str, Any]]:
    page.wait_for_selector("html[data-nc-python='ready'], html[data-nc-python='failed']", state="attached",
                           timeout=READY_TIMEOUT_MS * 2)  # fmt: skip
    if page.evaluate("document.documentElement.dataset.ncPython") != "ready":
        raise RuntimeError(f"Python failed to start on {page.url}")
    ready = _mark(page, "nc-python-ready")
    assert ready is not None
    return ready, dict(page.evaluate("window.ncPython.phases"))


def measure_phone(site: Path, runs: int, samples: dict[str, list[float]], notes: dict[str, Any]) -> None:
    """The phone figures, ``runs`` times: every byte through the shaping proxy (service workers included), 4x CPU.

    Per run, bare page and ours alternate: the bare runtime (first visit), the hosts tool first visit (bytes too)
    and repeat visit (snapshot), then a new profile reading a step page for 20 s before opening the hosts tool.
    """
    from playwright.sync_api import sync_playwright
    from shaping_proxy import ShapingProxy

    log = TransferLog()
    add = lambda name, value: samples.setdefault(name, []).append(float(value))  # noqa: E731
    phases: dict[str, list[dict[str, Any]]] = {"cold": [], "warm": [], "after_step": []}
    prefetch: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nc-bench-phone-bare-") as temp, serve(site, log) as base, \
            serve(_bare_root(site, Path(temp))) as bare_base, sync_playwright() as driver:  # fmt: skip
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for run in range(runs):
            load = os.getloadavg()[0]
            add("phone_load_average", load)
            with ShapingProxy(int(bare_base.rsplit(":", 1)[1].strip("/"))) as proxy:
                context, page = _phone_page(browser)
                _quiet(samples)
                bare, _ = _bare_visit(page, f"http://127.0.0.1:{proxy.port}/")
                context.close()
            add("phone_bare_cold_ms", bare)
            with ShapingProxy(int(base.rsplit(":", 1)[1].strip("/"))) as proxy:
                shaped = f"http://127.0.0.1:{proxy.port}/"
                context, page = _phone_page(browser)
                _quiet(samples)
                start = log.mark()
                page.goto(shaped + PHONE_TOOL_PATH, wait_until="commit")
                cold, cold_phases = _python_ready(page)
                _wait_snapshot(page)
                _settle(page)
                add("first_visit_bytes_tools", _bytes(log.since(start))["wire"])
                _quiet(samples)
                page.goto(shaped + PHONE_TOOL_PATH, wait_until="commit")
                warm, warm_phases = _python_ready(page)
                context.close()

                context, page = _phone_page(browser)
                _quiet(samples)
                start = log.mark()
                page.goto(shaped + PHONE_STEP_PATH, wait_until="load")
                lcp = page.evaluate(_LCP_JS)
                page.wait_for_timeout(PHONE_READ_STEP_S * 1000)
                step_bytes = sum(t.wire for t in log.since(start) if not t.path.startswith("/pyodide/"))
                prefetch.append(str(page.get_attribute("html", "data-nc-prefetch")))
                page.goto(shaped + PHONE_TOOL_PATH, wait_until="commit")
                after, after_phases = _python_ready(page)
                context.close()
            add("phone_tools_ready_cold_ms", cold)
            add("phone_tools_ready_warm_ms", warm)
            add("phone_tools_after_step_ms", after)
            add("phone_step_lcp_ms", lcp if lcp is not None else -1.0)
            add("phone_step_bytes", step_bytes)
            phases["cold"].append(cold_phases)
            phases["warm"].append(warm_phases)
            phases["after_step"].append(after_phases)
            print(f"phone run {run + 1}/{runs} (load {load:.2f}): bare {bare:.0f} ms, hosts cold {cold:.0f} ms / "
                  f"warm {warm:.0f} ms / after step {after:.0f} ms, step LCP {lcp} ms", flush=True)  # fmt: skip
        browser.close()
    notes["phone_worker_phases_ms"] = phases  # py-worker.js's own marks, per visit: where a phone start spends time
    notes["phone_prefetch_states"] = prefetch
    notes["phone_network"] = "150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, shared (scripts/shaping_proxy.py); CPU 4x"


def measure_build(runs: int, samples: dict[str, list[float]], notes: dict[str, Any]) -> None:
    """``mkdocs build --strict`` (both languages) into a temporary folder, ``runs`` times.

    When the strict build fails (other work in progress in docs/), the build is timed without ``--strict``
    (same work, only warnings do not abort) and the report says so in ``build_strict_failed``.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    strict = ["--strict"]
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="nc-bench-build-") as temp:
            command = [str(REPO / ".venv/bin/mkdocs"), "build", *strict, "-q", "-d", temp]
            started = time.perf_counter()
            result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - started
        if result.returncode != 0 and strict:
            print(f"mkdocs build --strict failed; timing without --strict:\n{result.stderr[-1500:]}", file=sys.stderr)
            notes["build_strict_failed"] = True
            strict = []
            continue
        if result.returncode != 0:
            print(f"mkdocs build failed (not timed):\n{result.stderr[-1500:]}", file=sys.stderr)
            continue
        samples.setdefault("build_s", []).append(elapsed)


def machine_info() -> dict[str, Any]:
    """CPU, cores, memory, load average now, OS, Python."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Benchmark the built site in headless Chromium (issue 6).")
    parser.add_argument("--runs", type=int, default=9, help="browser runs (default 9)")
    parser.add_argument("--build-runs", type=int, default=3, help="mkdocs build runs (default 3)")
    parser.add_argument("--phone-runs", type=int, default=3, help="phone runs, shaped network + 4x CPU (default 3)")
    parser.add_argument("--site", type=Path, default=REPO / "site", help="built site (default: site/)")
    parser.add_argument("--out", type=Path, default=REPO / "bench", help="report folder (default: bench/)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "checklist" / "index.html").is_file() or not (site / "pyodide").is_dir():
        print(f"bench: {site} is not a built site with pyodide/: run `make build`", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is None:
        print(f"bench: {CHROMIUM} is missing (`make system-deps`)", file=sys.stderr)
        return 1
    machine = machine_info()
    machine.update(runs=args.runs, build_runs=args.build_runs, phone_runs=args.phone_runs)
    samples: dict[str, list[float]] = {}
    notes: dict[str, Any] = {}
    # Measure a private copy: other work may rebuild site/ while the benchmark runs.
    with tempfile.TemporaryDirectory(prefix="nc-bench-site-") as temp:
        snapshot = Path(temp) / "site"
        shutil.copytree(site, snapshot)
        machine["chromium"] = measure_browser(snapshot, args.runs, samples, notes)
        if args.phone_runs > 0:
            measure_phone(snapshot, args.phone_runs, samples, notes)
    measure_build(args.build_runs, samples, notes)
    machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    report = build_report(samples, machine, notes)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "report.md").write_text(render_markdown(report), encoding="utf-8")
    print(render_markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
