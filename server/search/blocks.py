"""Posting blocks decoded once per process, not once per search.

Whoosh keeps a term's postings in blocks of up to 128 documents, each compressed and
pickled; a search decoded every block of every term it read, twice (counting matches,
then scoring them), and the next keystroke decoded most of them again: a tenth of a
search's time. A block never changes once written (a commit or merge writes new
segment files, under new names), so a decoded block is kept under its file's name and
position, the most recently used first. Nothing is kept for files that are not plain
segment files (no name to key them by)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from whoosh.codec.whoosh3 import W3LeafMatcher

BLOCKS_KEPT = 8_000  # about 70 MB of decoded postings (8.4 KB a block, measured on real prose)

_blocks: OrderedDict = OrderedDict()
_lock = threading.Lock()
_decode = W3LeafMatcher._read_data


def _read_data(matcher: W3LeafMatcher) -> None:
    name = getattr(matcher._postfile, "_name", None)
    if not name:
        _decode(matcher)
        return
    key = (name, matcher._dataoffset)
    with _lock:
        data = _blocks.get(key)
        if data is not None:
            _blocks.move_to_end(key)
    if data is None:
        _decode(matcher)
        with _lock:
            _blocks[key] = matcher._data
            while len(_blocks) > BLOCKS_KEPT:
                _blocks.popitem(last=False)
    else:
        matcher._data = data


def install() -> None:
    """Have every posting reader of the process keep what it decodes (idempotent)."""
    W3LeafMatcher._read_data = _read_data


def forget() -> None:
    with _lock:
        _blocks.clear()
