"""Snippets mark what the index matched, show the passages that hold most of the query,
and never let a card's text become markup."""

import random
import re
from pathlib import Path

from server.search.analysis import analyzer_for, detect_language, has_cjk, word_terms
from server.search.snippets import SNIPPET_CHARS, _marked_spans, snippet

CARDS = Path(__file__).resolve().parents[2] / "content" / "cards"


def _terms(language: str, text: str) -> frozenset[str]:
    return frozenset(t.text for t in analyzer_for(language)(text))


def test_every_form_the_index_matches_is_marked():
    text = "Refunds are processed within fourteen days; a refunded order shows REFUND in its history."
    shown = snippet(text, "en", _terms("en", "refund"))
    assert shown.count("<mark>") == 3
    assert "<mark>Refunds</mark>" in shown and "<mark>refunded</mark>" in shown and "<mark>REFUND</mark>" in shown


def test_turkish_words_are_matched_as_turkish_casing_analyses_them():
    shown = snippet("İADE talebi 14 gün içinde işlenir. Kısmi iadeler de olur.", "tr", _terms("tr", "iade"))
    assert "<mark>İADE</mark>" in shown


def test_a_long_card_shows_the_passages_holding_most_of_the_query():
    filler = "Nothing to see in this sentence at all. " * 12
    text = (filler + "The export lists every invoice of the year. " + filler
            + "A webhook fires when an invoice is paid, and the export starts. " + filler)
    shown = snippet(text, "en", _terms("en", "webhook invoice export"))
    assert "<mark>webhook</mark>" in shown
    assert shown.startswith("… ") and shown.endswith(" …")
    passages = shown.strip("… ").split(" … ")
    assert len(passages) <= 2
    assert all(len(p.replace("<mark>", "").replace("</mark>", "")) <= SNIPPET_CHARS + 2 * 50 for p in passages)


def test_passages_are_cut_at_whole_words():
    text = "Alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike " * 3 + "refund " + \
        "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu " * 3
    shown = snippet(text, "en", _terms("en", "refund")).removeprefix("… ").removesuffix(" …")
    words = set(text.split())
    assert all(word in words for word in shown.replace("<mark>", "").replace("</mark>", "").split())


def test_chinese_runs_are_marked_as_segmented():
    shown = snippet("退款会在十四天内处理。Refund 政策也适用。", "zh", _terms("zh", "退款 refund"))
    assert "<mark>退款</mark>" in shown and "<mark>Refund</mark>" in shown


def test_a_card_without_the_words_shows_its_opening_cut_at_a_word():
    text = "Our office hours are nine to five on weekdays, and the phone line closes at four. " * 5
    shown = snippet(text, "en", _terms("en", "webhook"))
    assert "<mark>" not in shown and shown.endswith("…") and len(shown) <= SNIPPET_CHARS + 1
    assert text.startswith(shown.removesuffix("…"))


def test_a_cards_text_is_escaped_never_markup():
    text = '<script>alert(1)</script> <a href="javascript:x">refund</a> & <mark>fake</mark>'
    shown = snippet(text, "en", _terms("en", "refund"))
    assert "<script>" not in shown and "<a " not in shown and "<mark>fake" not in shown
    assert "&lt;script&gt;" in shown and "&amp;" in shown and "<mark>refund</mark>" in shown
    # Snippets are shown as HTML without another sanitizing pass: whatever the text, the
    # only tags in one are the marks it adds.
    rng = random.Random(3)
    pieces = ["<", ">", "&", "refund", "</mark>", "<mark>", "<img src=x onerror=alert(1)>", " ", "refunds", "\n", "'\""]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        shown = snippet(text, "en", _terms("en", "refund"))
        assert "<" not in shown.replace("<mark>", "").replace("</mark>", ""), text
        assert shown.count("<mark>") == shown.count("</mark>")


def _every_word_analysed(text: str, language: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """The plain rule the snippets keep: every word whose analysis gives one of the terms."""
    analyzer = analyzer_for(language)
    return [m.span() for m in re.finditer(r"\w+", text)
            if {t.text for t in analyzer(m.group(), removestops=False)} & terms]


def test_only_words_that_can_match_are_analysed_and_none_is_missed():
    # The starter cards in every language that is not Chinese, each with query terms from
    # its own words (hardened Turkish stems such as kitap, ağaç, git among them), and the
    # words a Turkish stemmer turns into one letter.
    texts = [(path.read_text(encoding="utf-8"), path.parent.name) for path in CARDS.glob("*/*.md")]
    texts.append(("Dini ve Buna, İADE ile IŞIK; Ağaç ağacı kitabı kitap gitti gidiyor Çocuk.", "destek-ekibi"))
    rng = random.Random(7)
    checked = 0
    for text, folder in texts:
        if has_cjk(text):
            continue
        language = detect_language(text)
        words = re.findall(r"\w+", text)
        for _ in range(5):
            terms = frozenset(t.text for w in rng.sample(words, min(4, len(words)))
                              for t in analyzer_for(language)(w, removestops=False))
            assert _marked_spans(text, language, terms) == _every_word_analysed(text, language, terms), (folder, terms)
            checked += 1
    assert checked >= 100


def test_a_word_analysed_alone_gives_the_analyzers_own_terms():
    # word_terms skips the analyzer's chain for a word without Chinese characters; every
    # word of the starter cards, in each language's fields, gives what the chain gives.
    words = {w for path in CARDS.glob("*/*.md") for w in re.findall(r"\w+", path.read_text(encoding="utf-8"))}
    words |= {"İADE", "IŞIK", "Işık", "İstanbul", "ÇOCUK", "snake_case", "v2", "ﬁle", "Straße", "退款", "API退款"}
    assert len(words) > 1000
    for language in ("en", "tr", "et", "zh", "xx"):
        analyzer = analyzer_for(language)
        for word in words:
            assert word_terms(language, word) == tuple(t.text for t in analyzer(word, removestops=False)), (language, word)
