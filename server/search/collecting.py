"""How documents are gathered from the index for a query, cheaply: the mechanics under
search and suggest (which hold the rules). Whoosh scores every match in Python, so the
cost of a query is the number of documents it scores; everything here is about
scoring few of them, and counting the rest without scoring."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable

import numpy as np
from whoosh import query as q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.columns import NumericColumn
from whoosh.scoring import BM25F, bm25
from whoosh.util.numeric import byte_to_length

from server.search.expansion import expanding, segment_expansion
from server.search.postings import KeptPerSegment, segment_postings

SCORE_ALL_UP_TO = 1000  # matches a query may have before only the best-matched are scored
LENGTHS_KEPT = 256  # (segment, field) length columns kept: a byte per document each
_LENGTH_LIST = [byte_to_length(b) for b in range(256)]  # a field length as Whoosh stores it: one byte
_LENGTHS = np.array(_LENGTH_LIST, dtype=np.float64)
FEW_POSTINGS = 48  # a term with no more postings is scored in Python: NumPy's cost per call is more


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


def _ranked(searcher, docnums: np.ndarray, scores: np.ndarray, limit: int) -> list[Scored]:
    """The best `limit`, as Whoosh's collector orders them: score, then document number."""
    best = np.lexsort((docnums, -scores))[:limit]
    return [Scored(searcher, int(docnums[at]), float(scores[at])) for at in best]


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


_lengths = KeptPerSegment(LENGTHS_KEPT)


def expanded_terms(searcher, query: q.Query) -> set[tuple[str, str]]:
    """Every (field, term) of a query, prefixes and fuzzy terms expanded to the index's
    words. Not query.existing_terms(): it reuses its `fieldname` argument as a loop
    variable and so skips every field after the first."""
    reader = searcher.reader()
    found = set()
    for leaf in query.leaves():
        if expanding(leaf):
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
        deleted = reader.deleted_docs_set if reader.has_deletions() else None
        for field, text in terms:
            postings = segment_postings(reader, field, text)
            if postings is None:
                continue
            ids = postings.ids
            if deleted:
                ids = [d for d in ids if d not in deleted]
            found.update([offset + d for d in ids] if offset else ids)
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
    scored = _flat_scores(searcher, query, scored)
    if scored is None:  # not a query of words: Whoosh scores every match
        return top(searcher, query, depth, allowed)[0], len(matched)
    return _ranked(searcher, *scored, depth), len(matched)


def _weighted_terms(query: q.Query, reader, boost: float = 1.0) -> list[tuple[str, str | bytes, float]] | None:
    """A query of words as the (field, term, boost) whose scores Whoosh adds up in one
    segment, boosts as Whoosh multiplies them (quirks included: an Or's or a prefix's
    boost counts only when it has several clauses); None for any other shape."""
    if type(query) is q.Or:
        if len(query.subqueries) > 1:
            boost *= query.boost
        found: list[tuple[str, str | bytes, float]] = []
        for sub in query.subqueries:
            terms = _weighted_terms(sub, reader, boost)
            if terms is None:
                return None
            found += terms
        return found
    if type(query) is q.Term:
        return [(query.fieldname, query.text, boost * query.boost)]
    if expanding(query):
        texts = [text for text in segment_expansion(reader, query) if text]
        boost *= query.boost if len(texts) > 1 else 1.0
        return [(query.field(), text, boost) for text in texts]
    return None


def _coordinated(scores: np.ndarray, matching: np.ndarray, terms: int, scale: float) -> np.ndarray:
    """Whoosh's coordination (CoordMatcher): more of a query's terms, a higher score (each
    document's score and how many of the terms it holds; the same operations in the same
    order as Whoosh's, so the same floating-point results)."""
    if terms == 0 or terms == scale:
        return np.zeros_like(scores)
    return (scores + (matching - 1) / (terms - scale) ** 2) * ((terms - 1) / terms)


