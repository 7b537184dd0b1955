"""The search index: a projection of the database that follows the IndexChange outbox.

One writer at a time applies outbox rows in order; every process keeps its own
replica and catches up by polling. Searchers come from a small shared pool."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from sqlmodel import Session, func, select
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.searching import Searcher

from server.cards.models import Card
from server.search import blocks, merging, postings
from server.search.embedding import Embedder
from server.search.analysis import CJK_FIRST, has_cjk, jieba_module
from server.search.expansion import word_list
from server.search.storage import MappedStorage
from server.search.memo import GenerationMemo
from server.search.models import IndexChange
from server.search.schema import ANALYSIS_VERSION, build_schema, card_document
from server.search.scoring import WEIGHTING

log = logging.getLogger(__name__)

APPLIED_FILE = "applied"  # the last outbox row this replica has applied
VERSION_FILE = "analysis"  # the ANALYSIS_VERSION the index was built with
BATCH = 2000
POOL_SIZE = 4
FREQUENCIES_KEPT = 50_000  # (field, term) document frequencies of the current generation
COMMON_BODY_SHARE = 200  # a body word in 1 card in 200 or more is read ahead before the others


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


class SearchIndex:
    def __init__(self, index_dir: Path, session_factory: Callable[[], Session], suggest_mode: str = "balanced"):
        self.index_dir = Path(index_dir)
        self.suggest_mode = suggest_mode  # VOUCH_SUGGEST: how readily suggest shows cards
        self._session_factory = session_factory
        self._apply_lock = threading.Lock()
        self._open_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(POOL_SIZE)
        self._idle: list[Searcher] = []
        self._ix = None
        self._inode = None
        self._deferred = 0
        self._merge_lock = threading.Lock()
        self._merging: threading.Thread | None = None
        self._everything_after = 0.0  # monotonic time from which a merge may take every segment
        # The semantic extra's vectors, if it is installed: they follow the outbox apart
        # from the text, in the background (embedding.py).
        self.embedder = Embedder(self.index_dir, session_factory)
        self.vectors = self.embedder.vectors
        self.memo = GenerationMemo()  # answers of the current generation
        # Permission and filter sets hold up to a document number per card: fewer of them.
        self.filter_memo = GenerationMemo(size=32)
        # How many cards hold a term, asked for every field of every language of each
        # query word, and again at the next keystroke.
        self.frequency_memo = GenerationMemo(size=FREQUENCIES_KEPT)
        blocks.install()

    # ---- opening -------------------------------------------------------
    def _open(self):
        """Open (or create) the index; reopen when a rebuild has swapped the directory."""
        inode = os.stat(self.index_dir).st_ino if self.index_dir.exists() else None
        if self._ix is not None and inode == self._inode:
            return self._ix
        with self._open_lock:
            if not whoosh_index.exists_in(str(self.index_dir)):
                self.index_dir.mkdir(parents=True, exist_ok=True)
                whoosh_index.create_in(str(self.index_dir), build_schema())
                (self.index_dir / VERSION_FILE).write_text(ANALYSIS_VERSION)
            self._ix = MappedStorage(str(self.index_dir)).open_index()
            self._inode = os.stat(self.index_dir).st_ino
            self._close_idle()
        return self._ix

    def _close_idle(self) -> None:
        idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()

    def close(self) -> None:
        self._close_idle()

    def is_current(self) -> bool:
        """Whether the index was built by today's analysis (no index yet counts: it
        will be). An index from before the version file existed is not current. (The
        semantic extra's vectors are not the index's: the embedder fills them.)"""
        if not whoosh_index.exists_in(str(self.index_dir)):
            return True
        path = self.index_dir / VERSION_FILE
        return path.exists() and path.read_text().strip() == ANALYSIS_VERSION

    def clear_leftovers(self) -> list[Path]:
        """Remove what a rebuild killed half-way left beside the index (its fresh
        `index.new-PID` or the replaced `index.old-PID-…`), unless its process still runs:
        a killed `vouch reindex` must not leave copies of the index to fill the disk."""
        removed = []
        for path in self.index_dir.parent.glob(f"{self.index_dir.name}.*-*"):
            kind, _, rest = path.name[len(self.index_dir.name) + 1:].partition("-")
            pid = rest.split("-")[0]
            if kind not in ("new", "old") or not pid.isdigit() or _running(int(pid)):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        if removed:
            log.warning("removed what an interrupted rebuild left: %s", ", ".join(p.name for p in removed))
        return removed

    def rebuild_if_outdated(self) -> bool:
        """After an upgrade that changed how cards are analysed, words indexed the old
        way would not meet queries analysed the new way: rebuild (seconds per thousand
        cards). Returns whether it did."""
        if self.is_current():
            return False
        log.warning("the search index was built by an earlier version of Vouch; rebuilding it")
        self.rebuild()
        return True

    # ---- following the outbox -----------------------------------------
    def applied(self) -> int:
        path = self.index_dir / APPLIED_FILE
        return int(path.read_text()) if path.exists() else 0

    def _write_applied(self, directory: Path, change_id: int) -> None:
        tmp = directory / f"{APPLIED_FILE}.tmp"
        tmp.write_text(str(change_id))
        os.replace(tmp, directory / APPLIED_FILE)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold back applying the outbox while a bulk load (seed, import) commits card
        after card, then apply it all in batches: one index commit per card made loading
        10,000 cards take most of an hour."""
        with self._apply_lock:
            self._deferred += 1
        try:
            yield
        finally:
            with self._apply_lock:
                self._deferred -= 1
            self.apply_pending()

    def apply_pending(self) -> int:
        """Apply every outbox row not yet in this replica. Returns how many were applied.
        If another process holds the writer it is applying them already: we skip."""
        total = 0
        with self._apply_lock:
            if self._deferred:
                return 0
            while True:
                applied = self._apply_batch()
                total += applied
                if applied < BATCH:
                    return total

    def _apply_batch(self) -> int:
        ix = self._open()
        try:
            writer = ix.writer(timeout=2.0, **merging.SEGMENT_OPTIONS)
        except LockError:
            log.info("index writer busy in another process; it will apply the outbox")
            return 0
        try:
            last = self.applied()
            with self._session_factory() as session:
                changes = session.exec(
                    select(IndexChange).where(IndexChange.id > last).order_by(IndexChange.id).limit(BATCH)
                ).all()
                card_ids = {c.object_id for c in changes if c.kind == "card"}
                cards = {c.id: c for c in session.exec(select(Card).where(Card.id.in_(card_ids)))} if card_ids else {}
            if not changes:
                writer.cancel()
                return 0
            for card_id in sorted(card_ids):  # only each card's latest state matters
                card = cards.get(card_id)
                if card is None or card.status == "archived":
                    writer.delete_by_term("id", str(card_id))
                else:
                    writer.update_document(**card_document(card))
            writer.commit(merge=False)  # merging is the follower's, in the background (merging.py)
            self._write_applied(self.index_dir, changes[-1].id)
            self.embedder.wake.set()  # the same rows, for the vectors (embedding.py)
            return len(changes)
        except BaseException:
            writer.cancel()
            raise

    def follow(self, interval: float, stop: threading.Event) -> None:
        """Poll the outbox until `stop` is set (changes made by other processes), and merge
        segments in the background when it is worth it."""
        while not stop.wait(interval):
            try:
                self.apply_pending()
                self.merge_if_worth()
            except Exception:  # a failed poll is retried on the next tick
                log.exception("applying index changes failed")

    # ---- merging -------------------------------------------------------
    def merge_if_worth(self) -> threading.Thread | None:
        """Start merging segments in a background thread when merging.choose() finds some
        worth it and no merge runs (in this or another process). Returns the thread."""
        ix = self._open()
        with self._merge_lock:
            if self._merging is not None and self._merging.is_alive():
                return None
            toc = ix._read_toc()
            chosen = merging.choose(toc.segments, everything=time.monotonic() >= self._everything_after)
            if not chosen:
                return None
            everything = len(chosen) == len(toc.segments)
            self._merging = threading.Thread(target=self._merge, args=(ix, toc, chosen, everything),
                                             name="index-merge", daemon=True)
            self._merging.start()
            return self._merging

    def _merge(self, ix, toc, chosen, everything: bool) -> None:
        lock = ix.lock("MERGELOCK")  # one merge at a time across the processes sharing the index
        if not lock.acquire(blocking=False):
            return
        started = time.monotonic()
        try:
            # The scratch folder is inside the index folder: a rebuild that swaps it removes it.
            merging.merge(ix, toc, chosen, self.index_dir / f"merging-{os.getpid()}", self._apply_lock)
        except Exception:  # the segments stay as they are; the next tick may try again
            log.exception("merging index segments failed")
            return
        finally:
            lock.release()
            if everything:
                took = time.monotonic() - started
                self._everything_after = time.monotonic() + took / merging.EVERYTHING_SHARE
        # The merged segment is new to every kept cache: read what the first searches
        # would wait for here (400 ms of body words at 100,000 cards), not in a search.
        self.prepare()
        self.warm()

    def optimize(self) -> None:
        """Merge segments and purge replaced documents (slow on big indexes: run it on a
        schedule, never in a request). Until then, ranking statistics still count them."""
        with self._apply_lock:
            self._open().optimize(**merging.SEGMENT_OPTIONS)

    # ---- rebuilding ----------------------------------------------------
    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Build a fresh index from the database beside the live one, then swap it in.
        (The semantic extra's vectors stay: they follow the outbox by their own mark.)"""
        fresh = self.index_dir.with_name(f"{self.index_dir.name}.new-{os.getpid()}")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        ix = whoosh_index.create_in(str(fresh), build_schema())
        with self._session_factory() as session:
            # Rows after this mark are applied by apply_pending once the swap is done.
            mark = session.exec(select(func.max(IndexChange.id))).one() or 0
            total = session.exec(select(func.count()).select_from(Card).where(Card.status != "archived")).one()
            writer = ix.writer(limitmb=256, **merging.SEGMENT_OPTIONS)
            done = 0
            for card in session.exec(select(Card).where(Card.status != "archived").order_by(Card.id)):
                writer.add_document(**card_document(card))
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
            writer.commit(optimize=True)
        self._write_applied(fresh, mark)
        (fresh / VERSION_FILE).write_text(ANALYSIS_VERSION)
        if progress:
            progress(done, total)
        self._swap_in(fresh)
        self.apply_pending()
        return done

    def _swap_in(self, fresh: Path) -> None:
        with self._apply_lock:
            old = self.index_dir.with_name(f"{self.index_dir.name}.old-{os.getpid()}-{time.time_ns()}")
            if self.index_dir.exists():
                os.replace(self.index_dir, old)
            os.replace(fresh, self.index_dir)
            shutil.rmtree(old, ignore_errors=True)
            self._ix = None

    # ---- searching -----------------------------------------------------
    def prepare(self) -> bool:
        """Load now what the first searches would otherwise wait for: the Chinese
        segmenter if the index holds Chinese (about a second), and each segment's word
        lists of the title and body fields, which prefixes and fuzzy terms expand from
        (400 ms for the body words of 100,000 cards). Whether Chinese was found."""
        with self.searcher() as searcher:
            reader = searcher.reader()
            fields = [name for name in searcher.schema.names() if name.startswith(("title_", "body_"))]
            holds = any(has_cjk(text.decode("utf-8"))
                        for field in fields for fn, text in islice(reader.terms_from(field, CJK_FIRST), 1)
                        if fn == field)
            for segment, _ in reader.leaf_readers():
                for field in fields:
                    word_list(segment, field)
        if holds:
            jieba_module()
        return holds

    def warm(self) -> int:
        """Read ahead the postings of every title word, which typed prefixes stand for
        by the hundred, then of the body words, common ones first, while they fit in
        half the postings' bound: reading a term's postings the first time was a tenth
        to a third of a search that met it (at 100,000 cards, half of the slowest typed
        searches). At start (about 2 s for 10,000 cards, 5 s for 100,000) and after a
        merge. How many terms were read."""
        with self.searcher() as searcher:
            segments = [segment for segment, _ in searcher.reader().leaf_readers()]
            # Postings of segments merged away only take room from the live ones'.
            postings.keep_only({postings.segment_id(segment) for segment in segments})
            names = searcher.schema.names()
            titles, bodies = [n for n in names if n.startswith("title_")], [n for n in names if n.startswith("body_")]
            read = sum(postings.preload(segment, field) for field in titles for segment in segments)
            # Of the body words, the common ones first: the longest postings to read, and
            # the words a query most often meets.
            read += sum(postings.preload(segment, field, max(2, segment.doc_count_all() // COMMON_BODY_SHARE))
                        for field in bodies for segment in segments)
            return read + sum(postings.preload(segment, field) for field in bodies for segment in segments)

    def generation(self, searcher: Searcher) -> tuple:
        """Names what a searcher sees: this directory (a rebuild swaps in another) and
        its commit, and the semantic extra's vectors. Document numbers are valid within
        one generation only."""
        return self._inode, searcher.reader().generation(), self.vectors.stamp()

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """A searcher from the shared pool, current with the latest commit."""
        ix = self._open()
        with self._slots:
            searcher = self._idle.pop() if self._idle else ix.searcher(weighting=WEIGHTING)
            if not searcher.up_to_date():
                # Not searcher.refresh(): after a segment merge it reuses a stale segment
                # reader and counts documents twice. A new searcher per commit is cheap.
                searcher.close()
                searcher = ix.searcher(weighting=WEIGHTING)
            try:
                yield searcher
            finally:
                if self._inode == os.stat(self.index_dir).st_ino and len(self._idle) < POOL_SIZE:
                    self._idle.append(searcher)
                else:
                    searcher.close()
