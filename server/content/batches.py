"""Bulk loads (seed, import) in batches: a few hundred cards per database transaction and
per index commit, instead of one of each per card (10,000 cards took 40 minutes, most of
it committing the index once per card).

The cards are still written by the card services, one command per change with its
revision and outbox row. Here a service's commit ends a savepoint, and the batch's own
transaction commits every `size` cards; a card that fails is rolled back alone."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy.engine import Engine
from sqlmodel import func, select

from server.db import _IMMEDIATE as IMMEDIATE  # the option begin_write() sets on a session's connection
from server.db import Session
from server.search.index import SearchIndex
from server.search.models import IndexChange

BATCH = 250  # cards per transaction: long enough to be cheap, short enough not to hold writers back
REBUILD_FROM = 500  # a bulk load of fewer changes is applied as it is: as quick as a rebuild

log = logging.getLogger(__name__)


class CardBatches:
    """A session for a bulk load, and the count that commits its transaction per batch."""

    def __init__(self, connection, size: int):
        self._connection = connection
        self._size = size
        self._written = 0
        self.committed = 0  # cards in committed batches
        # SQLite: the batch takes the write lock when it begins, as begin_write() would.
        connection.execution_options(**{IMMEDIATE: True})
        connection.begin()
        self.session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        self._kept: list = []

    def keep(self, rows: list) -> None:
        """Hold rows the services look up for every card (users, say) in the session, so
        they come from its identity map (it holds rows only while someone else does)."""
        self._kept.extend(rows)

    def written(self) -> None:
        """One more card is written (its service has committed its savepoint)."""
        self._written += 1
        if self._written - self.committed >= self._size:
            self.commit()

    def commit(self, *, again: bool = True) -> None:
        """Commit every card written so far; `again`: begin the next batch."""
        self.session.rollback()  # nothing whole is pending here: this only ends an unfinished savepoint
        self._connection.commit()
        self.committed = self._written
        if again:
            self._connection.begin()

    def close(self) -> None:
        self.session.close()
        if self._connection.in_transaction():
            self._connection.rollback()


@contextmanager
def card_batches(engine: Engine, size: int | None = None) -> Iterator[CardBatches]:
    """Cards written through the yielded session commit every `size` (BATCH) cards, and at the end.
    If the load stops on an error, the cards written before it are kept (as when every card
    was its own transaction), so running the load again finishes it."""
    with engine.connect() as connection:
        batches = CardBatches(connection, size or BATCH)
        try:
            yield batches
        finally:
            try:
                batches.commit(again=False)
            finally:
                batches.close()


class DeferredChunks:
    """Holds the index back for `size` cards at a time, then lets it apply them in one
    commit: an import in the server keeps other people's edits waiting at most one chunk."""

    def __init__(self, index: SearchIndex | None, size: int):
        self._index, self._size, self._count = index, size, 0
        self._stack = ExitStack()
        self._hold()

    def _hold(self) -> None:
        if self._index is not None:
            self._stack.enter_context(self._index.deferred())

    def written(self) -> None:
        self._count += 1
        if self._count % self._size == 0:
            self.close()
            self._hold()

    def close(self) -> None:
        try:
            self._stack.close()  # deferred() applies what was held back as it exits
        except Exception:  # the cards are committed; the index's poll applies them (as after any commit)
            log.exception("applying an import's index changes failed")


@contextmanager
def deferred_chunks(index: SearchIndex | None, size: int) -> Iterator[DeferredChunks]:
    chunks = DeferredChunks(index, size)
    try:
        yield chunks
    finally:
        chunks.close()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A bulk load makes millions of short-lived objects (rows, revisions, tokens). Python's
    cyclic collector, run every 700 of them over everything the process has loaded, cost
    about a tenth of a seed's time: run it less often while the load lasts."""
    threshold = gc.get_threshold()
    gc.freeze()  # what is loaded already is not scanned again
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def pending_changes(session: Session, index: SearchIndex) -> int:
    """Outbox rows the index has not applied yet (ids are numbered in order)."""
    last = session.exec(select(func.max(IndexChange.id))).one() or 0
    return max(last - index.applied(), 0)


@contextmanager
def bulk_index(index: SearchIndex, session_factory: Callable[[], Session],
               progress: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold the index back for a whole bulk load (the command line's seed and import), then
    bring it up to date: by a rebuild when the load at least doubled what the index holds
    (one segment, written once), else by applying the outbox in batches."""
    with index.deferred(), _fewer_collections():
        yield
        with session_factory() as session:
            pending = pending_changes(session, index)
        with index.searcher() as searcher:
            indexed = searcher.doc_count()
        if pending > max(indexed, REBUILD_FROM):
            index.rebuild(progress=lambda done, total: progress(f"indexed {done}/{total} cards"))
        elif pending:
            progress(f"indexing {pending} changes")

