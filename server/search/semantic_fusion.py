"""How search and suggest join the lexical ranking with the semantic one (semantic.py),
and when suggest, with both, shows anything. Everything below the line is written by
`scripts/eval_semantic --write`, which chooses it on the development part of the
clinc150 intent set (server/search/semantic_evaluation.py); nothing is set by hand.

Ranks are joined by reciprocal-rank fusion: a card scores 1/(k + its rank) in each
ranking it is in (the semantic one weighted), which needs no common scale between BM25
and cosine similarity. Suggest shows the fused top three when a small logistic model of
how sure both sides are (`gate_features`) says one of them is the right card often
enough for the install's VOUCH_SUGGEST setting.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from server.search import semantic

GATE_FEATURES = ("lexical", "best", "lead", "spread", "known")
SEMANTIC_DEPTH = 50  # the best cards by meaning that take part in a fusion
# The gate's evidence includes how far the closest card stands above the tenth: with fewer
# cards (in the message's language, that the agent may read) it would weigh how far it
# stands above the last, and a lunch invitation stood far enough above the third of three
# cards to be shown all three. Suggest goes by the words there.
GATE_CARDS = 10
# Search's weight is chosen on the development set, which is English. A query in another
# language, where no development set measured how well the model ranks, is fused with a
# weight under 1: the model never outweighs the words there (where the two put different
# cards at the same rank, the words' card goes first). XQuAD, which only checks, shows why
# not to guess: at the English weight (2.0) Chinese MRR@10 is 0.964 instead of 0.968.
SEARCH_WEIGHT_MEASURED_IN = frozenset({"en"})
SEARCH_WEIGHT_ELSEWHERE = 0.9
WORDS_SURE_NEVER = 2.0  # more than a chance can be: the model is always asked



@dataclass(frozen=True)
class Constants:
    """What eval_semantic chooses for one engine (semantic.engine)."""

    search: tuple[float, float] | None   # k, weight; None: search stays lexical
    suggest: tuple[float, float]          # k, weight
    weights: tuple[float, ...]            # the gate's, in the order of GATE_FEATURES
    bias: float
    thresholds: dict[str, float] = field(default_factory=dict)  # the gate's, per VOUCH_SUGGEST
    words_sure: float = WORDS_SURE_NEVER
    words_first: bool = False             # the words' cards stand, meaning fills the top three; the gate
                                          # decides only where the words show none


# ---- written by scripts/eval_semantic --write -------------------------------------------
MODEL = Constants(search=(5.0, 2.0), suggest=(5.0, 4.0), weights=(1.069, 28.626, 6.562, 61.315, 0.0),
                  bias=-26.102, thresholds={'more': 0.45, 'balanced': 0.51, 'sure': 0.72}, words_sure=0.88,
                  words_first=False)
# ---- end of what scripts/eval_semantic writes ---------------------------------------------

# ---- written by scripts/eval_semantic --pieces --write ----------------------------------
PIECES = Constants(search=None, suggest=(5.0, 1.5), weights=(2.044, 3.118, 4.15, 36.908, 0.95), bias=-5.913,
                   thresholds={'more': 0.75, 'balanced': 0.59, 'sure': 0.76}, words_sure=0.88,
                   words_first=True)
# ---- end of what scripts/eval_semantic --pieces writes ----------------------------------


def constants() -> Constants:
    """The constants chosen for what embeds in this install: the model's or the table's."""
    return PIECES if semantic.engine() == "pieces" else MODEL


def fused(lexical: Sequence[Hashable], semantic: Sequence[Hashable], k: float, weight: float) -> list:
    """Both rankings' cards, best first by reciprocal-rank fusion; ties keep the lexical
    order, then the semantic one."""
    score: dict = {}
    for rank, card in enumerate(lexical, 1):
        score[card] = score.get(card, 0.0) + 1 / (k + rank)
    for rank, card in enumerate(semantic[:SEMANTIC_DEPTH], 1):
        score[card] = score.get(card, 0.0) + weight / (k + rank)
    order = {card: at for at, card in enumerate([*lexical, *semantic])}
    return sorted(score, key=lambda card: (-score[card], order[card]))


def search_weight(language: str, weight: float) -> float:
    """Search's fusion weight for a query in `language`, `weight` chosen in English."""
    return weight if language in SEARCH_WEIGHT_MEASURED_IN else min(weight, SEARCH_WEIGHT_ELSEWHERE)


def words_sure(lexical_chances: Sequence[float]) -> bool:
    """Whether the words alone are so sure of a card (the lexical fit model gives it a
    chance of `words_sure` or more) that suggest answers by them without asking the model,
    whose time is nearly all of a request's. `words_sure` is the lowest chance at which, on
    the development part, answering by the words cost every VOUCH_SUGGEST setting at most
    half a point of right cards, wrong-only answers or quiet (semantic_fitting.py)."""
    return max(lexical_chances, default=0.0) >= constants().words_sure


def gate_features(lexical_chances: Sequence[float], similarities: Sequence[float], known: float) -> tuple[float, ...]:
    """How sure each side is, in the order of GATE_FEATURES: the lexical fit model's top
    three chances added up; the best card's cosine similarity; how far it leads the
    second; how far it stands above the tenth (a message close to everything, such as
    'ok thanks', is close to nothing in particular); and the share of the message's
    telling words that some card uses (evidence.known_share: 'how old is the earth' is
    close in meaning to the cards' domain, but in words no card uses). similarities:
    best first."""
    sims = list(similarities) or [0.0]
    return (sum(sorted(lexical_chances, reverse=True)[:3]), sims[0],
            sims[0] - (sims[1] if len(sims) > 1 else sims[0]), sims[0] - sims[min(9, len(sims) - 1)], known)


def gate_chance(features: Sequence[float], weights: Sequence[float], bias: float) -> float:
    """The gate model's chance that the fused top three hold the message's card."""
    z = bias + sum(w * x for w, x in zip(weights, features))
    return 1 / (1 + math.exp(-z)) if z > -700 else 0.0


def shows(features: Sequence[float], mode: str) -> bool:
    chosen = constants()
    return gate_chance(features, chosen.weights, chosen.bias) >= chosen.thresholds[mode]
