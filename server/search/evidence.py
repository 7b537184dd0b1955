"""What a conversation's words say about the cards that match them: the candidates for
a suggestion, ranked, each with the few numbers the fit model (fit_model.py) weighs.

A conversation's *telling* words are its rarest words that are not everyday words
(stopwords.py); only a card matching one of them is a candidate. Its everyday words
('new', 'time', 'call') help rank the candidates, since 'how long until my new card
comes' is about the new-card card more than the lost-card one, but never make a card
a candidate on their own: a greeting, a thank-you or a scheduling note gets nothing.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from whoosh import query as q

from server.search.analysis import other_stems, starts_cjk, written_words
from server.search.collecting import Scored, best_of, matched_terms
from server.search.query import analyzed
from server.search.schema import FIELD_LANGUAGES, body_field, title_field
from server.search.stopwords import everyday

SUGGEST_TERMS = 12        # telling words, and everyday words, a conversation is read for
SUGGEST_MAX_CHARS = 20_000
COMMON_SHARE = 0.25       # a word in more of the cards says nothing about which one fits
MIN_CARDS_TO_JUDGE = 20   # a handful of cards cannot tell a common word from a topical one
CARDS_WEIGHED = 10        # the best-ranked candidates the fit model weighs
WORDS_KEPT = 4096          # words whose analysis is kept (each a few dozen short strings)
FEATURES = ("share", "named", "only", "words", "everyday", "rarest")


@dataclass(frozen=True)
class Word:
    """One word of a conversation and the index terms it stands for. `weight` is its idf,
    except in a knowledge base too small to tell rare words from common ones: there every
    word weighs 1 (and a card replaced but not yet merged away, which document counts
    still include, cannot change what fits)."""

    word: str
    idf: float
    clauses: tuple[q.Term, ...]
    telling: bool
    weight: float


@dataclass(frozen=True)
class Weighed:
    """A candidate card and its evidence, in the order of FEATURES (each 0 to about 2):

    share     the telling words' weight the card matches, of all of theirs;
    named     the part of it matched in the card's title or tags;
    only      the part of it in its title or tags and in no other candidate's: 'outage'
              names one card, 'bill' names four ('pay bill', 'bill due', ...);
    words     log(1 + how many telling words the card matches);
    everyday  how many of the everyday words the card matches, of all of them (0: none),
              counted, not weighed: a few dozen cards cannot tell how common they are;
    rarest    the weight of its rarest telling word, of the conversation's rarest.

    None compares the card's score with the other cards' (only `only` looks at them, and
    at their titles): a message about two subjects gets a card for each, though the
    second one's score is often well under half the first's. None is a score either:
    BM25's scale follows how long and how repetitive cards are, which differs from one
    knowledge base to the next."""

    hit: Scored
    features: tuple[float, ...]
    told: frozenset[str] = frozenset()   # the telling words it matches
    names: frozenset[str] = frozenset()  # those of them in its title or tags


def conversation_words(text: str) -> list[str]:
    """Distinct words of a conversation as written, Chinese segmented into words (not
    characters: one character alone says little, and a word's characters are not
    separate evidence)."""
    words = written_words(text[:SUGGEST_MAX_CHARS])
    return list(dict.fromkeys(w for w in words if not w.isdigit() and not (len(w) == 1 and starts_cjk(w))))


@functools.lru_cache(maxsize=WORDS_KEPT)
def _word_terms(word: str) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """(field, term) pairs a word stands for: its own, as each language analyses it and
    as a tag; and its variants, in Turkish and Estonian the stems its other forms have
    ('kesintiler' finds 'kesinti', as search does). Kept for the words most recently
    read: analysing a word in every language was a third of a suggestion, and the
    everyday words come back in every conversation."""
    own, variants = {("tags", word.lower())}, set()
    for language in FIELD_LANGUAGES:
        for fieldname in (title_field(language), body_field(language)):
            found = analyzed(fieldname, word)
            if len(word) > 1:
                found = [t for t in found if len(t) > 1 or not starts_cjk(t)]  # no lone characters
            own.update((fieldname, term) for term in found)
            variants.update((fieldname, term) for term in other_stems(language, word))
    return frozenset(own), frozenset(variants - own)


def conversation_terms(searcher, text: str, frequency) -> tuple[list[Word], list[Word]]:
    """The conversation's telling words and its everyday words, each the rarest
    SUGGEST_TERMS, rarest first. Word forms that analyse alike ('charge', 'charged')
    count once; words the index lacks, or has in too many cards, not at all.
    frequency(field, term): in how many cards a term is (0: none)."""
    # Document frequencies still count replaced documents until segments merge, so
    # compare them with the count that includes those too.
    total = max(searcher.doc_count_all(), 1)
    common = total if total < MIN_CARDS_TO_JUDGE else int(total * COMMON_SHARE)
    words, seen = [], set()
    for word in conversation_words(text)[:2000]:
        own, variants = ({term: df for term in sorted(terms) if (df := frequency(*term))}
                         for terms in _word_terms(word))
        key = frozenset(own) | frozenset(variants)
        # How common a word is, is how common its own forms are; a variant (often a short
        # stem such as Turkish 'ia') only stands in when the word itself is unknown.
        cards = max((own or variants).values(), default=0)
        if not cards or cards > common or key in seen:
            continue
        seen.add(key)
        idf = math.log(1 + (total - cards + 0.5) / (cards + 0.5))
        words.append(Word(word, idf, tuple(q.Term(f, t) for f, t in sorted(key)), not everyday(word),
                          idf if total >= MIN_CARDS_TO_JUDGE else 1.0))
    rarest = lambda these: sorted(these, key=lambda w: (-w.idf, w.word))[:SUGGEST_TERMS]  # noqa: E731
    return rarest(w for w in words if w.telling), rarest(w for w in words if not w.telling)


def known_share(text: str, frequency) -> float:
    """Of a conversation's telling words as written, the share the knowledge base has in
    some card (in any form: 'refunded' where a card says 'refund'); 0 with none. A message
    close in meaning to a card whose words the cards never use ('how old is the earth')
    is close to the domain, not to a card. frequency: as conversation_terms."""
    telling = [w for w in conversation_words(text)[:2000] if not everyday(w)]
    known = sum(any(frequency(*term) for terms in _word_terms(word) for term in terms) for word in telling)
    return known / len(telling) if telling else 0.0


def weigh(searcher, text: str, allowed: set[int] | None, frequency) -> tuple[list[Weighed], set[tuple[str, str]]]:
    """The best-ranked candidate cards for a conversation with their evidence, and the
    index terms of its telling words (for the snippets). frequency: as conversation_terms."""
    telling, ordinary = conversation_terms(searcher, text, frequency)
    if not telling:
        return [], set()
    words = telling + ordinary
    word_of = {(c.fieldname, c.text): w for w in words for c in w.clauses}
    query = q.Or([q.Or(list(w.clauses)) for w in words], scale=0.9)
    # best_of scores the cards matching a telling word, by every word.
    telling_terms = [{(c.fieldname, c.text) for c in w.clauses} for w in telling]
    results, _ = best_of(searcher, query, telling_terms, allowed, CARDS_WEIGHED)
    matched = matched_terms(searcher, word_of, [h.docnum for h in results])
    found = [_words_matched(matched.get(hit.docnum, ()), word_of) for hit in results]
    names = [frozenset(w for w, named in theirs.items() if w.telling and named) for theirs in found]
    weighed = []
    for at, hit in enumerate(results):
        elsewhere = frozenset().union(*(theirs for other, theirs in enumerate(names) if other != at))
        weighed.append(Weighed(hit, _features(found[at], telling, ordinary, names[at] - elsewhere),
                               frozenset(w.word for w in found[at] if w.telling), frozenset(w.word for w in names[at])))
    return weighed, set().union(*telling_terms)


def _features(found: dict[Word, bool], telling: list[Word], ordinary: list[Word],
              only_here: frozenset[Word]) -> tuple[float, ...]:
    weight = sum(w.weight for w in telling)
    told = [w for w in found if w.telling]
    return (sum(w.weight for w in told) / weight,
            sum(w.weight for w in told if found[w]) / weight,
            sum(w.weight for w in only_here) / weight,
            math.log1p(len(told)),
            (len(found) - len(told)) / len(ordinary) if ordinary else 0.0,
            max((w.weight for w in told), default=0.0) / max(w.weight for w in telling))


def _words_matched(terms, word_of: dict) -> dict[Word, bool]:
    """The conversation's words a card matched, each with whether it named the card
    (was in its title or tags)."""
    matched: dict[Word, bool] = {}
    for field, text in terms:
        word = word_of.get((field, text))
        if word is not None:
            matched[word] = matched.get(word, False) or field == "tags" or field.startswith("title_")
    return matched
