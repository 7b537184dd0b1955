"""Search and suggest: the only code that asks the index questions."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh import query as q

from server.search.analysis import field_language, other_stems, starts_cjk, written_words
from server.search.conversation import request_text
from server.search.expansion import begins, holds
from server.search.index import SearchIndex
from server.search.collecting import best_of, expanded_terms, matched_terms, scores_of, top
from server.search.query import analyzed, near_query, parse_user_query, query_parts
from server.search.snippets import snippet
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
RERANK = 50             # the best matches by words alone that nearness re-ranks


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


def _allowed(index: SearchIndex, searcher, readable: Iterable[int] | None, filters: Filters) -> set[int] | None:
    """Document numbers a search may return (None: any). Building the set walks postings,
    so it is kept for the index generation: most users read every collection and search
    with no filter, and then no set is needed at all. Archived cards are never indexed."""
    key = ("allowed", None if readable is None else frozenset(readable), filters)
    return index.filter_memo.get(index.generation(searcher), key, lambda: _allowed_now(searcher, key[1], filters))


def _allowed_now(searcher, readable: frozenset[int] | None, filters: Filters) -> set[int] | None:
    parts = []
    present = set(searcher.reader().field_terms("collection_id"))
    if readable is not None and not present <= {str(i) for i in readable}:
        if not readable:
            return set()
        parts.append(q.Or([q.Term("collection_id", str(i)) for i in sorted(readable)]))
    if filters.collection_id is not None:
        parts.append(q.Term("collection_id", str(filters.collection_id)))
    if filters.tag:
        parts.append(q.Term("tags", filters.tag.strip().lower()))
    if filters.verifier_id is not None:
        parts.append(q.Term("verifier_id", str(filters.verifier_id)))
    if filters.status:
        parts.append(q.Term("status", filters.status))
    return set(searcher.docs_for_query(q.And(parts))) if parts else None


class _TermStats:
    """What the index says about a query's terms, asked once per term."""

    def __init__(self, index: SearchIndex, searcher):
        total = searcher.doc_count_all()
        # A handful of cards cannot tell a common word from a topical one.
        self._common = total if total < MIN_CARDS_TO_JUDGE else total * COMMON_SHARE
        generation, kept, reader = index.generation(searcher), index.frequency_memo, searcher.reader()
        # Most terms asked are not in the index (a word as another language analyses it):
        # the kept word lists say so without a lookup in the term file.
        self.frequency = lambda field, term: kept.get(
            generation, (field, term), lambda: searcher.doc_frequency(field, term) if holds(reader, field, term) else 0)
        self._reader = reader

    def known(self, field: str, term: str) -> bool:
        return self.frequency(field, term) > 0

    def completes(self, field: str, prefix: str) -> bool:
        return begins(self._reader, field, prefix)

    def common(self, field: str, term: str) -> bool | None:
        frequency = self.frequency(field, term)
        return None if not frequency else frequency > self._common


def _snippet(stored, terms: set[tuple[str, str]]) -> str:
    """The best passages of a card's text with the query's words marked (HTML: the text
    escaped, <mark> the only tag; snippets.py builds nothing else, so it is not run
    through the sanitizer, which cost a fiftieth of a search)."""
    language = field_language(stored.get("language", ""))
    field = body_field(language)
    return snippet(stored.get("plain", ""), language, frozenset(text for name, text in terms if name == field))


def _hits(chosen: list[tuple[object, float]], terms: set[tuple[str, str]]) -> list[Hit]:
    """The chosen (hit, score) pairs with snippets marking `terms`, best first."""
    found = [(Hit(card_id=int(h["id"]), title=h["title"], snippet=_snippet(h, terms), score=score),
              h.get("status") != "verified") for h, score in chosen]
    # Equal scores: verified cards first, then by card id (not by where a document
    # sits in the index, so a rebuilt index ranks exactly like the grown one).
    found.sort(key=lambda pair: (-round(pair[0].score, 6), pair[1], pair[0].card_id))
    return [hit for hit, _ in found]


def search(index: SearchIndex, *, text: str, readable: Iterable[int] | None, limit: int = 10,
           filters: Filters = Filters()) -> tuple[list[Hit], int]:
    """Cards matching what the user typed, best first, and how many matched in all.
    Answers are kept until the index changes: a repeated search costs nothing."""
    parsed = parse_user_query(text)
    limit = max(1, min(limit, MAX_LIMIT))
    with index.searcher() as searcher:
        key = ("search", parsed, None if readable is None else frozenset(readable), filters, limit)
        return index.memo.get(index.generation(searcher), key,
                              lambda: _search_now(index, searcher, parsed, readable, limit, filters))


