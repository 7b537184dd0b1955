"""Analyzers per language. Whoosh pickles them into the index, so everything here is
module-level and importable (a PyStemmer object itself cannot be pickled)."""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, RegexTokenizer, StemFilter, Token, Tokenizer

# Language code → Snowball stemmer name. Chinese is segmented instead of stemmed.
STEMMED = {"en": "english", "tr": "turkish", "et": "estonian"}
LANGUAGES = ("en", "tr", "et", "zh")
OTHER = "xx"  # any language we have no analyzer for: split and lower-case only

WORD = r"\w+"


@lru_cache(maxsize=None)
def _stemmer(name: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(name)


def stem_en(word: str) -> str:
    return _stemmer("english").stemWord(word)


def stem_tr(word: str) -> str:
    return _stemmer("turkish").stemWord(word)


def stem_et(word: str) -> str:
    return _stemmer("estonian").stemWord(word)


def turkish_lower(text: str) -> str:
    """Turkish casing: I→ı and İ→i before the general rule (str.lower gets both wrong)."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def lower_any(text: str) -> str:
    """Lower case for every language but Turkish, with Turkish's dotted capital İ as plain
    i (str.lower would leave a combining dot that no typed query has)."""
    return text.replace("İ", "i").lower()


class TurkishLowercaseFilter(Filter):
    def __call__(self, tokens):
        for t in tokens:
            t.text = turkish_lower(t.text)
            yield t


class LowercaseAnyFilter(Filter):
    """Lower case for every other language (lower_any)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = lower_any(t.text)
            yield t


class ApostropheSplitTokenizer(RegexTokenizer):
    """Words; an apostrophe ends a word, so Turkish 'Ankara'ya' gives 'ankara' and 'ya'.
    (No longer used by new indexes; kept so an index built before can still be opened
    and rebuilt.)"""

    def __init__(self):
        super().__init__(expression=WORD)


_jieba_lock = threading.Lock()
_jieba = None
_jieba_cache_dir: str | None = None


def set_cache_dir(path) -> None:
    """Keep jieba's dictionary cache in our data directory rather than the system's temp."""
    global _jieba_cache_dir
    _jieba_cache_dir = str(path)


def jieba_module():
    """Load jieba once, lazily: its dictionary costs about a second and 80 MB."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                if _jieba_cache_dir:
                    jieba.dt.tmp_dir = _jieba_cache_dir
                jieba.initialize()
                _jieba = jieba
    return _jieba


_HAS_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_FIRST = "\u3400"  # the first character _HAS_CJK knows: Chinese terms sort from here


class MixedScriptTokenizer(Tokenizer):
    """Words, with each run of Chinese characters segmented by jieba. Every language's
    fields use it, so a Chinese sentence in an English card, or an English word in a
    Chinese one, is found like the rest of the card."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        for word, start, end in _pieces(value):
            t.original = t.text = word
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _pieces(value: str):
    """(word, start, end) in order: runs of Chinese characters as jieba segments them
    (accurate mode; CharacterFilter adds single characters, which beat search mode's
    overlapping sub-words on the retrieval set), everything else as \\w+ words."""
    if not _HAS_CJK.search(value):
        yield from ((m.group(), m.start(), m.end()) for m in re.finditer(WORD, value))
        return
    jieba = jieba_module()
    done = 0
    for run in _CJK_RUN.finditer(value):
        yield from ((m.group(), done + m.start(), done + m.end()) for m in re.finditer(WORD, value[done:run.start()]))
        yield from ((word, run.start() + start, run.start() + end)
                    for word, start, end in jieba.tokenize(run.group(), mode="default"))
        done = run.end()
    yield from ((m.group(), done + m.start(), done + m.end()) for m in re.finditer(WORD, value[done:]))


# Indexes built before every language used it name it so in their pickled schema.
ChineseTokenizer = MixedScriptTokenizer


def written_words(text: str) -> list[str]:
    """A text's words as written (case and form kept), Chinese segmented into words."""
    return [t.text for t in MixedScriptTokenizer()(text)]


def has_cjk(text: str) -> bool:
    return bool(_HAS_CJK.search(text))


def starts_cjk(word: str) -> bool:
    return bool(_HAS_CJK.match(word))


_STEM_FUNCTIONS = {"en": stem_en, "tr": stem_tr, "et": stem_et}


class CharacterFilter(Filter):
    """Chinese: each CJK character of a segmented word as a token too, so a query
    segmented differently from the card still meets it."""

    def __call__(self, tokens):
        for t in tokens:
            word = t.text
            yield t
            if len(word) > 1 and _HAS_CJK.match(word):
                for char in word:
                    t.text = char
                    yield t


def restem(language: str, stem: str) -> str | None:
    """The stem of a stem, where that differs. Snowball's Turkish and Estonian stems are
    uneven (iade → ia, iadeler → iade; kesinti → kes, kesintiler → kesin): stemming a
    query word's stem once more often lands on the stem of its bare form."""
    if language not in ("tr", "et"):
        return None
    again = _STEM_FUNCTIONS[language](stem)
    return again if again != stem and len(again) >= 2 else None


_TURKISH_PLURAL = re.compile(r"^(\w{3,})l[ae]r")


def singular_stem(language: str, word: str) -> str | None:
    """Turkish: the stem of a plural word's singular, where that differs from the word's
    own stem. Snowball reads a singular ending like a suffix differently once the plural
    follows it (kesinti → kes, but kesintiler → kesin), so the plural misses the
    singular; cutting the plural suffix (and what follows it) first lands on it."""
    if language != "tr":
        return None
    match = _TURKISH_PLURAL.match(turkish_lower(word))
    if not match:
        return None
    stem = stem_tr(match.group(1))
    return stem if stem != stem_tr(turkish_lower(word)) and len(stem) >= 2 else None


def other_stems(language: str, word: str) -> set[str]:
    """Stems a word's other forms likely have in the index, besides its own (Turkish and
    Estonian, whose Snowball stems are uneven): the stem of its stem (iadeler → iade →
    ia), its singular's (kesintiler → kes), and the word itself, because inflected forms
    often stem to the bare word that itself stems shorter (ödemeden → ödeme, ödeme → öde)."""
    if language not in ("tr", "et"):
        return set()
    lower = turkish_lower(word) if language == "tr" else word.lower()
    stem = _STEM_FUNCTIONS[language](lower)
    found = {lower, restem(language, stem), singular_stem(language, word)} - {None, stem}
    return {s for s in found if len(s) >= 2}


def _stem_function(language: str):
    """The stemmer of a language's fields, if any: Chinese fields stem the English words
    often written among Chinese."""
    return _STEM_FUNCTIONS.get("en" if language == "zh" else language)


def analyzer_for(language: str):
    """The analyzer of one language's fields: words (an apostrophe ends one, so Turkish
    'Ankara'ya' gives 'ankara' and 'ya'), Chinese runs segmented, each Chinese word's
    characters beside it, lower case, then the language's stemmer (which leaves Chinese
    as it is)."""
    lower = TurkishLowercaseFilter() if language == "tr" else LowercaseAnyFilter()
    chain = MixedScriptTokenizer() | lower | CharacterFilter()
    stem = _stem_function(language)
    if stem:
        chain = chain | StemFilter(stemfn=stem, cachesize=50000)
    return chain


@lru_cache(maxsize=None)
def _analyzer(language: str):
    return analyzer_for(language)


def word_terms(language: str, word: str) -> tuple[str, ...]:
    """The terms one written word (a run of \\w) gives in a language's fields, exactly as
    analyzer_for(language) gives them, at a fifteenth of the cost: a word without Chinese
    characters is one token, only lower-cased and stemmed, and the analyzer's generator
    chain cost 18 µs a word where this costs 1 µs (snippets analyse every word of a hit)."""
    if _HAS_CJK.search(word):
        return tuple(t.text for t in _analyzer(language)(word, removestops=False))
    lower = turkish_lower(word) if language == "tr" else lower_any(word)
    stem = _stem_function(language)
    return (stem(lower) if stem else lower,)


_TURKISH_LETTERS = re.compile(r"[ğĞışŞİ]")
_ESTONIAN_LETTERS = re.compile(r"[õÕ]")


def detect_language(text: str) -> str:
    """A cheap guess for cards without a language: script and tell-tale letters."""
    if len(_HAS_CJK.findall(text)) > 3:
        return "zh"
    if _TURKISH_LETTERS.search(text):
        return "tr"
    if _ESTONIAN_LETTERS.search(text) or re.search(r"[äöü]", text) and re.search(r"\b(ja|on|ei|kui)\b", text):
        return "et"
    return "en"


def field_language(language: str) -> str:
    """Which language's fields a card in `language` is indexed in."""
    return language if language in LANGUAGES else OTHER
