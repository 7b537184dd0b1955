"""Snippets: the best passages of a card's text, with the query's words marked.

Cut from the stored plain text. A word is marked when the index's analyzer turns it
into one of the query's terms. Analysing a text word by word gives the same terms as
analysing it whole, except in runs of Chinese (segmented as a run), so each distinct
word is analysed once per process and remembered: Whoosh's highlighter analysed the
whole text of every hit shown, a sixth of a search's time. Only words that begin with
a letter one of the terms can begin with are analysed at all: the stemmers keep a word's
first letter (Turkish may harden the last consonant, which in a one-letter stem is the
first), and looking every word of a long card up cost a fifth of a search."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from server.search.analysis import WORD, analyzer_for, has_cjk, word_terms

SNIPPET_CHARS = 180  # the most a passage's marked words may span
SURROUND = 50        # context kept on each side of a passage, at most
PASSAGES = 2
_WORD = re.compile(WORD)
_WORD_CHAR = re.compile(r"\w")
_HARDENED = {"p": "b", "t": "d", "ç": "c", "k": "ğg"}  # Turkish: kitab → kitap, ağaç → ağac


@lru_cache(maxsize=None)
def _analyzer(language: str):
    return analyzer_for(language)


@lru_cache(maxsize=200_000)
def _terms_of(language: str, word: str) -> frozenset[str]:
    return frozenset(word_terms(language, word))


def _marked_spans(text: str, language: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of every word of the text that analyses to one of the terms."""
    if has_cjk(text):
        spans = sorted({(t.startchar, t.endchar)
                        for t in _analyzer(language)(text, chars=True, removestops=False) if t.text in terms})
        return [span for i, span in enumerate(spans) if not i or span[0] >= spans[i - 1][1]]
    beginning = _words_beginning(terms)
    if beginning is None:
        return []
    # One pass over the whole words that may be marked; each distinct word is looked up
    # once. (A second pattern of the marked words, compiled per card shown, was a third
    # of a snippet's time for a query not seen before.)
    marks: dict[str, bool] = {}
    spans = []
    for found in beginning.finditer(text):
        word = found.group()
        marked = marks.get(word)
        if marked is None:
            marked = marks[word] = bool(_terms_of(language, word) & terms)
        if marked:
            spans.append(found.span())
    return spans


@lru_cache(maxsize=4096)
def _words_beginning(terms: frozenset[str]) -> re.Pattern | None:
    """The whole words whose analysis may give one of the terms (and others): those
    beginning with a term's first letter in either case (re's case folding also takes
    Turkish I and İ as i and ı), or with the soft consonant a hardened one came from."""
    letters = set()
    for term in terms:
        letters.update(term[:1], _HARDENED.get(term[:1], ""))
    return re.compile(rf"(?<!\w)[{''.join(map(re.escape, sorted(letters)))}]\w*", re.IGNORECASE) if letters else None


def _passages(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Runs of marked words that fit in SNIPPET_CHARS, as (start, end, spans), the ones
    holding the most different words first (then the earliest)."""
    runs, i = [], 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= SNIPPET_CHARS:
            j += 1
        runs.append(spans[i:j + 1])
        i = j + 1
    runs.sort(key=lambda run: (-len({text[a:b].lower() for a, b in run}), -len(run), run[0][0]))
    return [(run[0][0], run[-1][1], run) for run in runs[:PASSAGES]]


def _inside_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and bool(_WORD_CHAR.match(text[at - 1]) and _WORD_CHAR.match(text[at]))


def _widened(text: str, start: int, end: int) -> tuple[int, int]:
    """A passage with up to SURROUND characters of context each side, cut at words."""
    context = max(SURROUND // 2, min(SURROUND, (SNIPPET_CHARS - (end - start)) // 2))
    left, right = max(0, start - context), min(len(text), end + context)
    while left < start and (_inside_word(text, left) or text[left].isspace()):
        left += 1
    while right > end and (_inside_word(text, right) or text[right - 1].isspace()):
        right -= 1
    return left, right


def _marked(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    parts, at = [], start
    for a, b in spans:
        if start <= a and b <= end:
            parts += [html.escape(text[at:a], quote=False), "<mark>", html.escape(text[a:b], quote=False), "</mark>"]
            at = b
    parts.append(html.escape(text[at:end], quote=False))
    return "".join(parts)


def snippet(text: str, language: str, terms: frozenset[str]) -> str:
    """HTML (escaped, matches in <mark>) of the text's best passages for the terms;
    its opening words when none of them is in it. `language`: the fields' language."""
    spans = _marked_spans(text, language, terms) if terms else []
    if not spans:
        if len(text) <= SNIPPET_CHARS:
            return html.escape(text, quote=False)
        cut = text.rfind(" ", 0, SNIPPET_CHARS + 1)
        return html.escape(text[:cut if cut > 0 else SNIPPET_CHARS], quote=False) + "…"
    shown = sorted((*_widened(text, start, end), run) for start, end, run in _passages(text, spans))
    pieces = [_marked(text, left, right, run) for left, right, run in shown]
    return ("… " if shown[0][0] > 0 else "") + " … ".join(pieces) + (" …" if shown[-1][1] < len(text) else "")
