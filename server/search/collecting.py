"""How documents are gathered from the index for a query, cheaply: the mechanics under
search and suggest (which hold the rules). Whoosh scores every match in Python, so the
cost of a query is the number of documents it scores; everything here is about
scoring few of them, and counting the rest without scoring."""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator

from whoosh import query as q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.columns import NumericColumn
from whoosh.matching import FilterMatcher, Matcher, NullMatcher, WrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

SCORE_ALL_UP_TO = 1000  # matches a query may have before only the best-matched are scored
EXPANSIONS_KEPT = 20_000  # (segment, prefix or fuzzy term) expansions kept, the most recent
LENGTHS_KEPT = 256  # (segment, field) length columns kept: a byte per document each
_LENGTHS = [byte_to_length(b) for b in range(256)]  # a field length as Whoosh stores it: one byte


class Scored:
    """One scored document: its global number, score and stored fields (read when asked)."""

    __slots__ = ("docnum", "score", "_searcher", "_fields")

    def __init__(self, searcher, docnum: int, score: float):
        self.docnum, self.score, self._searcher, self._fields = docnum, score, searcher, None

    def fields(self) -> dict:
        if self._fields is None:
            self._fields = self._searcher.stored_fields(self.docnum)
        return self._fields

    def __getitem__(self, name: str):
        return self.fields()[name]

    def get(self, name: str, default=None):
        return self.fields().get(name, default)


def _ranked(searcher, scores: dict[int, float], limit: int) -> list[Scored]:
    """The best `limit`, as Whoosh's collector orders them: score, then document number."""
    best = heapq.nlargest(limit, ((score, -docnum) for docnum, score in scores.items()))
    return [Scored(searcher, -negated, score) for score, negated in best]


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
    return [Scored(searcher, hit.docnum, hit.score) for hit in wrapped.results()], collector.counted


class _KeptPerSegment:
    """Values worked out from one segment, kept while recently used. A segment never
    changes once written (a commit or a merge writes a new one, under a new name), so
    nothing kept can go stale; only its deleted documents change, and nothing here
    depends on them."""

    def __init__(self, size: int):
        self._size = size
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, reader, key, compute):
        segment = getattr(reader, "segment", None)
        if segment is None:  # not one segment's reader (an empty index)
            return compute()
        key = (segment().segment_id(), key)
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value


_expansions = _KeptPerSegment(EXPANSIONS_KEPT)
_lengths = _KeptPerSegment(LENGTHS_KEPT)


def _expanding(leaf: q.Query) -> bool:
    return isinstance(leaf, (q.Prefix, q.FuzzyTerm))


def segment_expansion(reader, leaf: q.Query) -> tuple:
    """The words of one segment that a prefix or fuzzy term stands for, in Whoosh's
    order, kept per segment: a search expanded each prefix and fuzzy term twice (for
    its matches, then for its scores), and the next keystroke expands most of them
    again; the fuzzy ones walk the whole term list."""
    return _expansions.get(reader, leaf, lambda: tuple(leaf._btexts(reader)))


def expanded_terms(searcher, query: q.Query) -> set[tuple[str, str]]:
    """Every (field, term) of a query, prefixes and fuzzy terms expanded to the index's
    words. Not query.existing_terms(): it reuses its `fieldname` argument as a loop
    variable and so skips every field after the first."""
    reader = searcher.reader()
    found = set()
    for leaf in query.leaves():
        if _expanding(leaf):
            pairs = ((leaf.field(), text) for segment, _ in reader.leaf_readers()
                     for text in segment_expansion(segment, leaf))
        else:
            pairs = leaf.expanded_terms(reader, phrases=True)
        for field, text in pairs:
            found.add((field, text.decode("utf-8") if isinstance(text, bytes) else text))
    return found


