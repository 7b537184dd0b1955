"""What a typed prefix or a fuzzy (typo-forgiving) term stands for in one segment: the
segment's words it expands to, in Whoosh's order, found in the segment's word list
held in memory.

Whoosh finds a fuzzy term's words by walking a Levenshtein automaton over the term
file, each step a binary search of the file's on-disk table (a dozen struct reads):
2–4 ms a field for one word not seen before, most of a typed search that has one.
A segment never changes once written, so its word list is read once (34 ms for the
body of 10,000 cards) and kept, and each step is a bisection of a list. Expansions
themselves are kept too: a search expanded each term twice (for its matches, then
for its scores), and the next keystroke expands most of them again."""

from __future__ import annotations

from bisect import bisect_left

from whoosh import query as q
from whoosh.automata import lev

from server.search.postings import KeptPerSegment

EXPANSIONS_KEPT = 20_000    # (segment, prefix or fuzzy term) expansions kept, the most recent
WORDS_KEPT = 1_000_000      # words of kept word lists, about 50 bytes each
_NULL = "\x00"

_expansions = KeptPerSegment(EXPANSIONS_KEPT)
_word_lists = KeptPerSegment(WORDS_KEPT, weigh=lambda words: 1 + len(words))


def expanding(leaf: q.Query) -> bool:
    return isinstance(leaf, (q.Prefix, q.FuzzyTerm))


def segment_expansion(reader, leaf: q.Query) -> tuple:
    """The words of one segment that a prefix or fuzzy term stands for, as Whoosh's own
    expansion gives them (the same words, of the same type, in the same order)."""
    return _expansions.get(reader, leaf, lambda: tuple(_expand(reader, leaf)))


def _expand(reader, leaf: q.Query):
    field = leaf.fieldname
    if field not in reader.schema or getattr(reader, "segment", None) is None:
        return leaf._btexts(reader)
    if type(leaf) is q.Prefix:
        words = word_list(reader, field)
        prefix = reader.schema[field].to_bytes(leaf.text)
        at = bisect_left(words, prefix)
        end = at
        while end < len(words) and words[end].startswith(prefix):
            end += 1
        return words[at:end]
    if type(leaf) is q.FuzzyTerm and reader.schema[field].spelling_fieldname(field) == field:
        if leaf.maxdist == 1 and 0 < leaf.prefixlength < len(leaf.text):
            return _one_edit(word_list(reader, field), leaf.text, leaf.prefixlength)
        dfa = lev.levenshtein_automaton(leaf.text, leaf.maxdist, leaf.prefixlength).to_dfa()
        return _matches(dfa, word_list(reader, field))
    return leaf._btexts(reader)


def holds(reader, field: str, text: str) -> bool:
    """Whether some segment holds the term (deleted documents' terms too, as the term
    file counts them), from the word lists: a bisection, not a lookup in the term file."""
    return any(_at(words, text.encode("utf-8")) for words in _segment_word_lists(reader, field))


def begins(reader, field: str, prefix: str) -> bool:
    """Whether some segment holds a term that begins with `prefix`."""
    encoded = prefix.encode("utf-8")
    for words in _segment_word_lists(reader, field):
        at = bisect_left(words, encoded)
        if at < len(words) and words[at].startswith(encoded):
            return True
    return False


def _at(words: tuple[bytes, ...], word: bytes) -> bool:
    at = bisect_left(words, word)
    return at < len(words) and words[at] == word


def _segment_word_lists(reader, field: str):
    for segment, _ in reader.leaf_readers():
        if field in segment.schema and getattr(segment, "segment", None) is not None:
            yield word_list(segment, field)


def word_list(reader, field: str) -> tuple[bytes, ...]:
    """A segment's words of a field, in order (as bytes, whose order is the text's)."""
    return _word_lists.get(reader, ("words", field), lambda: tuple(reader.lexicon(field)))


def _matches(dfa, words: tuple[bytes, ...]):
    """The words the automaton accepts, as Whoosh's find_matches walks a term cursor:
    from each next string the automaton could accept to the first word at or after it."""
    if not words:
        return
    match = dfa.next_valid_string(words[0].decode("utf-8"))
    while match:
        at = bisect_left(words, match.encode("utf-8"))
        if at == len(words):
            return
        word = words[at].decode("utf-8")
        if match == word:
            yield match
            word += _NULL
        match = dfa.next_valid_string(word)


def _one_edit(words: tuple[bytes, ...], term: str, keep: int) -> list[str]:
    """The words one edit at most from `term` (a letter changed, added or left out, as
    Whoosh's Levenshtein automaton counts), beginning with its first `keep` letters, in
    order, as text (as Whoosh gives them). Each word is looked up: the term itself and its deletions directly, changes
    and additions at each place for the letters that follow the term's beginning there
    in some word. Walking the automaton over the word list cost 1–3 ms a field for a
    word not seen before; this, a few hundred bisections."""
    found: set[str] = set()

    def look_up(word: str) -> None:
        if _at(words, word.encode("utf-8")):
            found.add(word)

    look_up(term)
    for i in range(keep, len(term) + 1):
        head, rest = term[:i], term[i:]
        if rest:
            look_up(head + rest[1:])
        for letter in _letters_after(words, head):
            if rest and letter != rest[0]:
                look_up(head + letter + rest[1:])
            look_up(head + letter + rest)
    return sorted(found)


def _letters_after(words: tuple[bytes, ...], head: str):
    """Each letter that follows `head` in some word, once, leaping over the words that
    share it (UTF-8 orders bytes as the letters, and no letter's bytes reach 0xFF)."""
    prefix = head.encode("utf-8")
    n, at = len(prefix), bisect_left(words, prefix)
    while at < len(words) and words[at].startswith(prefix):
        word = words[at]
        if len(word) == n:
            at += 1
            continue
        lead = word[n]
        letter = word[n:n + (1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4)]
        yield letter.decode("utf-8")
        at = bisect_left(words, prefix + letter + b"\xff", at)
