"""Run with the semantic extra on the path (scripts/test installs it in .venv/semantic-extra,
beside the project's packages): the shipped clinc150 slice through the sidebar's real path,
the cards embedded by the embedder and each message by the request; prints the figures
and what a Turkish message gets, as JSON, for tests/search/test_semantic_model.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from server.search import semantic
from server.search.piece_distill import model_vocabulary
from server.search.piece_table import PieceTable
from server.search.suggest_evaluation import answers, install_with, read_intent_set, scores

DATA = Path(__file__).resolve().parent / "clinc150" / "en"
TURKISH = "kartım ne zaman gelir, hesabımı nasıl kapatırım"


def main() -> int:
    if not semantic.available():
        print("the semantic extra is not on the path", file=sys.stderr)
        return 1
    vocabulary, _ = model_vocabulary(semantic.model_file())
    table = PieceTable.read(semantic.TABLE)
    data = read_intent_set(DATA)
    with install_with(data.cards) as install:
        found = scores("slice", answers(install, data.messages))
        print(json.dumps({"right_in_top_3": found.right_in_top_3, "wrong_only": found.wrong_only,
                          "quiet": found.quiet, "recall_at_5": found.recall_at_5, "mrr_at_10": found.mrr_at_10,
                          "turkish_suggested": install.suggested(TURKISH),
                          "turkish_searched": install.searched(TURKISH),
                          "vocabulary": len(vocabulary), "table_pieces": len(table.index),
                          "table_pieces_not_in_the_model": len(set(table.index) - set(vocabulary))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