def documents_of(searcher, terms: Iterable[tuple[str, str]]) -> set[int]:
    """Every document (global number) holding any of the terms: postings read straight,
    segment by segment, nothing scored."""
    terms = list(terms)
    found: set[int] = set()
    for reader, offset in searcher.reader().leaf_readers():
        deleted = reader.has_deletions()
        for field, text in terms:
            try:
                ids = _posting_ids(reader.postings(field, text))
            except TermNotFound:
                continue
            if deleted:
                ids = [d for d in ids if not reader.is_deleted(d)]
            found.update([offset + d for d in ids] if offset else ids)
    return found


def _posting_ids(matcher: Matcher) -> list[int]:
    """The document numbers of one segment's postings for a term, deleted ones included,
    read a block at a time: Whoosh's all_ids() steps through them one call each."""
    if type(matcher) is FilterMatcher:  # a segment with deletions; the caller drops them
        matcher = matcher.child
    if type(matcher) is not W3LeafMatcher:
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i:])
        matcher._next_block()
    return ids


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
    scores = flat_scores(searcher, query, scored)
    if scores is None:  # not a query of words: Whoosh scores every match
        return top(searcher, query, depth, allowed)[0], len(matched)
    return _ranked(searcher, scores, depth), len(matched)


def _leaves(query: q.Query, searcher, context, boost: float = 1.0) -> list[tuple[Matcher, float]] | None:
    """A query of words as the (term matcher, boost) pairs whose scores Whoosh adds up,
    built as Whoosh builds them (quirks included: an Or's or a prefix's boost counts
    only when it has several clauses); None for any other shape."""
    if type(query) is q.Or:
        if len(query.subqueries) > 1:
            boost *= query.boost
        found: list[tuple[Matcher, float]] = []
        for sub in query.subqueries:
            leaves = _leaves(sub, searcher, context, boost)
            if leaves is None:
                return None
            found += leaves
        return found
    if type(query) is q.Term:
        return _term_leaf(query, searcher, context, boost)
    if _expanding(query):
        texts = [text for text in segment_expansion(searcher.reader(), query) if text]
        boost *= query.boost if len(texts) > 1 else 1.0
        return [leaf for text in texts for leaf in _term_leaf(q.Term(query.field(), text), searcher, context, boost)]
    return None


def _term_leaf(term: q.Term, searcher, context, boost: float) -> list[tuple[Matcher, float]]:
    # In a segment with deleted documents this is Whoosh's FilterMatcher, which skips them.
    matcher = term.matcher(searcher, context)
    if matcher is NullMatcher:
        return []
    if type(matcher) is WrappingMatcher:
        return [(matcher.child, boost * matcher.boost)]
    return [(matcher, boost)]


def _coordinated(score: float, matching: int, terms: int, scale: float) -> float:
    """Whoosh's coordination (CoordMatcher): more of a query's terms, a higher score."""
    if terms == 0 or terms == scale:
        return 0.0
    return (score + (matching - 1) / (terms - scale) ** 2) * ((terms - 1) / terms)


def flat_scores(searcher, query: q.Query, docnums: set[int]) -> dict[int, float] | None:
    """The query's scores for the given documents, as Whoosh's matcher tree gives them,
    computed term by term. A query of words is a coordinated sum of terms: a document's
    score is the sum of its terms' scores, adjusted by how many of the terms it holds.
    Whoosh builds a tree of unions and walks it for every document it scores, which
    cost far more than the scoring itself; here each term's postings are read once,
    leaping to the wanted documents. None when the query is not of that shape."""
    scores: dict[int, float] = {}
    context = searcher.context()
    scale = query.scale if type(query) is q.Or and len(query.subqueries) > 1 else None
    for leaf_searcher, offset in searcher.leaf_searchers():
        end = offset + leaf_searcher.doc_count_all()
        local = sorted(d - offset for d in docnums if offset <= d < end)
        if not local:
            continue
        leaves = _leaves(query, leaf_searcher, context)
        if leaves is None:
            return None
        sums, counts = _sum_terms(leaves, local, leaf_searcher.reader())
        for docnum, total in sums.items():
            scores[offset + docnum] = _coordinated(total, counts[docnum], len(leaves), scale) if scale else total
    return scores


