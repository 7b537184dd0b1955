"""Turns what a user typed into a Whoosh query, without Whoosh's query parser:
no field names, ranges, wildcards or operators can reach the index from user text."""

from __future__ import annotations

import functools
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
MAX_FUZZY_CHARS = 24   # a longer "word" is no typo: its automaton would cost seconds
WORDS_KEPT = 4096      # words whose analysis is kept (each a few dozen short strings)

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


@functools.lru_cache(maxsize=WORDS_KEPT)
def _word_terms(word: str) -> tuple[tuple[str, str, float, bool], ...]:
    """(field, term, boost, last) for one word, as each language analyses it: its own
    terms at full weight, in Turkish and Estonian its other forms' stems at half. `last`
    marks the final term in its field (in Chinese one "word" is a whole run of text).
    Kept for the words most recently asked: each keystroke asks most of them again, and
    analysing a word in every language was a tenth of a search."""
    terms, seen = [], set()
    for language in FIELD_LANGUAGES:
        for fieldname in (title_field(language), body_field(language)):
            field_terms = analyzed(fieldname, word)
            for term in field_terms:
                if (fieldname, term) not in seen:
                    seen.add((fieldname, term))
                    terms.append((fieldname, term, 1.0, term == field_terms[-1]))
            for again in sorted(other_stems(language, word)):
                if (fieldname, again) not in seen:
                    seen.add((fieldname, again))
                    terms.append((fieldname, again, RESTEM_BOOST, False))
    return tuple(terms)


def _word_query(word: str, *, prefix: bool, fuzzy: str | None, known, completes=None,
                thin=None) -> q.Query | None:
    """One word, as each language analyses it, in titles and bodies; tags as typed.
    The word being typed also matches as a prefix of title words. In the query's own language
    (`fuzzy`), a longer word a field does not know forgives one edit: a typo, or in
    Turkish often a suffix variant. Fuzzy matching is costly, so nowhere else, and not
    for a word still being typed that begins a title word (completes(field, prefix)):
    it is unfinished, not misspelt. thin(field, term): leave out the fields where the
    word is common (see is_common), keeping it where it still tells cards apart."""
    clauses: list[q.Query] = []
    for fieldname, term, boost, last in _word_terms(word):
        if thin is not None and thin(fieldname, term):
            continue
        # A term the field does not hold cannot match: leaving it out keeps a Chinese
        # run (analysed in every language's fields) or a long question cheap.
        is_known = known(fieldname, term) if known else None
        if is_known is not False:
            clauses.append(q.Term(fieldname, term, boost=boost))
        if boost != 1.0:
            continue
        # Titles only: a body's vocabulary is large, and a three-letter prefix there
        # ('con') stands for hundreds of words and most of the cards.
        if prefix and len(term) >= MIN_PREFIX and last and fieldname.startswith("title_"):
            clauses.append(q.Prefix(fieldname, term))
        if fuzzy and fieldname.endswith(f"_{fuzzy}") and MIN_FUZZY <= len(term) <= MAX_FUZZY_CHARS \
                and not is_known and not (prefix and completes and completes(title_field(fuzzy), term)):
            clauses.append(q.FuzzyTerm(fieldname, term, boost=0.5, maxdist=1, prefixlength=1))
    clauses.append(q.Term("tags", word.lower()))
    return q.Or(clauses)


def is_common(word: str, common) -> bool:
    """Whether a word is in so many cards that it cannot tell them apart ('the', 'for',
    've'): its idf is near nothing, yet matching it means scoring most of the index.
    Common in one field is enough (a title field is small: 'for' in 3 % of the titles is
    still in most of the bodies), where every term it stands for there is common (a run
    of Chinese is one word of many terms, and its '的' does not make it common).
    common(field, term) is None for a term the index does not hold."""
    by_field: dict[str, list[bool]] = {}
    for field, term, boost, _ in _word_terms(word):
        held = common(field, term) if boost == 1.0 else None
        if held is not None:
            by_field.setdefault(field, []).append(held)
    return any(all(held) for held in by_field.values())


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


@dataclass(frozen=True)
class QueryParts:
    words: tuple[q.Query, ...]    # one clause per word kept; a card may match any
    phrases: tuple[q.Query, ...]  # quoted phrases; a card must match all

    def compose(self, near: q.Query | None = None) -> q.Query | None:
        """Phrases must all match; words are OR-ed, documents matching more words rank
        higher; the nearness clause adds to the words."""
        either = q.Or(list(self.words), scale=0.9) if self.words else None
        if either is not None and near is not None:
            either = q.Or([either, near])
        if self.phrases:
            required = q.And(list(self.phrases))
            return q.AndMaybe(required, either) if either else required
        return either


def query_parts(parsed: ParsedQuery, known=None, common=None, completes=None) -> QueryParts:
    """known(field, term): whether the index holds a term; without it nothing is left
    out and every longer word may be a typo. common(field, term): whether a term is in
    so many cards that it says nothing; while other words remain, a common word is
    matched only in the fields where it is not common ('functions' in titles, not in
    bodies). completes(field, prefix): whether some term of the field begins with it."""
    thin = _common_words(parsed, common)
    fuzzy = field_language(detect_language(" ".join(parsed.words))) if len(parsed.words) <= MAX_FUZZY_WORDS else None
    prefix_word = parsed.words[-1] if parsed.prefix_last and parsed.words else None
    return QueryParts(words=tuple(_word_query(w, prefix=w == prefix_word, fuzzy=fuzzy, known=known,
                                              completes=completes, thin=common if w in thin else None)
                                  for w in parsed.words),
                      phrases=tuple(pq for pq in map(_phrase_query, parsed.phrases) if pq is not None))


def build_query(parsed: ParsedQuery, known=None, common=None) -> q.Query | None:
    """The whole query, nearness included (see query_parts for known and common)."""
    return query_parts(parsed, known, common).compose(near_query(parsed, known, common))


def _common_words(parsed: ParsedQuery, common) -> set[str]:
    """The common words of a query that has others besides (none when all are common)."""
    if common is None:
        return set()
    found = {w for w in parsed.words if is_common(w, common)}
    return found if len(found) < len(parsed.words) else set()


def near_query(parsed: ParsedQuery, known=None, common=None) -> q.Query | None:
    """The word-pair nearness clause of a query: the word being typed is not finished,
    so it cannot stand near anything yet; common words are no evidence of nearness."""
    words = parsed.words[:-1] if parsed.prefix_last else parsed.words
    if common is not None:
        words = tuple(w for w in words if not is_common(w, common))
    return _near_query(words, known)
