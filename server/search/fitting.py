"""Fitting suggest's fit model (fit_model.py) on the development part of an intent set:
a logistic regression of "this candidate is the message's card" on the candidates'
evidence, then for each VOUCH_SUGGEST setting the thresholds that show the right card
most often within that setting's budget of wrong-only and of out-of-scope noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from server.search.fit_model import Thresholds, chance, chosen
from server.search.evidence import FEATURES
from server.search.suggest_evaluation import TOP, Install, Message

L2 = 0.01        # keeps the weights finite when a feature separates the examples
LIMIT = 5        # suggest's default number of cards
TOGETHER_GRID = [round(0.01 * n, 2) for n in range(5, 151)]
# A card shown beside a better one needs a chance of its own. Not fitted: a card with
# almost none still pads the top three, and the measure counts no harm in that, so
# fitting always chooses the lowest; to the agent such a card is noise.
ALONE = 0.1


@dataclass(frozen=True)
class Budget:
    """What a setting may cost on the development messages."""

    wrong_only: float  # most in-scope messages shown only wrong cards
    quiet: float       # fewest out-of-scope messages shown nothing


BUDGETS = {
    "more": Budget(wrong_only=0.08, quiet=0.65),
    "balanced": Budget(wrong_only=0.05, quiet=0.80),  # the targets, quiet as high as before
    "sure": Budget(wrong_only=0.025, quiet=0.90),
}


@dataclass(frozen=True)
class Sample:
    """One message's candidates as suggest weighs them, and which of them is its card."""

    in_scope: bool
    features: list[tuple[float, ...]]
    words: list[tuple[frozenset, frozenset]]  # each candidate's telling words, and those naming it
    right: list[bool]


@dataclass(frozen=True)
class Outcome:
    right: float
    wrong_only: float
    quiet: float


def collect(install: Install, messages: list[Message]) -> list[Sample]:
    samples = []
    for message in messages:
        weighed = install.weighed(message.text)
        samples.append(Sample(message.card is not None, [w.features for _, w in weighed],
                              [(w.told, w.names) for _, w in weighed], [card == message.card for card, _ in weighed]))
    return samples


def newton_logistic(x: np.ndarray, y: np.ndarray, *, steps: int, l2: float = L2) -> np.ndarray:
    """A logistic regression of y (0 or 1) on the columns of x by Newton's method, the
    weights penalised by l2 (not the bias); the weights, then the bias last."""
    x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.diag([l2] * (x.shape[1] - 1) + [0.0])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        step = np.linalg.solve((x * (p * (1 - p))[:, None]).T @ x + penalty, x.T @ (p - y) + penalty @ w)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def fit_logistic(samples: list[Sample]) -> tuple[dict[str, float], float]:
    """Weights and bias by Newton's method (a few dozen steps; 7 weights)."""
    x = np.array([f for s in samples for f in s.features], dtype=np.float64)
    y = np.array([r for s in samples for r in s.right], dtype=np.float64)
    w = newton_logistic(x, y, steps=50)
    return dict(zip(FEATURES, (float(v) for v in w[:-1]))), float(w[-1])


def chances_of(samples: list[Sample], weights: dict[str, float], bias: float) -> list[list[float]]:
    return [[chance(f, weights, bias) for f in sample.features] for sample in samples]


def outcome(samples: list[Sample], chances: list[list[float]], thresholds: Thresholds) -> Outcome:
    """What suggest would show for the samples, given their candidates' chances, as the
    evaluation counts it."""
    right = wrong = quiet = in_scope = 0
    for sample, theirs in zip(samples, chances):
        shown = chosen(theirs, sample.words, thresholds, LIMIT)[:TOP]
        if not sample.in_scope:
            quiet += not shown
            continue
        in_scope += 1
        hit = any(sample.right[at] for at in shown)
        right += hit
        wrong += bool(shown) and not hit
    out_of_scope = max(len(samples) - in_scope, 1)
    return Outcome(right / max(in_scope, 1), wrong / max(in_scope, 1), quiet / out_of_scope)


def choose(samples: list[Sample], chances: list[list[float]], budget: Budget) -> Thresholds:
    """The lowest threshold within the budget: the one that shows the right card most
    often, since a lower one only shows more."""
    best = Thresholds(together=TOGETHER_GRID[-1], alone=ALONE)
    for together in reversed(TOGETHER_GRID):
        found = outcome(samples, chances, Thresholds(together, ALONE))
        if found.wrong_only > budget.wrong_only or found.quiet < budget.quiet:
            return best  # a lower threshold only shows more
        best = Thresholds(together, ALONE)
    return best