def _field_lengths(reader, field: str) -> bytes | None:
    """One segment's length bytes of a field, a byte per document (None: no lengths),
    kept per segment: at 100,000 cards a field's are 100 KB, and a search reads dozens."""
    return _lengths.get(reader, field, lambda: _read_lengths(reader, field))


def _read_lengths(reader, field: str) -> bytes | None:
    try:
        column = reader._perdoc._cached_reader("_%s_len" % field, LENGTHS_COLUMN)
    except AttributeError:  # not a segment of the codec these internals belong to
        return None
    if type(column) is not NumericColumn.Reader or column._fixedlen != 1:
        return None
    return column._dbfile.get(column._basepos, column._count)


def _bm25(leaf, reader):
    """A function of (document, weight) giving a term's score exactly as Whoosh's BM25F
    scorer does, from the segment's field lengths read once: Whoosh reads each
    document's length through half a dozen calls, the most of a search that scores
    thousands of matches (one common word typed). None when the leaf is scored some
    other way."""
    matcher = leaf.child if type(leaf) is FilterMatcher else leaf
    scorer = getattr(matcher, "scorer", None)
    if type(scorer) is not BM25FScorer:
        return None
    lengths = _field_lengths(reader, matcher.term()[0])
    if lengths is None:
        return None
    idf, avgfl, b, k1, table, count = scorer.idf, scorer.avgfl, scorer.B, scorer.K1, _LENGTHS, len(lengths)

    def score(docnum: int, weight: float) -> float:
        lbyte = lengths[docnum] if docnum < count else 0
        if not lbyte:  # no length recorded: whatever Whoosh makes of it
            return scorer._score(weight, scorer.dfl(docnum))
        return idf * ((weight * (k1 + 1)) / (weight + k1 * ((1 - b) + b * table[lbyte] / avgfl)))
    return score


def _postings_in(matcher: W3LeafMatcher, local: list[int]) -> Iterator[tuple[int, float]]:
    """(document, weight) of a term's postings for the documents of `local` (sorted),
    read a block at a time, leaping past blocks that hold none of them."""
    i, wanted = 0, len(local)
    while i < wanted and matcher.is_active():
        target = local[i]
        if matcher._maxid < target:
            matcher._next_block()
            continue
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids, weights, j, end = matcher._ids, matcher._weights, matcher._i, matcher._blocklength
        while j < end:
            docnum = ids[j]
            if docnum < target:
                j = bisect_left(ids, target, j + 1, end)
                continue
            if docnum == target:
                yield docnum, weights[j]
                j += 1
                i += 1
            else:
                i = bisect_left(local, docnum, i + 1)
            if i >= wanted:
                break
            target = local[i]
        matcher._i = j
        if j >= end:
            matcher._next_block()


def _sum_terms(leaves, local: list[int], reader=None) -> tuple[dict[int, float], dict[int, int]]:
    """Per document of `local` (sorted): the sum of its terms' scores, and how many. A
    document deleted in its segment is never in `local`, so deletions need no check."""
    sums: dict[int, float] = {}
    counts: dict[int, int] = {}
    wanted = len(local)
    for leaf, boost in leaves:
        bm25 = _bm25(leaf, reader) if reader is not None else None
        postings = leaf.child if type(leaf) is FilterMatcher else leaf
        if bm25 is not None and type(postings) is W3LeafMatcher:
            for docnum, weight in _postings_in(postings, local):
                sums[docnum] = sums.get(docnum, 0.0) + bm25(docnum, weight) * boost
                counts[docnum] = counts.get(docnum, 0) + 1
            continue
        i = 0
        while i < wanted and leaf.is_active():
            docnum, target = leaf.id(), local[i]
            if docnum < target:
                leaf.skip_to(target)
            elif docnum > target:
                i = bisect_left(local, docnum, i + 1)
            else:
                sums[docnum] = sums.get(docnum, 0.0) + leaf.score() * boost
                counts[docnum] = counts.get(docnum, 0) + 1
                i += 1
                leaf.next()
    return sums, counts


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