def _search_now(index, searcher, parsed, readable, limit: int, filters: Filters) -> tuple[list[Hit], int]:
    allowed = _allowed(index, searcher, readable, filters)
    stats = _TermStats(index, searcher)
    parts = query_parts(parsed, known=stats.known, common=stats.common, completes=stats.completes)
    query = parts.compose()
    if query is None or allowed is not None and not allowed:
        return [], 0
    depth = max(limit, RERANK)
    word_terms = [expanded_terms(searcher, word) for word in parts.words]
    terms = set().union(*word_terms, *(expanded_terms(searcher, p) for p in parts.phrases))
    if parts.phrases:  # quoted phrases narrow the matches themselves
        results, total = top(searcher, query, depth, allowed)
    else:
        results, total = best_of(searcher, query, word_terms, allowed, depth)
    # Nearness of the query's words re-ranks the best matches by words alone.
    near = near_query(parsed, stats.known, stats.common)
    bonus = scores_of(searcher, near, [h.docnum for h in results]) if near is not None and len(results) else {}
    return _hits(_best([(h, h.score + bonus.get(h.docnum, 0.0)) for h in results], limit), terms), total


def _best(scored: list[tuple[object, float]], limit: int) -> list[tuple[object, float]]:
    """The best `limit` (hit, score) pairs; equal scores: verified cards first, then by
    card id. Only hits tied at the cut have their stored fields read for that: reading
    them (the card's whole text) for every hit cost a tenth of a search."""
    scored = sorted(scored, key=lambda pair: -round(pair[1], 6))
    if len(scored) > limit:
        cut = round(scored[limit - 1][1], 6)
        scored = [pair for pair in scored if round(pair[1], 6) >= cut]
    return sorted(scored, key=lambda pair: (-round(pair[1], 6), pair[0].get("status") != "verified",
                                            int(pair[0]["id"])))[:limit]


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
    reader = searcher.reader()
    found = {term: searcher.doc_frequency(*term) if holds(reader, *term) else 0 for term in sorted(terms)}
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
    the customer asks about now. Answers are kept until the index changes: the same
    conversation opened again costs nothing."""
    text = text[:SUGGEST_MAX_CHARS]
    with index.searcher() as searcher:
        key = ("suggest", text, None if readable is None else frozenset(readable), limit)
        return index.memo.get(index.generation(searcher), key,
                              lambda: _suggest_now(index, searcher, text, readable, limit))


def _suggest_now(index, searcher, text: str, readable, limit: int) -> list[Hit]:
    allowed = _allowed(index, searcher, readable, Filters())
    candidates = _candidate_words(searcher, request_text(text))
    if not candidates or allowed is not None and not allowed:
        return []
    word_of = {(c.fieldname, c.text): candidate.word for candidate in candidates for c in candidate.clauses}
    weight = {c.word: c.idf for c in candidates}
    query = q.Or([q.Or(list(c.clauses)) for c in candidates], scale=0.9)
    results, _ = best_of(searcher, query, [{(c.fieldname, c.text) for c in candidate.clauses}
                                           for candidate in candidates], allowed, limit * 4)
    matched = matched_terms(searcher, word_of, [h.docnum for h in results])
    kept = [hit for hit in results if _fits(_words_matched(matched.get(hit.docnum, ()), word_of), weight)]
    return _hits([(hit, hit.score) for hit in kept[:limit]], set(word_of))


def _fits(matched: dict[str, bool], weight: dict[str, float]) -> bool:
    """Whether a card's matches are evidence enough. matched: word → whether it was
    in the card's title or tags."""
    share = sum(weight[w] for w in matched) / sum(weight.values())
    if any(matched.values()):
        return len(matched) >= SUGGEST_MIN_WORDS or share >= ALONE_SHARE
    return len(matched) >= UNNAMED_MIN_WORDS and share >= UNNAMED_SHARE


def _words_matched(terms, word_of: dict) -> dict[str, bool]:
    """The conversation's words a hit matched, each with whether it named the card."""
    matched: dict[str, bool] = {}
    for field, text in terms:
        word = word_of.get((field, text))
        if word is not None:
            matched[word] = matched.get(word, False) or field == "tags" or field.startswith("title_")
    return matched
