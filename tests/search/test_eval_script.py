"""scripts/eval_search keeps working: a slice of the retrieval set shipped with the tests
(tests/search/xquad, with its license), through the real code."""

from pathlib import Path

import pytest

from server.search.evaluation import evaluate_language

DATA = Path(__file__).resolve().parent / "xquad"


@pytest.mark.parametrize("language", ["en", "tr", "zh"])
def test_a_slice_of_the_retrieval_set_scores_sensibly(language):
    scores = evaluate_language(DATA / language, language, limit_queries=60)
    assert scores.queries == 60
    assert scores.recall_at_5 >= 0.85 and scores.mrr_at_10 >= 0.7
