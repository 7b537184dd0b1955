"""Merging the index's segments in the background, without holding back edits.

Every applied edit commits a small segment, and replaces its card's old document by
marking it deleted. Segments and deleted documents pile up and every search pays for them
(twenty edits doubled the cost of a search at 10,000 cards). Merging copies segments' live
documents into one new segment, which takes seconds for a big index: holding the writer
lock that long would keep edits from being searchable. So a merge here writes the new
segment in a scratch folder WITHOUT the lock, while edits go on being applied; then, holding
the lock for a moment, it marks deleted in the new segment what edits deleted meanwhile,
moves it in and commits a table of contents that names it instead of the ones it replaces.

What to merge is chosen by size level (1-9, 10-99, 100-999 … live documents): two
segments at one level are merged with every smaller one, so an index keeps about one
segment per level and each document is copied about once per level; a segment whose
deleted documents are a large share of it is rewritten too. Every extra segment costs each
search a fixed amount, so now and then (EVERYTHING_SHARE) everything is merged into one.
Big merges run in a child process, off this process's GIL."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex, clean_files
from whoosh.reading import SegmentReader
from whoosh.util.filelock import try_for
from whoosh.writing import SegmentWriter

FACTOR = 10  # sizes of one level are within this factor of each other
DELETED_SHARE = 0.2  # rewrite a segment once this share of its documents is deleted
LOCK_WAIT = 10.0  # seconds to wait for the writer lock before giving the merge up
# Merges of this many documents or more run in a child process: in a thread they would
# share the GIL with searches (a full merge at 10,000 cards made searches 4x slower).
CHILD_FROM = 100
# A merge of everything into one segment (each extra segment costs every search about
# 10 ms at 10,000 cards) may use this share of one core: after a merge that took 16 s, the
# next may start 320 s later.
EVERYTHING_SHARE = 0.05
# Segments stay as plain files, never assembled into one compound file: Whoosh reads a
# compound file by copying each part into memory, once for every open searcher (at
# 100,000 cards, about 140 MB per searcher). Plain files are read through the page cache.
SEGMENT_OPTIONS = {"compound": False}


def level(live_documents: int) -> int:
    """0 for 0-9 documents, 1 for 10-99, … (in integers: math.log(1000, 10) is 2.999…)."""
    found = 0
    while live_documents >= FACTOR:
        live_documents //= FACTOR
        found += 1
    return found


def choose(segments: Sequence, *, everything: bool = False) -> list:
    """The segments worth merging now (smallest first), or none: those of one size level
    with every smaller one, those worn by deletions, and compound ones. `everything`: all
    of them when there are several (the caller decides how often that may be)."""
    by_size = sorted(segments, key=lambda s: s.doc_count())
    if everything and len(by_size) > 1:
        return by_size
    upto = -1
    for n in range(1, len(by_size)):
        if level(by_size[n].doc_count()) == level(by_size[n - 1].doc_count()):
            upto = n
    for n, segment in enumerate(by_size):
        if _compound(segment) or \
                segment.doc_count_all() and segment.deleted_count() >= DELETED_SHARE * segment.doc_count_all():
            upto = max(upto, n)
    chosen = by_size[:upto + 1]
    return chosen if len(chosen) > 1 or (chosen and (chosen[0].has_deletions() or _compound(chosen[0]))) else []


def _compound(segment) -> bool:
    """A segment written as one compound file (before SEGMENT_OPTIONS): rewritten as plain
    files, even alone, so an install made before reads its index without copies."""
    return bool(getattr(segment, "compound", False))


class _Scratch:
    """What a SegmentWriter reads of an index, pointed at the scratch folder: the new segment
    is written there, where the live index's commits (which delete every file their table of
    contents does not name) cannot reach it."""

    def __init__(self, scratch: Path, indexname: str, schema):
        self.storage, self.indexname = FileStorage(str(scratch)), indexname
        self._toc = TOC(schema, [], 0)

    def _read_toc(self) -> TOC:
        return self._toc


def write_merged(folder: str, indexname: str, schema, chosen: Sequence, scratch: Path):
    """The chosen segments' live documents as one new segment in `scratch`, and for each
    chosen segment where its documents went (old number → new number). Plain arguments, so
    a child process can run it."""
    storage = FileStorage(folder)
    writer = SegmentWriter(_Scratch(scratch, indexname, schema), _lk=False, limitmb=64, **SEGMENT_OPTIONS)
    moved = {}
    try:
        for segment in chosen:
            live = [n for n in range(segment.doc_count_all()) if not segment.is_deleted(n)]
            moved[segment.segment_id()] = {old: writer.docnum + new for new, old in enumerate(live)}
            reader = SegmentReader(storage, schema, segment)
            try:
                writer.add_reader(reader)  # copies live documents in number order, as `live` lists them
            finally:
                reader.close()
        return writer._finalize_segment(), moved
    finally:
        writer._finish()


def _write_merged_apart(ix: FileIndex, toc: TOC, chosen: Sequence, scratch: Path):
    """write_merged, in this thread for a few documents, else in a child process. (A plain
    child, not multiprocessing's: that one re-runs the parent's main script when it has no
    `if __name__ == "__main__"` guard.)"""
    args = (ix.storage.folder, ix.indexname, toc.schema, list(chosen), scratch)
    if sum(segment.doc_count() for segment in chosen) < CHILD_FROM:
        return write_merged(*args)
    here = str(Path(__file__).resolve().parents[2])  # the child imports this same code
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (here, os.environ.get("PYTHONPATH"))))}
    done = subprocess.run([sys.executable, "-c", "from server.search.merging import child; child()"],
                          input=pickle.dumps(args), capture_output=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the merging process failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return pickle.loads(done.stdout)


def child() -> None:
    """A merging process: write_merged's arguments pickled on stdin, its result on stdout."""
    result = write_merged(*pickle.loads(sys.stdin.buffer.read()))
    sys.stdout.buffer.write(pickle.dumps(result))


