"""Choosing the gate (semantic_fitting.py) on messages made up for the purpose: evidence
that tells in-scope messages from the others is weighed, evidence that tells nothing is
left out, and with the table's rule the gate is fitted only where it is asked."""

import random

from server.search.semantic_evaluation import Seen
from server.search.semantic_fitting import figures, fit, fit_gate
from server.search.semantic_fusion import GATE_FEATURES
from server.settings import SUGGEST_MODES

CARDS = [f"card-{n}" for n in range(20)]


def _message(n: int, card: str | None, known: float, rng: random.Random, words: list[str] = ()) -> Seen:
    """A message the words leave silent unless `words`; meaning ranks its card first
    (any card, for one no card fits), with similarities that tell nothing apart."""
    first = card or rng.choice(CARDS)
    ranked = [first, *[c for c in CARDS if c != first]]
    similarities = sorted((rng.uniform(0.4, 0.6) for _ in CARDS), reverse=True)
    return Seen(f"message {n}", card, "development", searched=[], shown=list(words),
                shown_by_mode={mode: list(words) for mode in SUGGEST_MODES}, semantic=ranked,
                similarities=similarities, known=known)


def _messages(known_in_scope: float, known_elsewhere: float) -> list[Seen]:
    rng = random.Random(7)
    return ([_message(n, rng.choice(CARDS), known_in_scope, rng) for n in range(300)]
            + [_message(300 + n, None, known_elsewhere, rng) for n in range(100)])


def test_the_share_of_words_the_cards_know_is_weighed_where_it_tells():
    development = _messages(known_in_scope=1.0, known_elsewhere=0.0)
    chosen = fit(development, search=False, words_first=True)
    assert chosen.weights[GATE_FEATURES.index("known")] > 0
    found = figures(development, chosen, "balanced")
    assert found.right == 1.0 and found.quiet == 1.0


def test_evidence_that_tells_nothing_weighs_nothing():
    development = _messages(known_in_scope=0.5, known_elsewhere=0.5)
    chosen = fit(development, search=False, words_first=True)
    assert chosen.weights[GATE_FEATURES.index("known")] == 0.0


def test_with_the_words_first_the_gate_is_fitted_where_the_words_are_silent():
    # Where the words show a card, the table's fused cards only fill the top three and the
    # gate is not asked (semantic_ranking.suggested): those messages do not teach it.
    rng = random.Random(3)
    silent = _messages(known_in_scope=1.0, known_elsewhere=0.0)
    answered = [_message(1000 + n, card, 0.0, rng, words=[card]) for n, card in enumerate(rng.choices(CARDS, k=300))]
    assert fit_gate(silent + answered, 5.0, 1.5, words_first=True) == fit_gate(silent, 5.0, 1.5)
    assert fit_gate(silent + answered, 5.0, 1.5) != fit_gate(silent, 5.0, 1.5)
