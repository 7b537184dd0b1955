"""How documents are gathered from the index for a query, cheaply: the mechanics under
search and suggest (which hold the rules). Whoosh scores every match in Python, so the
cost of a query is the number of documents it scores; everything here is about
scoring few of them, and counting the rest without scoring."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from whoosh import query as q
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import TermNotFound

SCORE_ALL_UP_TO = 1000  # matches a query may have before only the best-matched are scored


class _CountingCollector(TopCollector):
    """The top hits, counting every match that reaches it (after the permission filter).
    Block skipping stays off, so the count is exact."""

    def prepare(self, top_searcher, query, context):
        super().prepare(top_searcher, query, context)
        self.counted = 0

    def _collect(self, global_docnum, score):
        self.counted += 1
        return super()._collect(global_docnum, score)


def top(searcher, query: q.Query, limit: int, allowed: set[int] | None):
    """(results, how many matched) for the best `limit` documents among `allowed`."""
    # replace=0: Whoosh would swap in a cheaper matcher as the lowest kept score rises,
    # dropping clauses whose best score cannot reach it: wrong under the coordination
    # bonus (a document matching more words scores above its clauses' best).
    collector = _CountingCollector(limit=limit, usequality=False, replace=0)
    wrapped = FilterCollector(collector, allow=allowed) if allowed is not None else collector
    searcher.search_with_collector(query, wrapped)
    return wrapped.results(), collector.counted


class _Unscored(ListMatcher):
    def score(self):
        return 0.0  # not ListMatcher's all_weights=0.0: it reads a zero as "not given", 1.0


class OnlyDocuments(q.Query):
    """Matches exactly the given documents (global numbers) and scores nothing: as the
    required side of AndMaybe it makes Whoosh score just these, skipping to each."""

    fieldname = None  # a leaf of no field, holding no terms (highlighting asks)

    def __init__(self, top_searcher, docnums: Iterable[int]):
        self._top = top_searcher
        self._docnums = sorted(docnums)

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def matcher(self, searcher, context=None):
        offset, end = next((offset, offset + leaf.doc_count_all()) for leaf, offset in self._top.leaf_searchers()
                           if leaf is searcher)
        local = [d - offset for d in self._docnums if offset <= d < end]
        return _Unscored(local) if local else NullMatcher()


def expanded_terms(searcher, query: q.Query) -> set[tuple[str, str]]:
    """Every (field, term) of a query, prefixes and fuzzy terms expanded to the index's
    words. Not query.existing_terms(): it reuses its `fieldname` argument as a loop
    variable and so skips every field after the first."""
    reader = searcher.reader()
    found = set()
    for leaf in query.leaves():
        for field, text in leaf.expanded_terms(reader, phrases=True):
            found.add((field, text.decode("utf-8") if isinstance(text, bytes) else text))
    return found


def documents_of(searcher, terms: Iterable[tuple[str, str]]) -> set[int]:
    """Every document (global number) holding any of the terms: postings read straight,
    nothing scored."""
    found: set[int] = set()
    for field, text in terms:
        try:
            found.update(searcher.postings(field, text).all_ids())
        except TermNotFound:
            continue
    return found


def best_matched(word_docs: list[set[int]], allowed: set[int] | None, enough: int) -> tuple[set[int], set[int]]:
    """(every document matching a word, the ones worth scoring). When a query matches
    many documents, only those matching the most of its words are scored: as many
    words as still leave `enough` of them, so the top hits come from there. Matching
    more words ranks a card higher anyway (the coordination bonus)."""
    matched = Counter(d for docs in word_docs for d in docs)
    if allowed is not None:
        matched = Counter({d: n for d, n in matched.items() if d in allowed})
    everything = set(matched)
    if len(everything) <= SCORE_ALL_UP_TO:
        return everything, everything
    for at_least in range(len(word_docs), 1, -1):
        chosen = {d for d, n in matched.items() if n >= at_least}
        if len(chosen) >= enough:
            return everything, chosen
    return everything, everything


def best_of(searcher, query: q.Query, word_terms: list[set[tuple[str, str]]], allowed: set[int] | None,
            depth: int):
    """(results, how many matched) for a query whose words' terms are `word_terms`: the
    matches are counted from postings, and only those matching the most words are
    scored (see best_matched)."""
    matched, scored = best_matched([documents_of(searcher, terms) for terms in word_terms], allowed, depth)
    if scored is matched:
        return top(searcher, query, depth, allowed)[0], len(matched)
    return top(searcher, q.AndMaybe(OnlyDocuments(searcher, scored), query), depth, None)[0], len(matched)


def scores_of(searcher, query: q.Query, docnums: Iterable[int]) -> dict[int, float]:
    """A query's scores for a few documents, found by skipping to each: a costly clause
    (word-pair nearness) scored for the top hits instead of every match."""
    matcher = query.matcher(searcher, searcher.context())
    found = {}
    for docnum in sorted(docnums):
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found[docnum] = matcher.score()
    return found


def matched_terms(searcher, terms: Iterable[tuple[str, str]], docnums: Iterable[int]) -> dict[int, list]:
    """Which of the terms each of a few documents holds, by skipping each term's postings
    to them (recording terms for every match as the search runs costs far more)."""
    docnums = sorted(docnums)
    found: dict[int, list[tuple[str, str]]] = {}
    for field, text in terms:
        try:
            postings = searcher.postings(field, text)
        except TermNotFound:
            continue
        for docnum in docnums:
            if postings.is_active() and postings.id() < docnum:
                postings.skip_to(docnum)
            if not postings.is_active():
                break
            if postings.id() == docnum:
                found.setdefault(docnum, []).append((field, text))
    return found
