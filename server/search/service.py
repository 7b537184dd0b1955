"""Search and suggest: the only code that asks the index questions."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh import highlight
from whoosh import query as q

from server.markdown import sanitize_html
from server.search.analysis import field_language, other_stems, starts_cjk, written_words
from server.search.conversation import request_text
from server.search.index import SearchIndex
from server.search.query import analyzed, build_query, parse_user_query
from server.search.schema import FIELD_LANGUAGES, body_field, title_field
from server.search.stopwords import everyday

MAX_LIMIT = 50
SUGGEST_TERMS = 12
SUGGEST_MAX_CHARS = 20_000
SUGGEST_MIN_WORDS = 2   # words a card must match, one of them naming it…
ALONE_SHARE = 0.5       # …unless that one carries this share of the conversation's weight;
UNNAMED_MIN_WORDS = 3   # a card the conversation does not name must match this many words
UNNAMED_SHARE = 0.67    # and this share of the conversation's weight
COMMON_SHARE = 0.25
MIN_CARDS_TO_JUDGE = 20
SNIPPET_CHARS = 180


@dataclass(frozen=True)
class Hit:
    card_id: int
    title: str
    snippet: str  # sanitized HTML, matches in <mark>
    score: float


@dataclass(frozen=True)
class Filters:
    """What a search may narrow to, besides what the user may read."""

    collection_id: int | None = None
    tag: str | None = None
    verifier_id: int | None = None
    status: str | None = None  # verified | unverified


def _filters(readable: Iterable[int] | None, filters: Filters = Filters()):
    """Only collections the user may read; never archived cards."""
    allowed = None
    if readable is not None:
        allowed = q.Or([q.Term("collection_id", str(i)) for i in readable]) if readable else q.NullQuery
    extra = []
    if filters.collection_id is not None:
        extra.append(q.Term("collection_id", str(filters.collection_id)))
    if filters.tag:
        extra.append(q.Term("tags", filters.tag.strip().lower()))
    if filters.verifier_id is not None:
        extra.append(q.Term("verifier_id", str(filters.verifier_id)))
    if filters.status:
        extra.append(q.Term("status", filters.status))
    parts = [p for p in [allowed, *extra] if p is not None]
    return (q.And(parts) if parts else None), q.Term("status", "archived")


def _snippet(hit) -> str:
    body = hit.get("plain", "")
    marked = hit.highlights(body_field(field_language(hit.get("language", ""))), text=body, top=2)
    if not marked:
        cut = body[:SNIPPET_CHARS]
        marked = highlight.htmlescape(cut + ("…" if len(body) > SNIPPET_CHARS else ""))
    return sanitize_html(marked)


def _hits(results, hits=None) -> list[Hit]:
    """Hits (all of `results`, or the chosen few) with highlighted snippets."""
    results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=50)
    chosen = results if hits is None else hits
    found = [(Hit(card_id=int(h["id"]), title=h["title"], snippet=_snippet(h), score=h.score),
              h.get("status") != "verified") for h in chosen]
    # Equal scores: verified cards first, then by card id (not by where a document
    # sits in the index, so a rebuilt index ranks exactly like the grown one).
    found.sort(key=lambda pair: (-round(pair[0].score, 6), pair[1], pair[0].card_id))
    return [hit for hit, _ in found]


def search(index: SearchIndex, *, text: str, readable: Iterable[int] | None, limit: int = 10,
           filters: Filters = Filters()) -> tuple[list[Hit], int]:
    """Cards matching what the user typed, best first, and how many matched in all."""
    parsed = parse_user_query(text)
    filter_query, mask = _filters(readable, filters)
    with index.searcher() as searcher:
        query = build_query(parsed, known=functools.cache(lambda field, term: searcher.doc_frequency(field, term) > 0))
        if query is None:
            return [], 0
        results = searcher.search(query, limit=max(1, min(limit, MAX_LIMIT)), filter=filter_query,
                                  mask=mask, terms=True)
        return _hits(results), len(results)


@dataclass(frozen=True)
class _Candidate:
    """One discriminating word of a conversation and the index terms it stands for."""

    word: str
    idf: float
    clauses: tuple[q.Term, ...]


def _conversation_words(text: str) -> list[str]:
    """Distinct words of a conversation as written, Chinese segmented into words (not
    characters: one character alone says little, and a word's characters are not
    separate evidence)."""
    words = written_words(text[:SUGGEST_MAX_CHARS])
    return list(dict.fromkeys(w for w in words if not w.isdigit() and not (len(w) == 1 and starts_cjk(w))))


def _word_terms(word: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(field, term) pairs a word stands for: its own, as each language analyses it and
    as a tag; and its variants, in Turkish and Estonian the stems its other forms have
    ('kesintiler' finds 'kesinti', as search does)."""
    own, variants = {("tags", word.lower())}, set()
    for language in FIELD_LANGUAGES:
        for fieldname in (title_field(language), body_field(language)):
            found = analyzed(fieldname, word)
            if len(word) > 1:
                found = [t for t in found if len(t) > 1 or not starts_cjk(t)]  # no lone characters
            own.update((fieldname, term) for term in found)
            variants.update((fieldname, term) for term in other_stems(language, word))
    return own, variants - own


