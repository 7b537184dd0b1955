"""Choosing semantic_fusion.py's constants on the development part of an intent set, and
scoring them on any part: the fusion depths and weights for search and for suggest, the
gate model, and each VOUCH_SUGGEST setting's threshold within its budget."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from server.search.fit_model import THRESHOLDS
from server.search.fitting import Budget, newton_logistic
from server.search.semantic_evaluation import Seen
from server.search.semantic_fusion import GATE_FEATURES, WORDS_SURE_NEVER, Constants, fused, gate_chance
from server.search.suggest_evaluation import TOP

K_GRID = (5.0, 10.0, 20.0, 40.0, 60.0)
WEIGHT_GRID = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
THRESHOLD_GRID = [round(0.01 * n, 2) for n in range(1, 100)]
# WORDS_SURE's candidates: the best lexical chance, from never down to the highest
# `together` of the lexical settings (fit_model.py), so that above it every setting shows
# the words' answer, the same one.
WORDS_SURE_GRID = [WORDS_SURE_NEVER] + [round(1.0 - 0.01 * n, 2) for n in range(1, 100)
                                        if 1.0 - 0.01 * n >= max(t.together for t in THRESHOLDS.values())]
WORDS_SURE_COST = 0.005  # what answering by the words alone may cost each figure, on the development part
L2 = 0.01
# Gate evidence kept only where it helps on the development part (fit): the share of the
# message's words the cards use helped the table's gate, and added nothing to the model's.
OPTIONAL_FEATURES = frozenset({"known"})
# The lexical settings' budgets (fitting.py), except that `more` keeps three in four
# messages no card fits quiet, not two in three: with the extra, the floor (#14).
BUDGETS = {
    "more": Budget(wrong_only=0.08, quiet=0.75),
    "balanced": Budget(wrong_only=0.05, quiet=0.80),
    "sure": Budget(wrong_only=0.025, quiet=0.90),
}


@dataclass(frozen=True)
class Figures:
    right: float
    wrong_only: float
    empty: float
    quiet: float
    recall_at_5: float
    mrr_at_10: float


def search_scores(seen: list[Seen], k: float | None, weight: float) -> tuple[float, float]:
    """Recall@5 and MRR@10 of search, fused (k None: lexical alone)."""
    asked = [s for s in seen if s.card is not None]
    recall = mrr = 0.0
    for s in asked:
        ranked = s.searched if k is None else fused(s.searched, s.semantic, k, weight)
        top = ranked[:10]
        recall += s.card in top[:5]
        mrr += 1 / (top.index(s.card) + 1) if s.card in top else 0.0
    return recall / max(len(asked), 1), mrr / max(len(asked), 1)


def _top(s: Seen, k: float, weight: float) -> list[str]:
    return fused(s.candidates, s.semantic, k, weight)[:TOP]


def choose_search(development: list[Seen]) -> tuple[float, float]:
    """Search's k and weight for the development set's language (English; other
    languages are capped: semantic_fusion.search_weight)."""
    return max(((k, w) for k in K_GRID for w in WEIGHT_GRID),
               key=lambda kw: search_scores(development, *kw)[::-1])  # MRR@10 first, then recall@5


def choose_suggest(development: list[Seen]) -> tuple[float, float]:
    """The fusion that most often puts the right card in the top three, shown or not."""
    asked = [s for s in development if s.card is not None]
    return max(((k, w) for k in K_GRID for w in WEIGHT_GRID),
               key=lambda kw: sum(s.card in _top(s, *kw) for s in asked))


def fit_gate(development: list[Seen], k: float, weight: float, words_first: bool = False,
             without: frozenset[str] = frozenset()) -> tuple[tuple[float, ...], float]:
    """The gate's weights and bias: a logistic regression of 'the fused top three hold
    the message's card' (never, for a message no card fits) on GATE_FEATURES, those
    `without` weighing 0. With words_first, on the messages the words (at `balanced`)
    leave silent: elsewhere the fused cards only fill the words' top three, and the gate
    is not asked."""
    used = [at for at, name in enumerate(GATE_FEATURES) if name not in without]
    asked = [s for s in development if not (words_first and s.shown_by_mode.get("balanced"))]
    x = np.array([[s.gate[at] for at in used] for s in asked], dtype=np.float64)
    y = np.array([s.card is not None and s.card in _top(s, k, weight) for s in asked], dtype=np.float64)
    w = newton_logistic(x, y, steps=100, l2=L2)
    weights = dict(zip(used, w[:-1]))
    return tuple(round(float(weights.get(at, 0.0)), 3) for at in range(len(GATE_FEATURES))), round(float(w[-1]), 3)


def suggest_figures(seen: list[Seen], shown: list[list[str]]) -> tuple[float, float, float, float]:
    """Right, wrong only, empty (in-scope) and quiet (out of scope), from what was shown."""
    asked = [(s, top) for s, top in zip(seen, shown) if s.card is not None]
    other = [top for s, top in zip(seen, shown) if s.card is None]
    n, m = max(len(asked), 1), max(len(other), 1)
    right = sum(s.card in top[:TOP] for s, top in asked)
    wrong = sum(bool(top) and s.card not in top[:TOP] for s, top in asked)
    return right / n, wrong / n, (len(asked) - right - wrong) / n, sum(not top for top in other) / m


def _words_sure(s: Seen, fit: Constants) -> bool:
    return max(s.chances, default=0.0) >= fit.words_sure


def fused_shown(seen: list[Seen], fit: Constants, threshold: float, mode: str) -> list[list[str]]:
    """What suggest shows by meaning too: the words' own answer where they are sure
    (the same in every setting at WORDS_SURE_GRID's chances); else the fused top three if
    the gate lets it, else nothing. With words_first (the table's constants), the cards
    the words show in this `mode` stay, first, the fused ones filling the top three; the
    gate decides only where the words show none."""
    return [_shown(s, fit, threshold, mode) for s in seen]


def _shown(s: Seen, fit: Constants, threshold: float, mode: str) -> list[str]:
    if _words_sure(s, fit):
        return s.shown
    if fit.words_first:  # where the words show cards, the gate is not asked (semantic_ranking.suggested)
        words = s.shown_by_mode.get(mode, [])
        lets = bool(words) or gate_chance(s.gate, fit.weights, fit.bias) >= threshold
        return _kept(words, _top(s, *fit.suggest)) if lets else words
    lets = gate_chance(s.gate, fit.weights, fit.bias) >= threshold
    return _top(s, *fit.suggest) if lets else []


def _kept(words: list[str], fused: list[str]) -> list[str]:
    """The words' cards, then the fused ranking's others, TOP in all (as
    semantic_ranking.words_first)."""
    return (list(words) + [c for c in fused if c not in words])[:max(len(words), TOP)]


def asked_share(seen: list[Seen], fit: Constants) -> float:
    """The share of messages for which suggest asks the model."""
    return sum(not _words_sure(s, fit) for s in seen) / max(len(seen), 1)


def choose_words_sure(development: list[Seen], fit: Constants) -> float:
    """The lowest WORDS_SURE that costs no setting's figure more than WORDS_SURE_COST."""
    asking = {mode: suggest_figures(development, fused_shown(development, fit, threshold, mode))
              for mode, threshold in fit.thresholds.items()}
    best = WORDS_SURE_GRID[0]
    for candidate in WORDS_SURE_GRID[1:]:
        trial = replace(fit, words_sure=candidate)
        for mode, threshold in fit.thresholds.items():
            right, wrong, _, quiet = suggest_figures(development, fused_shown(development, trial, threshold, mode))
            before = asking[mode]
            if (right < before[0] - WORDS_SURE_COST or wrong > before[1] + WORDS_SURE_COST
                    or quiet < before[3] - WORDS_SURE_COST):
                return best
        best = candidate
    return best


def choose_threshold(development: list[Seen], fit: Constants, budget: Budget, mode: str) -> float:
    """The lowest threshold within the budget (a lower one only shows more)."""
    best = THRESHOLD_GRID[-1]
    for threshold in reversed(THRESHOLD_GRID):
        _, wrong, _, quiet = suggest_figures(development, fused_shown(development, fit, threshold, mode))
        if wrong > budget.wrong_only or quiet < budget.quiet:
            return best
        best = threshold
    return best


def fit(development: list[Seen], budgets: dict[str, Budget] = BUDGETS, search: bool = True,
        words_first: bool = False) -> Constants:
    """Every constant, chosen on the development part; search=False: search stays lexical;
    words_first: the words' cards stand, the fused ones fill the top three, and the gate
    decides only where the words show none.
    The gate weighs OPTIONAL_FEATURES only where they find the right card for more
    development messages at `balanced` (with the model they did not)."""
    search, suggest = choose_search(development) if search else None, choose_suggest(development)
    return max((_fitted(development, budgets, search, suggest, words_first, without)
                for without in (OPTIONAL_FEATURES, frozenset())),
               key=lambda chosen: figures(development, chosen).right)


def _fitted(development: list[Seen], budgets: dict[str, Budget], search, suggest, words_first: bool,
            without: frozenset[str]) -> Constants:
    weights, bias = fit_gate(development, *suggest, words_first=words_first, without=without)
    partial = Constants(search, suggest, weights, bias, {}, words_first=words_first)
    chosen = replace(partial, thresholds={mode: choose_threshold(development, partial, budget, mode)
                                          for mode, budget in budgets.items()})
    return replace(chosen, words_sure=choose_words_sure(development, chosen))


def figures(seen: list[Seen], fit: Constants | None, mode: str = "balanced") -> Figures:
    """A part's figures: lexical alone (fit None, what the sidebar shows today) or fused."""
    if fit is None:
        return Figures(*suggest_figures(seen, [s.shown for s in seen]), *search_scores(seen, None, 0.0))
    return Figures(*suggest_figures(seen, fused_shown(seen, fit, fit.thresholds[mode], mode)),
                   *search_scores(seen, *(fit.search or (None, 0.0))))
