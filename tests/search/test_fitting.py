"""scripts/fit_suggest's arithmetic: the logistic fit and the thresholds a budget allows,
on made-up candidates whose answer is known."""

import random

from server.search.evidence import FEATURES
from server.search.fit_model import Thresholds, chosen
from server.search.fitting import Budget, Sample, chances_of, choose, fit_logistic, outcome

WORDS = (frozenset(), frozenset())


def _samples(count: int) -> list[Sample]:
    """In-scope messages whose right card has a share near 1 and wrong ones near 0.3, and
    out-of-scope messages whose candidates all look like wrong ones; noise in each."""
    rng = random.Random(7)
    found = []
    for n in range(count):
        in_scope = n % 4 != 0
        shares = [0.9 if in_scope and at == 0 else 0.3 for at in range(3)]
        features = [tuple([s + rng.uniform(-0.25, 0.25)] + [0.0] * (len(FEATURES) - 1)) for s in shares]
        found.append(Sample(in_scope, features, [WORDS] * 3, [in_scope and at == 0 for at in range(3)]))
    return found


def test_the_fit_learns_which_evidence_tells_the_right_card():
    weights, bias = fit_logistic(_samples(400))
    assert weights["share"] > 5 and bias < 0
    assert all(abs(weights[name]) < 1e-6 for name in FEATURES[1:])  # all zero: nothing to learn from


def test_the_thresholds_keep_to_the_budget_and_show_as_much_as_it_allows():
    samples = _samples(400)
    chances = chances_of(samples, *fit_logistic(samples))
    tight, loose = (choose(samples, chances, Budget(wrong_only=w, quiet=q)) for w, q in ((0.0, 1.0), (0.2, 0.5)))
    for thresholds, budget in ((tight, Budget(0.0, 1.0)), (loose, Budget(0.2, 0.5))):
        found = outcome(samples, chances, thresholds)
        assert found.wrong_only <= budget.wrong_only and found.quiet >= budget.quiet
    assert loose.together <= tight.together
    assert outcome(samples, chances, loose).right >= outcome(samples, chances, tight).right > 0.9


def test_a_card_that_only_mentions_what_names_a_better_one_is_not_shown_beside_it():
    invoice = (frozenset({"invoice"}), frozenset({"invoice"}))    # 'invoice' is in its title
    mentions = (frozenset({"invoice"}), frozenset())              # only in its text
    other_subject = (frozenset({"refund"}), frozenset({"refund"}))
    chances = [0.6, 0.3, 0.2]
    assert chosen(chances, [invoice, mentions, other_subject], Thresholds(0.5, 0.1), 5) == [0, 2]
    assert chosen(chances, [invoice, mentions, other_subject], Thresholds(1.5, 0.1), 5) == []
