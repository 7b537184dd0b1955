"""Whether a suggested card fits: a logistic model of the evidence (evidence.py), and
the thresholds of each VOUCH_SUGGEST setting. Everything below the line is written by
`scripts/fit_suggest`, which fits it on the development part of the clinc150 intent
set (server/search/suggest_evaluation.py); nothing here is set by hand.

A card's *chance* is the model's estimate that it is the card the conversation needs.
Suggestions are shown when the chance that one of the top three is that card (their
chances added up) reaches the setting's `together`; then every card whose own chance
reaches `alone` is shown, best first, unless it only repeats a better one. Showing the
second and third cards of a close call is what finds the right card without showing
wrong ones alone: 'how many points have I earned' is as much the rewards-balance card
as the redeem-rewards one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from server.search.evidence import FEATURES, Weighed

TOGETHER_OF = 3  # the cards whose chances add up to the chance that one of them fits


@dataclass(frozen=True)
class Thresholds:
    together: float  # the top three's chances added up, needed to show anything
    alone: float     # a card's own chance, needed to be shown


# ---- written by scripts/fit_suggest ------------------------------------------------
# Fitted on 3175 in-scope and 714 out-of-scope development messages; right card in the
# top three / only wrong cards / out-of-scope quiet, development then held-out:
#   more      0.657 0.080 0.769   0.654 0.083 0.797
#   balanced  0.577 0.050 0.874   0.560 0.050 0.874
#   sure      0.351 0.025 0.954   0.359 0.026 0.934
WEIGHTS = dict(zip(FEATURES, (0.506, 1.552, 3.392, 3.82, 2.289, 5.105)))
BIAS = -11.409
THRESHOLDS = {
    "more": Thresholds(together=0.21, alone=0.1),
    "balanced": Thresholds(together=0.39, alone=0.1),
    "sure": Thresholds(together=0.84, alone=0.1),
}
# ---- end of what scripts/fit_suggest writes -----------------------------------------


def chance(features: tuple[float, ...], weights: dict[str, float] = WEIGHTS, bias: float = BIAS) -> float:
    """The model's estimate that a card with this evidence is the one that fits."""
    z = bias + sum(weights[name] * value for name, value in zip(FEATURES, features))
    return 1 / (1 + math.exp(-z)) if z > -700 else 0.0


def chosen(chances: list[float], words: list[tuple[frozenset, frozenset]], thresholds: Thresholds,
           limit: int) -> list[int]:
    """Which candidates to show, by position, best first: those whose chance reaches
    `alone`, less the ones that only repeat a better one (see _repeats); nothing unless
    the top TOGETHER_OF chances add up to `together`. words: each candidate's telling
    words, and those of them in its title or tags."""
    shown: list[int] = []
    for at in sorted(range(len(chances)), key=lambda at: (-chances[at], at)):
        if len(shown) == limit or chances[at] < thresholds.alone:
            break
        if not _repeats(words[at], [words[above] for above in shown]):
            shown.append(at)
    return shown if sum(chances[at] for at in shown[:TOGETHER_OF]) >= thresholds.together else []


def _repeats(card: tuple[frozenset, frozenset], above: list[tuple[frozenset, frozenset]]) -> bool:
    """Whether a card's telling words all name a card shown above it and none names it:
    'send me the invoice' names the invoice cards, and a card that only mentions
    invoices adds nothing beside them. (A message about two subjects names a card for
    each, so neither repeats the other.)"""
    told, names = card
    named_above = frozenset().union(*(theirs for _, theirs in above))
    return bool(told) and told <= named_above - names


def fitting(weighed: list[Weighed], mode: str, limit: int) -> list[tuple[Weighed, float]]:
    """The candidates that fit, best first, each with its chance."""
    chances = [chance(w.features) for w in weighed]
    words = [(w.told, w.names) for w in weighed]
    return [(weighed[at], chances[at]) for at in chosen(chances, words, THRESHOLDS[mode], limit)]
