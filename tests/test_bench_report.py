"""scripts/bench.py's pure report functions: medians, paired ratios, report keys, targets, Markdown, saved state."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import bench  # scripts/ is not a package: found through the path added above
from checklist_app.storage import loads

MACHINE = {"cpu_model": "Test CPU", "cores": 2, "load_average_start": [1.0, 0.5, 0.25]}


def full_samples() -> dict[str, list[float]]:
    """Per-run values for every measured headline metric (ratios are derived, not given)."""
    return {
        "state_visible_ms": [120.0, 80.0, 100.0],
        "python_ready_cold_ms": [3000.0, 2400.0, 3300.0],
        "python_ready_warm_ms": [600.0, 900.0, 1100.0],
        "bare_runtime_cold_ms": [2000.0, 2000.0, 3000.0],
        "main_thread_long_tasks": [0.0, 1.0, 0.0],
        "python_long_tasks": [0.0, 0.0, 0.0],
        "first_visit_bytes_checklist": [6_500_000.0, 6_500_000.0, 6_500_000.0],
        "first_visit_bytes_step_page": [250_000.0, 251_000.0, 249_000.0],
        "step_page_bytes_beyond_theme": [50_000.0, 50_000.0, 50_000.0],
        "build_s": [2.0, 4.0, 3.5],
    }


def test_summarize_odd_count() -> None:
    """The median of an odd number of runs is the middle value; min and max are the extremes."""
    assert bench.summarize([5.0, 1.0, 3.0]) == {"min": 1.0, "median": 3.0, "max": 5.0, "runs": [5.0, 1.0, 3.0]}


def test_summarize_even_count() -> None:
    """The median of an even number of runs is the mean of the two middle values."""
    assert bench.summarize([4, 1, 3, 2])["median"] == 2.5


def test_summarize_empty() -> None:
    """A metric with no runs summarizes to None values, not an error."""
    assert bench.summarize([]) == {"min": None, "median": None, "max": None, "runs": []}


def test_paired_ratios_per_run() -> None:
    """Ratios divide the values of the same run, pair by pair."""
    assert bench.paired_ratios([3.0, 2.0], [2.0, 4.0]) == [1.5, 0.5]


def test_paired_ratios_drop_zero_divisor() -> None:
    """A run whose divisor is zero is left out instead of dividing by zero."""
    assert bench.paired_ratios([3.0, 2.0], [0.0, 4.0]) == [0.5]


def test_report_has_every_headline_key() -> None:
    """report.json's top level holds each headline metric named by issue 6, plus machine and metrics."""
    report = bench.build_report(full_samples(), MACHINE)
    missing = [key for key in (*bench.HEADLINE_METRICS, "machine", "metrics", "targets") if key not in report]
    assert missing == []


def test_report_top_level_is_the_median() -> None:
    """A headline value is the median of its runs."""
    report = bench.build_report(full_samples(), MACHINE)
    assert report["build_s"] == 3.5
    assert report["metrics"]["build_s"] == {"min": 2.0, "median": 3.5, "max": 4.0, "runs": [2.0, 4.0, 3.5]}


def test_report_ready_ratio_cold_is_median_of_paired_ratios() -> None:
    """ready_ratio_cold is the median of python_ready_cold / bare_runtime_cold taken run by run."""
    report = bench.build_report(full_samples(), MACHINE)
    # per run: 1.5, 1.2, 1.1 -> median 1.2 (the ratio of the medians would be 3000 / 2000 = 1.5)
    assert report["ready_ratio_cold"] == pytest.approx(1.2)
    assert report["metrics"]["ready_ratio_cold"]["runs"] == pytest.approx([1.5, 1.2, 1.1])


def test_report_warm_over_cold() -> None:
    """warm_over_cold is the median of python_ready_warm / python_ready_cold per run."""
    report = bench.build_report(full_samples(), MACHINE)
    # per run: 0.2, 0.375, 0.3333 -> median 0.3333
    assert report["warm_over_cold"] == pytest.approx(1100.0 / 3300.0)


def test_report_ready_ratio_warm_uses_bare_cold() -> None:
    """ready_ratio_warm divides the warm Python start by the bare runtime's cold start of the same run."""
    report = bench.build_report(full_samples(), MACHINE)
    # per run: 0.3, 0.45, 0.3667 -> median 0.3667
    assert report["ready_ratio_warm"] == pytest.approx(1100.0 / 3000.0)


def test_report_missing_metric_is_none() -> None:
    """A headline metric that was not measured is present as None (the key set stays comparable)."""
    report = bench.build_report({"build_s": [1.0]}, MACHINE)
    assert report["state_visible_ms"] is None
    assert report["ready_ratio_cold"] is None


