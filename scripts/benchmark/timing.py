"""Latencies (p50/p95 of a sequence of calls) and recall, as plain dictionaries for the JSON."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def summary(spent_ms: Sequence[float]) -> dict:
    return {"p50_ms": round(statistics.median(spent_ms), 3), "p95_ms": round(percentile(spent_ms, 0.95), 3),
            "mean_ms": round(statistics.fmean(spent_ms), 3), "n": len(spent_ms)}


def latency(call: Callable[[Item], Iterable], items: Sequence[Item], answer: Callable[[Item], object] | None = None,
            warm: Sequence[Item] = (), recall_at: int = 10) -> dict:
    """Calls `call` on each of `warm` (not timed), then once per item, timing each; with
    `answer`, also the share of items whose answer is among the first `recall_at` results."""
    for item in warm:
        list(call(item))
    spent, found = [], 0
    for item in items:
        started = time.perf_counter()
        results = list(call(item))
        spent.append((time.perf_counter() - started) * 1000)
        if answer is not None and answer(item) in results[:recall_at]:
            found += 1
    result = summary(spent)
    if answer is not None:
        result["recall"] = round(found / len(items), 3)
    return result


def stopwatch() -> Callable[[], float]:
    """Seconds since it was made, each time it is called."""
    started = time.perf_counter()
    return lambda: time.perf_counter() - started
