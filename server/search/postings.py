"""A term's postings in one segment, read once per process and kept while used.

A typed prefix ('get') stands for hundreds of title words, each a term to count and to
score; Whoosh opened a posting reader for each of them twice per search (a dictionary
lookup, an unpickled term record and block header, a scorer), and that, not the
scoring, was most of a slow search's time. A segment never changes once written (a
commit or a merge writes a new one, under a new name), so its postings are kept as
two flat arrays under the segment's id, and a search reads them as it reads a list.
Deleted documents change, so they are left in here (a term's postings count its
documents as the term file does) and dropped by the reader."""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

POSTINGS_KEPT = 12_000_000  # postings kept, the most recently used: 8 bytes each, about 96 MB…
TERM_WEIGHT = 48           # …and a term's arrays, record and key about 400 bytes, as much as 48


_MISSING = object()


def segment_id(reader) -> str | None:
    """The id of the segment a reader reads; None for a reader of no one segment. Noted
    on the reader: Whoosh formats it anew at each call, and a search asks it hundreds
    of times."""
    found = getattr(reader, "_kept_segment_id", _MISSING)
    if found is _MISSING:
        segment = getattr(reader, "segment", None)
        segment = segment() if segment is not None else None
        found = segment.segment_id() if segment is not None else None
        try:
            reader._kept_segment_id = found
        except AttributeError:  # a reader that takes no attributes: asked each time
            pass
    return found


class KeptPerSegment:
    """Values worked out from one segment, kept while recently used, up to `size` in
    all (each value weighs `weigh(value)`, one by default). Nothing kept can go stale:
    a segment's files never change, and nothing kept depends on its deleted documents."""

    def __init__(self, size: int, weigh: Callable[[object], int] = lambda value: 1):
        self._size, self._weigh, self._held = size, weigh, 0
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, reader, key, compute):
        segment = segment_id(reader)
        if segment is None:  # not one segment's reader (an empty index)
            return compute()
        key = (segment, key)
        # Without the lock: each of these steps is atomic, and a value let go meanwhile
        # is still the right one (what is kept never goes stale).
        value = self._values.get(key, _MISSING)
        if value is not _MISSING:
            try:
                self._values.move_to_end(key)
            except KeyError:
                pass
            return value
        value = compute()
        with self._lock:
            if key not in self._values:
                self._values[key] = value
                self._held += self._weigh(value)
            while self._held > self._size and len(self._values) > 1:
                self._held -= self._weigh(self._values.popitem(last=False)[1])
        return value

    def held(self) -> int:
        return self._held

    def keep_only(self, segment_ids: set[str]) -> None:
        """Let go of what was kept for segments not among `segment_ids` (merged away)."""
        with self._lock:
            for key in [key for key in self._values if key[0] not in segment_ids]:
                self._held -= self._weigh(self._values.pop(key))

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._held = 0


class TermPostings:
    """One term's postings in one segment: document numbers in order (deleted ones
    included) and the term's weight in each."""

    __slots__ = ("ids", "weights", "_arrays")

    def __init__(self, ids: array, weights: array):
        self.ids, self.weights, self._arrays = ids, weights, None

    def __len__(self) -> int:
        return len(self.ids)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The ids and weights as NumPy arrays over the same memory (nothing copied)."""
        if self._arrays is None:
            self._arrays = np.frombuffer(self.ids, dtype=np.uint32), np.frombuffer(self.weights, dtype=np.float32)
        return self._arrays


_kept = KeptPerSegment(POSTINGS_KEPT, weigh=lambda postings: TERM_WEIGHT + (len(postings) if postings else 0))


def segment_postings(reader, field: str, text: str | bytes) -> TermPostings | None:
    """A term's postings in the segment `reader` reads; None when it holds no such term."""
    try:
        btext = text if isinstance(text, bytes) else reader._text_to_bytes(field, text)
    except (TermNotFound, ValueError):
        return None
    return _kept.get(reader, (field, btext), lambda: _read(reader, field, btext))


def preload(reader, field: str, min_frequency: int = 0) -> int:
    """Read the postings of a field's terms in one segment (those in at least
    `min_frequency` documents), in the term file's order (no lookup per term), while what
    is kept stays under half its bound: a typed prefix stands for hundreds of title
    words, and reading them the first time was a tenth of a typed search's time. How
    many terms were read."""
    terms = getattr(reader, "_terms", None)
    if terms is None or getattr(reader, "segment", None) is None or field not in reader.schema:
        return 0
    format_, read = reader.schema[field].format, 0
    for (name, btext), info in terms.items_from(field, b""):
        if name != field or _kept.held() > POSTINGS_KEPT // 2:
            break
        if info.doc_frequency() < min_frequency:
            continue
        _kept.get(reader, (field, btext),
                  lambda info=info: _collect(reader._codec.postings_reader(terms._postfile, info, format_)))
        read += 1
    return read


def _read(reader, field: str, btext: bytes) -> TermPostings | None:
    # The segment's own matcher: the reader's skips deleted documents, and had already
    # skipped those at the start when it was made.
    terms = getattr(reader, "_terms", None)
    try:
        if terms is None or field not in reader.schema:
            return _collect(reader.postings(field, btext))
        return _collect(terms.matcher(field, btext, reader.schema[field].format))
    except TermNotFound:
        return None


def _collect(matcher) -> TermPostings:
    ids, weights = array("I"), array("f")  # Whoosh's weights are 32-bit floats
    if type(matcher) is W3LeafMatcher:  # a block at a time, not a call per posting
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            _extend(ids, matcher._ids[matcher._i:])
            _extend(weights, matcher._weights[matcher._i:])
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return TermPostings(ids, weights)


def _extend(values: array, more) -> None:
    try:
        values.extend(more)
    except TypeError:  # an array of another type code (one-byte ids)
        values.fromlist(list(more))


def keep_only(segment_ids: set[str]) -> None:
    _kept.keep_only(segment_ids)


def forget() -> None:
    _kept.clear()