def test_report_keeps_machine() -> None:
    """The machine description is copied into the report unchanged."""
    assert bench.build_report(full_samples(), MACHINE)["machine"] == MACHINE


def test_report_extra_does_not_override_figures() -> None:
    """Extra notes are added, but cannot replace a measured figure."""
    report = bench.build_report(full_samples(), MACHINE, {"build_s": 0.0, "note": "x"})
    assert (report["build_s"], report["note"]) == (3.5, "x")


def test_report_is_json() -> None:
    """The report survives a JSON round trip unchanged."""
    report = bench.build_report(full_samples(), MACHINE)
    assert json.loads(json.dumps(report)) == report


def targets_by_metric(report: dict[str, Any]) -> dict[str, Any]:
    """The target results keyed by metric."""
    return {target["metric"]: target for target in report["targets"]}


def test_targets_met_and_not_met() -> None:
    """Each target is judged on its median: under the limit is met, over it is not."""
    targets = targets_by_metric(bench.build_report(full_samples(), MACHINE))
    assert targets["state_visible_ms"]["met"] is True  # 100 ms ≤ 150
    assert targets["first_visit_bytes_checklist"]["met"] is False  # 6.5 MB > 6 MB
    assert targets["build_s"]["met"] is False  # 3.5 s > 3
    assert targets["ready_ratio_warm"]["met"] is False  # 0.37 > 0.35


def test_target_at_limit_is_met() -> None:
    """A value exactly at the limit meets the target (the limits are "≤")."""
    targets = targets_by_metric({"targets": bench.evaluate_targets({"build_s": 3.0})})
    assert targets["build_s"]["met"] is True


def test_target_not_measured() -> None:
    """A target whose metric is missing is reported as not measured (None), not as met."""
    targets = targets_by_metric({"targets": bench.evaluate_targets({})})
    assert all(target["met"] is None for target in targets.values())


def test_markdown_lists_targets_and_figures() -> None:
    """report.md names each target with met / not met and gives min / median / max per metric."""
    text = bench.render_markdown(bench.build_report(full_samples(), MACHINE))
    assert "| saved state visible ≤ 150 ms | 100 ms | met |" in text
    assert "| mkdocs build (both languages) ≤ 3 s | 3.50 s | **not met** |" in text
    assert "| `build_s` | 2.00 s | 3.50 s | 4.00 s | 3 |" in text
    assert "[1.0, 0.5, 0.25]" in text


def test_sample_state_is_real_format_with_five_migrations() -> None:
    """The saved state written before navigation loads cleanly with checklist_app.storage: 5 migrations."""
    result = loads(bench.sample_storage_text())
    assert (len(result.workspace.migrations), result.recovered) == (5, False)


def test_sample_state_has_progress() -> None:
    """The saved state is realistic: the active migration has ticked items with dates."""
    active = loads(bench.sample_storage_text()).workspace.active
    assert active is not None
    done = [item for item in active.items if item.done]
    assert done and all(item.completed_on is not None for item in done)


BUNDLE = "http://127.0.0.1:8000/assets/javascripts/bundle.a5f9d56c.min.js"
APP = "http://127.0.0.1:8000/assets/app.js"
START = "http://127.0.0.1:8000/assets/py-start.js"
VIEW = "http://127.0.0.1:8000/assets/checklist-view.js"


def test_long_frame_is_blamed_on_whoever_ran_the_most_script() -> None:
    """Material's DOMContentLoaded work (152 ms) with app.js (17 ms) in one 232 ms frame is the theme's long task;
    the strict count still notes that our glue ran in it."""
    frames = [[913.0, 232.0, 135.0, [[APP, 17.0], [BUNDLE, 152.0], [BUNDLE, 7.0]]]]
    assert bench.python_long_frames(frames, 50.0, 5000.0) == (0, 1, 0, 1)


def test_long_frame_where_our_glue_ran_the_most_is_pythons() -> None:
    """A long frame whose largest script is app.js or py-start.js is Python's, even when most of it is rendering."""
    frames = [
        [100.0, 120.0, 70.0, [[APP, 90.0]]],
        [400.0, 80.0, 30.0, [[START, 2.0]]],  # a little glue, then 78 ms of rendering it caused
        [900.0, 130.0, 80.0, [[BUNDLE, 40.0], [APP, 60.0]]],
    ]
    assert bench.python_long_frames(frames, 50.0, 5000.0) == (3, 0, 0, 3)