def flat_scores(searcher, query: q.Query, docnums: set[int]) -> dict[int, float] | None:
    """The query's scores for the given documents, as Whoosh's matcher tree gives them,
    computed term by term. A query of words is a coordinated sum of terms: a document's
    score is the sum of its terms' scores, adjusted by how many of the terms it holds.
    Whoosh builds a tree of unions and walks it for every document it scores, which
    cost far more than the scoring itself; here each term's kept postings are read
    once, for the wanted documents only. None when the query is not of that shape."""
    scored = _flat_scores(searcher, query, docnums)
    return None if scored is None else dict(zip(scored[0].tolist(), scored[1].tolist()))


def _flat_scores(searcher, query: q.Query, docnums: set[int]) -> tuple[np.ndarray, np.ndarray] | None:
    """flat_scores as (documents, their scores) arrays."""
    wanted = np.fromiter(docnums, dtype=np.int64, count=len(docnums))
    wanted.sort()
    found: list[tuple[np.ndarray, np.ndarray]] = []
    scale = query.scale if type(query) is q.Or and len(query.subqueries) > 1 else None
    for leaf_searcher, offset in searcher.leaf_searchers():
        start, end = np.searchsorted(wanted, (offset, offset + leaf_searcher.doc_count_all()))
        if start == end:
            continue
        terms = _weighted_terms(query, leaf_searcher.reader())
        if terms is None:
            return None
        sums, counts, held = _sum_terms(leaf_searcher, terms, wanted[start:end] - offset)
        matched = np.flatnonzero(counts)
        totals = sums[matched]
        if scale:
            totals = _coordinated(totals, counts[matched], held, scale)
        found.append((matched + offset, totals))
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate([docs for docs, _ in found]), np.concatenate([scores for _, scores in found])


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


