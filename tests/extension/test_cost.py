"""scripts/bench_extension.py's measurement on one desk, so the bench keeps working: the
sidebar shows the conversation's facts and cards, then the other conversation after a
switch, and every figure comes out a number: positive for the times, never negative for the
extension's JS time, which is sampled (every 200 µs) and can fall between samples on a
quick switch. No timing is asserted: the machine decides those."""

from numbers import Real

from scripts.bench_extension import BENCH_DESKS, measure_desk, summary

OUTLOOK = next(desk for desk in BENCH_DESKS if desk.name == "outlook")


def test_bench_measures_the_sidebar_on_a_desk(tmp_path, live_server):
    runs = measure_desk(OUTLOOK, live_server, tmp_path, runs=1)
    assert len(runs) == 1
    run = runs[0]
    assert run.customer == "Northwind Traders" and run.facts > 0 and run.suggestions > 0
    assert run.switched_to == "Bluefin Logistics"
    for figure in ("read_ms", "shown_ms", "switch_ms", "task_ms", "base_task_ms", "switch_task_ms",
                   "base_switch_task_ms"):
        value = getattr(run, figure)
        assert isinstance(value, Real) and value > 0, (figure, value)
    for figure in ("js_ms", "switch_js_ms"):
        value = getattr(run, figure)
        assert isinstance(value, Real) and value >= 0, (figure, value)
    assert run.js_ms + run.switch_js_ms > 0  # the profile saw the content script run at all
    assert run.read_ms < run.shown_ms  # read, then asked the server, then shown
    # Long tasks are counted from before the page's first script, with and without the extension.
    for figure in ("long_tasks", "base_long_tasks"):
        assert isinstance(getattr(run, figure), int) and getattr(run, figure) >= 0, figure
    assert run.long_task_ms >= 50 * run.long_tasks
    # The extension's cost is a difference of two totals: a number, of either sign when busy;
    # and a ratio of the same two totals, measured in the same run.
    medians = summary(runs)
    assert all(isinstance(value, Real) for value in medians.values())
    assert medians["task_ratio"] > 0
