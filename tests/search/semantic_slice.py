"""Run with the semantic extra on the path (scripts/test installs it in .venv/semantic-extra,
beside the project's packages): the shipped clinc150 slice through the sidebar's real path,
the cards embedded by the embedder and each message by the request, and the same for
cards of prose (suggest_evaluation.prose_set); prints the figures and what a Turkish
message gets, as JSON, for tests/search/test_semantic_model.py."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from server.search import semantic
from server.search.piece_distill import model_vocabulary
from server.search.piece_table import PieceTable
from server.search.suggest_evaluation import answers, install_with, prose_set, read_intent_set, scores

DATA = Path(__file__).resolve().parent / "clinc150" / "en"
XQUAD = Path(__file__).resolve().parent / "xquad" / "en"
TURKISH = "kartım ne zaman gelir, hesabımı nasıl kapatırım"
EMAIL = ("Hello, since the upgrade last week the nightly export fails with a timeout after ten minutes. "
         "The log says the connection was reset. Did the limits change, and what should we set?")


def on_threads() -> tuple[list[int], float]:
    """The engine's thread count as set for a text alone and while another request is
    answered (semantic._threads), and the largest difference between the vectors made on
    each: cards embedded on one count are compared with messages embedded on the other."""
    counts, vectors = [], []
    for others in (0, 1):
        with ExitStack() as requests, semantic._lock:
            for _ in range(1 + others):
                requests.enter_context(semantic.serving())
            vectors.append(np.stack([semantic._run("query", text) for text in (EMAIL, TURKISH, "is there an outage?")]))
            counts.append(semantic._model()._lib.omp_get_max_threads())
    return counts, float(np.abs(vectors[0] - vectors[1]).max())


def main() -> int:
    if not semantic.available():
        print("the semantic extra is not on the path", file=sys.stderr)
        return 1
    vocabulary, _ = model_vocabulary(semantic.model_file())
    table = PieceTable.read(semantic.TABLE)
    data = read_intent_set(DATA)
    counts, difference = on_threads()
    with prose_set(XQUAD, DATA) as folder:
        prose_data = read_intent_set(folder)
    with install_with(prose_data.cards) as install:
        prose = scores("prose", answers(install, prose_data.messages))
    with install_with(data.cards) as install:
        found = scores("slice", answers(install, data.messages))
        print(json.dumps({"prose": {"right_in_top_3": prose.right_in_top_3, "wrong_only": prose.wrong_only,
                                    "quiet": prose.quiet, "in_scope": prose.in_scope},
                          "right_in_top_3": found.right_in_top_3, "wrong_only": found.wrong_only,
                          "quiet": found.quiet, "recall_at_5": found.recall_at_5, "mrr_at_10": found.mrr_at_10,
                          "turkish_suggested": install.suggested(TURKISH),
                          "turkish_searched": install.searched(TURKISH),
                          "vocabulary": len(vocabulary), "table_pieces": len(table.index),
                          "table_pieces_not_in_the_model": len(set(table.index) - set(vocabulary)),
                          "threads": counts, "thread_difference": difference}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