def test_long_frame_without_python_glue_is_the_pages() -> None:
    """Parsing or layout with no script, or the early checklist view, is the page's own work."""
    frames = [
        [100.0, 80.0, 30.0, []],
        [300.0, 70.0, 20.0, [[VIEW, 30.0]]],
        [500.0, 90.0, 30.0, [[VIEW, 30.0], [APP, 5.0]]],
    ]
    assert bench.python_long_frames(frames, 50.0, 5000.0) == (0, 0, 3, 1)


def test_long_frames_outside_the_window_or_short_are_ignored() -> None:
    """Only frames overlapping the Python window and longer than 50 ms count."""
    frames = [
        [0.0, 60.0, 10.0, [[APP, 55.0]]],  # ends before the window starts at 100
        [6000.0, 200.0, 150.0, [[APP, 190.0]]],  # starts after the window ends
        [500.0, 50.0, 0.0, [[APP, 50.0]]],  # not longer than 50 ms
        [90.0, 70.0, 20.0, [[APP, 60.0]]],  # overlaps the start of the window: counts
    ]
    assert bench.python_long_frames(frames, 100.0, 5000.0) == (1, 0, 0, 1)


class FakeCpu:
    """/proc/stat as a list of per-window busy fractions: each sleep advances 100 ticks of all cores."""

    def __init__(self, fractions: list[float]) -> None:
        self.fractions = list(fractions)
        self.busy = 0
        self.total = 0
        self.slept: list[float] = []

    def read(self) -> tuple[int, int]:
        return self.busy, self.total

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        fraction = self.fractions.pop(0) if self.fractions else 1.0
        self.busy += round(100 * fraction)
        self.total += 100


def test_quiet_after_two_quiet_windows_in_a_row() -> None:
    # busy (a new window's UI starting), one quiet window, busy again, then quiet twice: 5 windows waited
    cpu = FakeCpu([0.9, 0.05, 0.6, 0.02, 0.01, 0.9])
    waited, quiet = bench.wait_until_quiet(cpu.read, cpu.sleep, window_s=0.25, windows=2, cap_s=5.0)
    assert quiet is True
    assert waited == pytest.approx(5 * 0.25)
    assert len(cpu.slept) == 5


def test_quiet_machine_waits_only_the_windows() -> None:
    cpu = FakeCpu([0.0, 0.0, 0.0])
    assert bench.wait_until_quiet(cpu.read, cpu.sleep, window_s=0.25, windows=2, cap_s=5.0) == (0.5, True)


def test_busy_machine_stops_at_the_cap_and_says_so() -> None:
    cpu = FakeCpu([0.5] * 100)
    waited, quiet = bench.wait_until_quiet(cpu.read, cpu.sleep, window_s=0.25, windows=2, cap_s=2.0)
    assert quiet is False
    assert waited == pytest.approx(2.0)
    assert len(cpu.slept) == 8


def test_threshold_is_a_fraction_of_all_cores() -> None:
    # 12 % busy is not quiet at the default 10 %, quiet at 15 %
    cpu = FakeCpu([0.12] * 40)
    assert bench.wait_until_quiet(cpu.read, cpu.sleep, cap_s=1.0)[1] is False
    cpu = FakeCpu([0.12] * 40)
    assert bench.wait_until_quiet(cpu.read, cpu.sleep, busy_fraction=0.15, cap_s=1.0)[1] is True


@pytest.mark.skipif(sys.platform == "emscripten", reason="no /proc in Pyodide (the benchmark runs in CPython)")
def test_proc_stat_reader_counts_busy_below_total() -> None:
    busy, total = bench.proc_stat_cpu()
    assert 0 < busy < total


def test_phone_ratio_cold_is_the_median_of_paired_phone_ratios() -> None:
    """phone_ratio_cold pairs the hosts tool's phone start with the bare runtime's phone start of the same run."""
    samples = {"phone_tools_ready_cold_ms": [20_000.0, 30_000.0, 18_000.0], "phone_bare_cold_ms": [40_000.0] * 3}
    report = bench.build_report(samples, MACHINE)
    assert report["metrics"]["phone_ratio_cold"]["runs"] == pytest.approx([0.5, 0.75, 0.45])
    assert report["phone_ratio_cold"] == pytest.approx(0.5)
    targets = {t["metric"]: t["met"] for t in report["targets"] if t["metric"].startswith("phone_")}
    assert targets["phone_ratio_cold"] is True and targets["phone_tools_after_step_ms"] is None


def test_the_checklist_bytes_have_both_targets() -> None:
    """Issue 6's 6 MB and issue 17's 3.8 MB: 4.5 MB meets one and not the other."""
    report = bench.build_report({"first_visit_bytes_checklist": [4_500_000.0]}, MACHINE)
    met = [t["met"] for t in report["targets"] if t["metric"] == "first_visit_bytes_checklist"]
    assert sorted(met) == [False, True]
