"""scripts/bench --semantic's and --table's table (benchmark/report.py): each figure the
best of its rounds, the base beside what is compared, and the ratio with it to without."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from benchmark.report import semantic_table  # noqa: E402


def _round(how: str, p95: float, per_second: float) -> dict:
    figures = {"p50_ms": p95 / 2, "p95_ms": p95, "recall": 1.0}
    return {"how": how, "context": figures, "search_whole": figures, "rss_bytes": 200 * 2**20,
            "context_throughput": {"4": {"per_second": per_second, "p95_ms": p95}}}


def test_the_table_puts_the_best_round_of_each_kind_side_by_side_with_their_ratio():
    result = {"cards": 1000, "filling": {"already": False, "wall_s": 423.0},
              "rounds": [_round("table", 20.0, 60.0), _round("extra", 90.0, 25.0),
                         _round("table", 18.0, 50.0), _round("extra", 120.0, 30.0)]}
    lines = semantic_table(result).splitlines()
    p95 = next(line for line in lines if line.startswith("context p95, 1 client")).split()
    assert p95[-5:] == ["18.0", "ms", "90.0", "ms", "5.00×"]  # the lower p95 of each kind
    per_second = next(line for line in lines if line.startswith("contexts/s, 4 clients")).split()
    assert per_second[-5:] == ["60.0", "/s", "30.0", "/s", "0.50×"]  # the higher rate of each kind
    assert not any(line.startswith("contexts/s, 16 clients") for line in lines)  # not measured: not shown
    assert lines[-1] == "first filling of 1,000 cards: 423 s"


def test_the_table_of_word_pieces_is_compared_with_the_words_alone():
    result = {"cards": 10000, "compared": "table", "filling": {"already": True},
              "rounds": [_round("words", 10.0, 80.0), _round("table", 12.0, 70.0)]}
    lines = semantic_table(result).splitlines()
    assert lines[0] == "== 10,000 cards, default (table): best of two rounds each; ratio = with ÷ without"
    assert lines[1].split() == ["words", "alone", "default", "(table)", "ratio"]
    assert next(line for line in lines if line.startswith("context p95, 1 client")).split()[-1] == "1.20×"