def _candidate_words(searcher, text: str) -> list[_Candidate]:
    """The conversation's most discriminating words, rarest first. Everyday words never
    count; word forms that analyse alike ('charge', 'charged') count once; words in more
    than a quarter of all cards say nothing about which card fits."""
    # Document frequencies still count replaced documents until segments merge, so
    # compare them with the count that includes those too.
    total = max(searcher.doc_count_all(), 1)
    # A handful of cards cannot tell a common word from a topical one.
    common = total if total < MIN_CARDS_TO_JUDGE else int(total * COMMON_SHARE)
    candidates, seen = [], set()
    for word in [w for w in _conversation_words(text) if not everyday(w)][:2000]:
        own, variants = (_known(searcher, terms) for terms in _word_terms(word))
        key = frozenset(own) | frozenset(variants)
        # How common a word is, is how common its own forms are; a variant (often a short
        # stem such as Turkish 'ia') only stands in when the word itself is unknown.
        frequency = max((own or variants).values(), default=0)
        if not frequency or frequency > common or key in seen:
            continue
        seen.add(key)
        idf = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        candidates.append(_Candidate(word, idf, tuple(q.Term(f, t) for f, t in sorted(key))))
    candidates.sort(key=lambda c: (-c.idf, c.word))
    return candidates[:SUGGEST_TERMS]


def _known(searcher, terms: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The terms the index has, with their document frequencies."""
    found = {term: searcher.doc_frequency(*term) for term in sorted(terms)}
    return {term: df for term, df in found.items() if df}


def suggest(index: SearchIndex, *, text: str, readable: Iterable[int] | None, limit: int = 5) -> list[Hit]:
    """The few cards that fit a conversation best; none when nothing fits well enough.

    Uses the conversation's most discriminating words (not the whole text as one giant
    query). A card fits when the conversation names its subject — one of those words is
    in the card's title or tags — and something backs that up: a second of the words
    matches the card too, or the named subject is most of what the conversation is
    about (a short message such as 'is there an outage?'). A card it does not name must
    match most of what it is about: 'the PDF download opens an empty tab in Safari' is
    the known-issues card, whose title never says so. Only the latest message's own
    words count: a signature's 'Office Manager' or a quoted earlier reply is not what
    the customer asks about now."""
    filter_query, mask = _filters(readable)
    with index.searcher() as searcher:
        candidates = _candidate_words(searcher, request_text(text[:SUGGEST_MAX_CHARS]))
        if not candidates:
            return []
        word_of = {(c.fieldname, c.text): candidate.word for candidate in candidates for c in candidate.clauses}
        weight = {c.word: c.idf for c in candidates}
        query = q.Or([q.Or(list(c.clauses)) for c in candidates], scale=0.9)
        results = searcher.search(query, limit=limit * 4, filter=filter_query, mask=mask, terms=True)
        kept = [hit for hit in results if _fits(_words_matched(hit, word_of), weight)]
        return _hits(results, kept[:limit])


def _fits(matched: dict[str, bool], weight: dict[str, float]) -> bool:
    """Whether a card's matches are evidence enough. matched: word → whether it was
    in the card's title or tags."""
    share = sum(weight[w] for w in matched) / sum(weight.values())
    if any(matched.values()):
        return len(matched) >= SUGGEST_MIN_WORDS or share >= ALONE_SHARE
    return len(matched) >= UNNAMED_MIN_WORDS and share >= UNNAMED_SHARE


def _words_matched(hit, word_of: dict) -> dict[str, bool]:
    """The conversation's words a hit matched, each with whether it named the card."""
    matched: dict[str, bool] = {}
    for field, text in hit.matched_terms():
        word = word_of.get((field, text.decode("utf-8") if isinstance(text, bytes) else text))
        if word is not None:
            matched[word] = matched.get(word, False) or field == "tags" or field.startswith("title_")
    return matched
