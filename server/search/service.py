"""Search and suggest: the only code that asks the index questions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from whoosh import query as q

from server.search import evidence, semantic, semantic_fusion, semantic_ranking
from server.search.analysis import field_language
from server.search.conversation import request_text
from server.search.evidence import COMMON_SHARE, MIN_CARDS_TO_JUDGE, SUGGEST_MAX_CHARS, Weighed, weigh
from server.search.expansion import begins, holds
from server.search.fit_model import fitting
from server.search.index import SearchIndex
from server.search.collecting import best_of, expanded_terms, scores_of, top
from server.search.query import near_query, parse_user_query, query_parts
from server.search.snippets import snippet
from server.search.schema import body_field

MAX_LIMIT = 50
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
    if parsed.words and not parsed.phrases:  # with the extra, the model reads it while the words are searched
        semantic_ranking.begin(index, text)
    with semantic.serving(), index.searcher() as searcher:
        key = ("search", parsed, None if readable is None else frozenset(readable), filters, limit)
        return index.memo.get(index.generation(searcher), key,
                              lambda: _search_now(index, searcher, parsed, readable, limit, filters, text))


def _search_now(index, searcher, parsed, readable, limit: int, filters: Filters,
                text: str = "") -> tuple[list[Hit], int]:
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
    scored = [(h, h.score + bonus.get(h.docnum, 0.0)) for h in results]
    # With the semantic extra, the cards closest in meaning join the ranking (not for a
    # quoted phrase, which asks for those words exactly).
    if not parts.phrases and semantic_ranking.ready(index):
        fused = semantic_ranking.searched(index, searcher, text, allowed, _best(scored, depth), limit)
        if fused is not None:
            return _hits(fused, terms), max(total, len(fused))
    return _hits(_best(scored, limit), terms), total


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


def suggest(index: SearchIndex, *, text: str, readable: Iterable[int] | None, limit: int = 5,
            mode: str | None = None) -> list[Hit]:
    """The few cards that fit a conversation best; none when nothing fits well enough.

    Reads the latest message's own words (a signature's 'Office Manager' or a quoted
    earlier reply is not what the customer asks about now), takes the cards that match
    its telling words, ranked by all of its words (evidence.py), and keeps those the fit
    model says fit, by the install's VOUCH_SUGGEST setting unless `mode` is given
    (fit_model.py; how it was fitted and what it scores: docs/suggestions.md). Answers
    are kept until the index changes: the same conversation opened again costs nothing."""
    text = text[:SUGGEST_MAX_CHARS]
    mode = mode or index.suggest_mode
    with semantic.serving(), index.searcher() as searcher:
        key = ("suggest", text, None if readable is None else frozenset(readable), limit, mode)
        return index.memo.get(index.generation(searcher), key,
                              lambda: _suggest_now(index, searcher, text, readable, limit, mode))


def _suggest_now(index, searcher, text: str, readable, limit: int, mode: str) -> list[Hit]:
    weighed, terms = candidates(index, searcher, text, readable)
    by_words = [(w.hit, fit) for w, fit in fitting(weighed, mode, limit)]
    if semantic_ranking.ready(index):  # cards close in meaning join in: the extra's model, or the table
        allowed = _allowed(index, searcher, readable, Filters())
        fused = semantic_ranking.suggested(index, searcher, text, allowed, weighed, mode, limit,
                                           lambda: known_share(index, searcher, text), bool(by_words))
        if fused is not None and semantic_fusion.constants().words_first:
            return _hits(semantic_ranking.words_first(by_words, fused), terms)
        if fused is not None:
            return _hits(fused, terms)
    return _hits(by_words, terms)


def known_share(index: SearchIndex, searcher, text: str) -> float:
    """The share of a conversation's telling words that some card uses (evidence.py)."""
    return evidence.known_share(request_text(text[:SUGGEST_MAX_CHARS]), _TermStats(index, searcher).frequency)


def candidates(index: SearchIndex, searcher, text: str, readable) -> tuple[list[Weighed], set[tuple[str, str]]]:
    """The cards suggest weighs for a conversation, with their evidence, before the fit
    model decides (scripts/fit_suggest fits the model on exactly these)."""
    allowed = _allowed(index, searcher, readable, Filters())
    if allowed is not None and not allowed:
        return [], set()
    return weigh(searcher, request_text(text[:SUGGEST_MAX_CHARS]), allowed, _TermStats(index, searcher).frequency)
