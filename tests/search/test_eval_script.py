"""scripts/eval_search keeps working: a small slice of the retrieval set, through the real code."""

from pathlib import Path

import pytest

from server.search.evaluation import evaluate_language

DATA = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "xquad"


@pytest.mark.parametrize("language", ["en", "tr", "zh"])
def test_a_slice_of_the_retrieval_set_scores_sensibly(language):
    if not DATA.is_dir():
        pytest.fail(f"the shared retrieval set is expected beside the repository at {DATA.parent.parent.name}/")
    scores = evaluate_language(DATA / language, language, limit_queries=60)
    assert scores.queries == 60
    assert scores.recall_at_5 >= 0.85 and scores.mrr_at_10 >= 0.7
