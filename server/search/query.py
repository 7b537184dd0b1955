"""Turns what a user typed into a Whoosh query, without Whoosh's query parser:
no field names, ranges, wildcards or operators can reach the index from user text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as q

from server.errors import Invalid
from server.search.analysis import detect_language, field_language, other_stems
from server.search.schema import FIELD_LANGUAGES, body_field, build_schema, title_field

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MIN_PREFIX = 3
RESTEM_BOOST = 0.5
MIN_FUZZY = 5          # words this long tolerate one typo
MAX_FUZZY_WORDS = 6    # longer queries are questions, not typed keywords: no fuzzing
NEAR_SLOP = 2          # query words next to each other, or with one word between…
NEAR_BOOST = 0.5       # …add this much of a phrase match's weight
MAX_NEAR_PAIRS = 16

_SCHEMA = build_schema()
_PHRASE = re.compile(r'"([^"]+)"')
_WORDS = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...]
    phrases: tuple[str, ...]
    prefix_last: bool

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases


def parse_user_query(text: str, *, prefix_last: bool = True) -> ParsedQuery:
    """Split text into quoted phrases and words; everything else is just characters."""
    if len(text) > MAX_QUERY_CHARS:
        raise Invalid(f"A search can be at most {MAX_QUERY_CHARS} characters long.", code="query_too_long")
    phrases = tuple(p.strip() for p in _PHRASE.findall(text) if _WORDS.search(p))
    rest = _PHRASE.sub(" ", text)
    words = tuple(dict.fromkeys(_WORDS.findall(rest)))[:MAX_TERMS]  # a repeated word counts once
    # Still typing only if the text ends inside a word: a finished question ("…?")
    # or a trailing space means the last word is complete.
    ends_in_word = bool(_WORDS.fullmatch(rest[-1:]))
    return ParsedQuery(words=words, phrases=phrases[:4], prefix_last=prefix_last and ends_in_word)


def analyzed(fieldname: str, text: str) -> list[str]:
    return [t.text for t in _SCHEMA[fieldname].analyzer(text, mode="query")]


def _word_query(word: str, *, prefix: bool, fuzzy: str | None, known) -> q.Query | None:
    """One word, as each language analyses it, in titles and bodies; tags as typed.
    The word being typed also matches as a prefix. In the query's own language
    (`fuzzy`), a longer word a field does not know forgives one edit: a typo, or in
    Turkish often a suffix variant. Fuzzy matching is costly, so nowhere else."""
    terms, seen, last = [], set(), set()
    for language in FIELD_LANGUAGES:
        for fieldname in (title_field(language), body_field(language)):
            field_terms = analyzed(fieldname, word)
            if field_terms:
                last.add((fieldname, field_terms[-1]))
            for term in field_terms:
                if (fieldname, term) in seen:
                    continue
                seen.add((fieldname, term))
                terms.append((fieldname, term, 1.0))
            for again in sorted(other_stems(language, word)):
                if (fieldname, again) not in seen:
                    seen.add((fieldname, again))
                    terms.append((fieldname, again, RESTEM_BOOST))
    clauses: list[q.Query] = []
    for fieldname, term, boost in terms:
        # A term the field does not hold cannot match: leaving it out keeps a Chinese
        # run (analysed in every language's fields) or a long question cheap.
        is_known = known(fieldname, term) if known else None
        if is_known is not False:
            clauses.append(q.Term(fieldname, term, boost=boost))
        if boost != 1.0:
            continue
        # Only the part being typed: in Chinese, one "word" is a whole run of text.
        if prefix and len(term) >= MIN_PREFIX and (fieldname, term) in last:
            clauses.append(q.Prefix(fieldname, term))
        if fuzzy and fieldname.endswith(f"_{fuzzy}") and len(term) >= MIN_FUZZY and not is_known:
            clauses.append(q.FuzzyTerm(fieldname, term, boost=0.5, maxdist=1, prefixlength=1))
    clauses.append(q.Term("tags", word.lower()))
    return q.Or(clauses)


def _phrase_query(phrase: str) -> q.Query | None:
    clauses = []
    for language in FIELD_LANGUAGES:
        for fieldname in (title_field(language), body_field(language)):
            terms = analyzed(fieldname, phrase)
            if len(terms) > 1:
                clauses.append(q.Phrase(fieldname, terms))
            elif terms:
                clauses.append(q.Term(fieldname, terms[0]))
    return q.Or(clauses) if clauses else None


def _segments(fieldname: str, text: str) -> list[str]:
    """The analysed words of a text in order, one per position: a Chinese word's single
    characters share its position and are left out."""
    found, last = [], None
    for token in _SCHEMA[fieldname].analyzer(text, mode="query", positions=True):
        if token.pos != last:
            found.append(token.text)
            last = token.pos
    return found


def _near_query(words: tuple[str, ...], known=None) -> q.Query | None:
    """Neighbouring query words that stand near each other in a card count extra, as a
    search engine's pair-proximity boost does: a question's words scattered through a
    long card say less than the same words side by side. Chinese gains most, since its
    words come from one run of characters that the card may segment differently."""
    clauses = []
    for language in FIELD_LANGUAGES:
        for fieldname in (title_field(language), body_field(language)):
            segments = _segments(fieldname, " ".join(words))
            pairs = list(dict.fromkeys(zip(segments, segments[1:])))[:MAX_NEAR_PAIRS]
            clauses.extend(q.Phrase(fieldname, list(pair), slop=NEAR_SLOP, boost=NEAR_BOOST)
                           for pair in pairs if pair[0] != pair[1]
                           and (known is None or known(fieldname, pair[0]) and known(fieldname, pair[1])))
    return q.Or(clauses) if clauses else None


def build_query(parsed: ParsedQuery, known=None) -> q.Query | None:
    """Phrases must all match; words are OR-ed, documents matching more words rank higher.
    known(field, term): whether the index holds a term; without it nothing is left out
    and every longer word may be a typo."""
    fuzzy = field_language(detect_language(" ".join(parsed.words))) if len(parsed.words) <= MAX_FUZZY_WORDS else None
    word_queries = [
        _word_query(w, prefix=parsed.prefix_last and i == len(parsed.words) - 1, fuzzy=fuzzy, known=known)
        for i, w in enumerate(parsed.words)
    ]
    word_queries = [wq for wq in word_queries if wq is not None]
    phrase_queries = [pq for pq in map(_phrase_query, parsed.phrases) if pq is not None]
    if not word_queries and not phrase_queries:
        return None
    words = q.Or(word_queries, scale=0.9) if word_queries else None
    # The word being typed is not finished: it cannot stand near anything yet.
    near = _near_query(parsed.words[:-1] if parsed.prefix_last else parsed.words, known)
    if words is not None and near is not None:
        words = q.Or([words, near])
    if phrase_queries:
        required = q.And(phrase_queries)
        return q.AndMaybe(required, words) if words else required
    return words
