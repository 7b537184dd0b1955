"""Ranking: BM25F with the standard BM25 idf.

Whoosh's own idf, log(N / (df + 1)) + 1, never drops below about 1, so words in
nearly every card ('the', 'bir', 'ja', '的') weigh almost as much as rare ones and
questions full of such words rank noise. The usual idf, log(1 + (N - df + 0.5) /
(df + 0.5)), falls to about 0 for them."""

from __future__ import annotations

import math

from whoosh.scoring import BM25F


class StandardBM25F(BM25F):
    def idf(self, searcher, fieldname, text):
        total = searcher.doc_count_all()
        frequency = searcher.doc_frequency(fieldname, text)
        return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))


WEIGHTING = StandardBM25F()