def merge(ix: FileIndex, toc: TOC, chosen: Sequence, scratch: Path, hold) -> bool:
    """Merge the chosen segments of `toc` (`ix`'s table of contents when they were chosen).
    `hold` is the lock this process's writers take; the writer lock keeps other processes'
    out while the new segment goes in. Returns whether it went in (not when another merge
    or a rebuild replaced a chosen segment meanwhile)."""
    for stale in Path(ix.storage.folder).glob("merging-*"):  # left by a process that stopped mid-merge
        shutil.rmtree(stale, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        merged, moved = _write_merged_apart(ix, toc, chosen, scratch)
        deadline = time.monotonic() + LOCK_WAIT
        while time.monotonic() < deadline:
            # This process's edits wait for `hold` at most one short try; another process
            # applying a long batch makes us let go and try again instead.
            with hold:
                lock = ix.lock("WRITELOCK")
                if try_for(lock.acquire, timeout=0.2, delay=0.02):
                    try:
                        return _swap_in(ix, chosen, merged, moved, scratch)
                    finally:
                        lock.release()
            time.sleep(0.2)
        return False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _swap_in(ix: FileIndex, chosen: Sequence, merged, moved: dict, scratch: Path) -> bool:
    """With the writer lock: carry over deletions made since the merge began, move the new
    segment in, and commit the table of contents that names it instead of the chosen ones."""
    toc = ix._read_toc()
    now = {segment.segment_id(): segment for segment in toc.segments}
    if any(segment.segment_id() not in now for segment in chosen):
        return False
    for segment in chosen:
        for docnum in set(now[segment.segment_id()].deleted_docs()) - set(segment.deleted_docs()):
            merged.delete_document(moved[segment.segment_id()][docnum])
    prefix = merged.segment_id() + "."
    for name in os.listdir(scratch):
        if name.startswith(prefix):
            os.replace(scratch / name, Path(ix.storage.folder) / name)
    gone = set(moved)
    segments = [s for s in toc.segments if s.segment_id() not in gone]
    if merged.doc_count():
        segments.append(merged)
    TOC(toc.schema, segments, toc.generation + 1).write(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, toc.generation + 1, segments)
    return True