class _BM25:
    """A term's scores in one segment, exactly as Whoosh's BM25F scorer gives them: global
    idf and average length from the top searcher, lengths from the segment's column
    (read once), the same operations in the same order; without the posting reader
    and scorer Whoosh builds for every term. For many documents at once over arrays
    (a Python step per posting was most of scoring), for a few one at a time (NumPy's
    cost per call is more than a few steps)."""

    __slots__ = ("_leaf_searcher", "_field", "_idf", "_avgfl", "_b", "_k1", "_lengths")

    @classmethod
    def of(cls, leaf_searcher, field: str, text: str | bytes) -> _BM25 | None:
        """None when the term is scored some other way."""
        weighting = leaf_searcher.weighting
        if not isinstance(weighting, BM25F) or type(weighting).scorer is not BM25F.scorer \
                or not leaf_searcher.schema[field].scorable:
            return None
        lengths = _field_lengths(leaf_searcher.reader(), field)
        if lengths is None:
            return None
        scorer = cls()
        parent = leaf_searcher.get_parent()
        scorer._leaf_searcher, scorer._field, scorer._lengths = leaf_searcher, field, lengths
        scorer._idf, scorer._avgfl = _idf(parent, field, text), parent.avg_field_length(field) or 1
        scorer._b, scorer._k1 = weighting._field_B.get(field, weighting.B), weighting.K1
        return scorer

    def _formula(self, weight, length):  # floats or arrays alike
        idf, avgfl, b, k1 = self._idf, self._avgfl, self._b, self._k1
        return idf * ((weight * (k1 + 1)) / (weight + k1 * ((1 - b) + b * length / avgfl)))

    def _unmeasured(self, docnum: int, weight: float) -> float:
        """A document with no length recorded: whatever Whoosh makes of it."""
        length = self._leaf_searcher.doc_field_length(docnum, self._field, 1)
        return bm25(self._idf, weight, length, self._avgfl, self._b, self._k1)

    def score(self, docnum: int, weight: float) -> float:
        lbyte = self._lengths[docnum] if docnum < len(self._lengths) else 0
        return self._formula(weight, _LENGTH_LIST[lbyte]) if lbyte else self._unmeasured(docnum, weight)

    def scores(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        column = np.frombuffer(self._lengths, dtype=np.uint8)
        lbytes = np.zeros(len(ids), dtype=np.uint8)
        inside = ids < len(column)
        lbytes[inside] = column[ids[inside]]
        weights = weights.astype(np.float64)
        scores = self._formula(weights, _LENGTHS[lbytes])
        for at in np.flatnonzero(lbytes == 0):
            scores[at] = self._unmeasured(int(ids[at]), float(weights[at]))
        return scores


def _idf(parent, field: str, text: str | bytes) -> float:
    """A term's idf by the searcher's weighting, kept in the searcher's own cache, with
    the document frequency it asks for counted from the kept postings. Looking it up in
    the term file cost 10–20 µs a term: a typed prefix's 270 title words spent 5 ms on
    that before their first posting was scored."""
    key = (field, text)
    idf = parent._idf_cache.get(key)
    if idf is None:
        idf = parent._idf_cache[key] = parent.weighting.idf(_KeptFrequencies(parent), field, text)
    return idf


class _KeptFrequencies:
    """What a weighting's idf asks of a searcher, answered from the kept postings: a
    term's postings hold one document each, deleted ones included, as the frequency
    in the term file counts them."""

    def __init__(self, searcher):
        self._searcher = searcher

    def get_parent(self):
        return self

    def doc_count_all(self) -> int:
        return self._searcher.doc_count_all()

    def doc_frequency(self, field: str, text: str | bytes) -> int:
        held = (segment_postings(reader, field, text) for reader, _ in self._searcher.reader().leaf_readers())
        return sum(len(postings) for postings in held if postings is not None)


def _sum_terms(leaf_searcher, terms: list[tuple[str, str | bytes, float]],
               local: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Per document of the segment: the sum of its terms' scores, and how many, counted
    for the documents of `local` (sorted) only, zero elsewhere; and how many of the terms
    the segment holds. A document deleted in its segment is never in `local`, so
    deletions need no check. Each term's scores are added in the query's order, as
    Whoosh adds them."""
    reader = leaf_searcher.reader()
    size = leaf_searcher.doc_count_all()
    wanted, listed = np.zeros(size, dtype=bool), local.tolist()
    wanted_set = set(listed)
    wanted[local] = True
    sums, counts, held = np.zeros(size), np.zeros(size, dtype=np.int64), 0
    for field, text, boost in terms:
        postings = segment_postings(reader, field, text)
        if postings is None:
            continue
        held += 1
        few = len(postings) <= FEW_POSTINGS
        if few:
            found = [(docnum, weight) for docnum, weight in zip(postings.ids, postings.weights)
                     if docnum in wanted_set]
        else:
            ids, weights = postings.arrays()
            chosen = wanted[ids]
            found = ids[chosen]
        if not len(found):
            continue
        scorer = _BM25.of(leaf_searcher, field, text)
        if scorer is None:  # Whoosh's own scorer, a document at a time
            for docnum, score in _matcher_scores(leaf_searcher.postings(field, text), listed).items():
                sums[docnum] += score * boost
                counts[docnum] += 1
        elif few:
            for docnum, weight in found:
                sums[docnum] += scorer.score(docnum, weight) * boost
                counts[docnum] += 1
        else:
            sums[found] += scorer.scores(found, weights[chosen]) * boost  # a term holds each document once
            counts[found] += 1
    return sums, counts, held


def scores_of(searcher, query: q.Query, docnums: Iterable[int]) -> dict[int, float]:
    """A query's scores for a few documents: a costly clause (word-pair nearness) scored
    for the top hits instead of every match. Word pairs are scored here (see
    _pair_scores); any other query by Whoosh, skipping to each document."""
    docnums = sorted(docnums)
    found = _pair_scores(searcher, query, docnums)
    if found is not None:
        return found
    return _matcher_scores(query.matcher(searcher, searcher.context()), docnums)


def _matcher_scores(matcher, docnums: list[int]) -> dict[int, float]:
    """A matcher's scores for the documents of `docnums` (sorted) it matches, skipping to each."""
    found = {}
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found[docnum] = matcher.score()
    return found


def _pair_scores(searcher, query: q.Query, docnums: list[int]) -> dict[int, float] | None:
    """Scores of an Or of two-word phrases with slop (the nearness clause), exactly as
    Whoosh's matchers give them: a document where the second word follows the first
    within the slop scores the two terms' sum, times the phrase's boost, added up
    over the phrases. Whoosh's span matcher, skipped to a document, walks on through
    every document holding both words until one has them near, reading positions for
    each: a quarter of a typed search. Here only the given documents that hold both
    words (from the kept postings) have their positions read. None for another shape."""
    clauses = query.subqueries if type(query) is q.Or and query.boost == 1.0 and query.scale is None else None
    if not clauses or any(type(c) is not q.Phrase or len(c.words) != 2 or c.words[0] == c.words[1]
                          for c in clauses):
        return None
    found: dict[int, float] = {}
    for leaf_searcher, offset in searcher.leaf_searchers():
        end = offset + leaf_searcher.doc_count_all()
        local = [d - offset for d in docnums if offset <= d < end]
        for clause in clauses if local else ():
            scored = _pair_in_segment(leaf_searcher, clause, local)
            if scored is None:
                return None
            for docnum, score in scored:
                found[offset + docnum] = found.get(offset + docnum, 0.0) + score
    return found


def _pair_in_segment(leaf_searcher, phrase: q.Phrase, local: list[int]) -> list[tuple[int, float]] | None:
    reader, field = leaf_searcher.reader(), phrase.fieldname
    first, second = (segment_postings(reader, field, word) for word in phrase.words)
    if first is None or second is None:
        return []
    both = [(d, i, j) for d in local for i in (_position_of(first.ids, d),) if i is not None
            for j in (_position_of(second.ids, d),) if j is not None]
    if not both:
        return []
    if not reader.schema[field].format.supports("positions"):
        return None
    readers = [reader.postings(field, word) for word in phrase.words]
    near = [(docnum, i, j) for docnum, i, j in both
            if _follows(*(_positions(matcher, docnum) for matcher in readers), phrase.slop)]
    if not near:
        return []
    before, after = (_BM25.of(leaf_searcher, field, word) for word in phrase.words)
    if before is None or after is None:
        return None
    return [(docnum, (before.score(docnum, first.weights[i]) + after.score(docnum, second.weights[j])) * phrase.boost)
            for docnum, i, j in near]


def _position_of(ids, docnum: int) -> int | None:
    at = bisect_left(ids, docnum)
    return at if at < len(ids) and ids[at] == docnum else None


def _positions(matcher, docnum: int) -> list[int]:
    if matcher.id() < docnum:
        matcher.skip_to(docnum)
    return matcher.value_as("positions")


def _follows(before: list[int], after: list[int], slop: int) -> bool:
    """Whether a position of `after` comes 1 to `slop` positions after one of `before`."""
    for position in before:
        at = bisect_left(after, position + 1)
        if at < len(after) and after[at] <= position + slop:
            return True
    return False


def matched_terms(searcher, terms: Iterable[tuple[str, str]], docnums: Iterable[int]) -> dict[int, list]:
    """Which of the terms each of a few documents holds, by looking the documents up in
    each term's kept postings (recording terms for every match as the search runs costs
    far more, and a Whoosh matcher per term was most of a suggestion)."""
    wanted = sorted(docnums)
    found: dict[int, list[tuple[str, str]]] = {}
    for reader, offset in searcher.reader().leaf_readers():
        local = [d - offset for d in wanted if offset <= d < offset + reader.doc_count_all()]
        if not local:
            continue
        for field, text in terms:
            postings = segment_postings(reader, field, text)
            if postings is None:
                continue
            ids = postings.ids
            for docnum in local:
                at = bisect_left(ids, docnum)
                if at < len(ids) and ids[at] == docnum:
                    found.setdefault(docnum + offset, []).append((field, text))
    return found
