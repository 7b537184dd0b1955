"""scripts/eval_suggest keeps working and suggestions stay as good as measured: a slice of
the clinc150 intent set shipped with the tests (tests/search/clinc150, with its license),
through the sidebar's real path. Floors, not the exact figures: docs/suggestions.md has
those, for the whole set."""

from pathlib import Path

import pytest

from server.search import semantic
from server.search.suggest_evaluation import (HELD_OUT_PER_CENT, answers, evaluate, install_with, part_of,
                                             prose_set, read_intent_set, scores)

DATA = Path(__file__).resolve().parent / "clinc150" / "en"
XQUAD = Path(__file__).resolve().parent / "xquad" / "en"


@pytest.fixture(scope="module")
def slice_install():
    data = read_intent_set(DATA)
    with install_with(data.cards) as install:
        yield data, install


@pytest.fixture(scope="module")
def both(slice_install):
    """What the slice's messages get in a default install (the words, and meaning by the
    shipped table of word pieces), and by the words alone."""
    data, install = slice_install
    assert semantic.engine() == "pieces"
    by_default = answers(install, data.messages)
    install.index.memo.clear()  # answers are kept per index generation, not per way of matching
    with semantic.switched_off():
        by_words = answers(install, data.messages)
    install.index.memo.clear()
    return by_default, by_words


def test_the_slice_is_held_out_messages_and_every_card():
    data = read_intent_set(DATA)
    assert len(data.cards) == 150
    assert {part_of(m.text) for m in data.messages} == {"held-out"}  # never what the model was fitted on


def test_suggestions_on_the_slice_stay_above_the_floor(both):
    found = scores("slice", both[0])
    assert (found.in_scope, found.out_of_scope) == (332, 96)
    assert found.right_in_top_3 >= 0.76  # measured 0.80 (by the words alone: 0.53)
    assert found.wrong_only <= 0.05      # measured 0.033
    assert found.quiet >= 0.78           # measured 0.83
    # Search stays with the words (docs/suggestions.md): the same as below.
    assert found.recall_at_5 >= 0.87 and found.mrr_at_10 >= 0.76  # measured 0.89 and 0.79


def test_by_the_words_alone_the_slice_stays_above_its_floor(both):
    found = scores("slice", both[1])
    assert found.right_in_top_3 >= 0.50  # measured 0.53
    assert found.wrong_only <= 0.06      # measured 0.045
    assert found.quiet >= 0.85           # measured 0.92
    assert found.recall_at_5 >= 0.87 and found.mrr_at_10 >= 0.76  # measured 0.89 and 0.79


def test_meaning_finds_cards_for_messages_the_words_leave_empty(both):
    # "is it safe in italy" shares no telling word with the travel-alert card.
    left_empty = [(d, w) for d, w in zip(*both) if w.message.card and not w.right and not w.wrong_only]
    assert len(left_empty) >= 100  # measured 140 of 332
    assert sum(d.right for d, _ in left_empty) / len(left_empty) >= 0.50  # measured 0.59


def test_suggest_more_shows_more_and_sure_less(slice_install):
    data, install = slice_install
    shown = {}
    for mode in ("more", "balanced", "sure"):
        install.index.suggest_mode = mode
        shown[mode] = sum(bool(install.suggested(m.text)) for m in data.messages)
    install.index.suggest_mode = "balanced"
    assert shown["more"] > shown["balanced"] > shown["sure"] > 0


def test_cards_of_prose_get_their_paragraph_and_messages_no_card_fits_stay_quiet():
    # What was fitted on clinc150's short intent cards, checked on cards of prose: the
    # XQuAD slice's paragraphs as cards, its questions and this slice's out-of-scope
    # messages as messages (suggest_evaluation.prose_set; scripts/eval_suggest --prose).
    with prose_set(XQUAD, DATA) as folder:
        found = evaluate(folder, ["all"])[0]
    assert (found.in_scope, found.out_of_scope) == (60, 96)
    assert found.right_in_top_3 >= 0.75  # measured 0.87 (the whole set: 0.82)
    assert found.wrong_only <= 0.05      # measured 0.0 (0.006)
    assert found.quiet >= 0.90           # measured 0.98 (0.95)


def test_the_split_is_fixed_by_the_message_text():
    assert part_of("how would you say fly in italian") == part_of("how would you say fly in italian")
    parts = [part_of(f"message {n}") for n in range(2000)]
    assert abs(parts.count("held-out") / len(parts) - HELD_OUT_PER_CENT / 100) < 0.03
