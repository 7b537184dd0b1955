"""The semantic extra's writer: the cards' vectors follow the outbox in the background.

Embedding a card takes a quarter to half a second on a CPU, so 10,000 cards take most of
an hour: neither the start of the server nor a saved card's words may wait for it. The
vectors keep their own mark in the outbox, apart from the text index's, and one embedder
at a time moves it (a lock file, across the processes sharing the data folder):

1. The first filling (the extra was just installed, or its model changed) embeds every
   card in id order and saves every few hundred, so a restart goes on where it stopped.
   The outbox rows written meanwhile are applied after it.
2. Then each saved or archived card, moments after the outbox says so.

Until the first filling is done, search and suggest are the lexical ones
(semantic_store.Saved.usable). A card saved later is found by its words at once and by
its meaning a second later.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, func, select

from server.cards.models import Card
from server.search import semantic, semantic_store
from server.search.models import IndexChange
from server.search.semantic_store import FILLED, Saved, VectorCache, Vectors, stamp_of, vectors_file

log = logging.getLogger(__name__)

LOCK_FILE = "embedding.lock"
OLD_PLACE = "vectors.npz"  # inside the text index, where an earlier version kept whole cards' vectors
FILL_SAVE_EVERY = 256      # cards embedded between two saves of the first filling (about a minute)
FOLLOW_ROWS = 64           # outbox rows applied between two saves


@dataclass(frozen=True)
class Progress:
    state: str    # "off" (nothing matches by meaning), "filling" or "ready"
    embedded: int
    cards: int
    by: str = ""  # what matches by meaning (semantic.described)

    def as_dict(self) -> dict:
        return {"state": self.state, "embedded": self.embedded, "cards": self.cards, "by": self.by}


@contextmanager
def _only_embedder(path: Path) -> Iterator[bool]:
    """Whether this process may embed: it holds the lock file until the block ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class Embedder:
    def __init__(self, index_dir: Path, session_factory: Callable[[], Session]):
        self.index_dir = Path(index_dir)
        self.directory = semantic_store.folder_of(index_dir)
        self.vectors = VectorCache(self.directory)  # what this process's searches rank by
        self._session_factory = session_factory
        self._lock = threading.Lock()
        self.wake = threading.Event()  # set when the outbox has news: embed now, not at the next poll

    def catch_up(self, stop: threading.Event | None = None) -> int:
        """Embed what the vectors lack: the first filling, then the outbox rows after their
        mark, until none is left or `stop` is set. How many cards were embedded; 0 also
        when another process is the embedder or the extra is not installed."""
        if not semantic.available():
            return 0
        with self._lock, _only_embedder(self.directory / LOCK_FILE) as mine:
            if not mine:
                return 0
            (self.index_dir / OLD_PLACE).unlink(missing_ok=True)  # another model's, by another scheme
            saved = self._read()
            if saved is None or saved.model != semantic.model_name():
                saved = self._start()
            done = 0
            if not saved.filled:
                saved, done = self._fill(saved, stop)
            while saved.filled and not (stop and stop.is_set()):
                saved, embedded, rows = self._follow(saved)
                done += embedded
                if not rows:
                    break
            return done

    def run(self, interval: float, stop: threading.Event) -> None:
        """The embedder's thread: catch up, then wait for news or the next poll."""
        while not stop.is_set():
            try:
                self.catch_up(stop)
            except Exception:  # a failed round is tried again at the next
                log.exception("embedding cards to match them by meaning failed")
            self.wake.wait(interval)
            self.wake.clear()

    def progress(self) -> Progress:
        """How far the vectors are: for the admin, while the first filling runs."""
        if not semantic.available():
            return Progress("off", 0, 0, semantic.described())
        with self._session_factory() as session:
            cards = session.exec(select(func.count()).select_from(Card).where(Card.status != "archived")).one()
        saved = self._read()  # not under the lock: a first filling holds it for most of an hour
        if saved is None or saved.model != semantic.model_name():
            return Progress("filling", 0, cards, semantic.described())
        return Progress("ready" if saved.filled else "filling", saved.vectors.cards(), cards, semantic.described())

    # ---- the file --------------------------------------------------------
    def _read(self) -> Saved | None:
        """What the file holds, read again only when another process wrote it: polled
        every few seconds, and 23 MB at 10,000 cards, so shared with this process's
        searches (one copy in memory, not two)."""
        return self.vectors.saved()

    def _write(self, saved: Saved) -> Saved:
        semantic_store.write(self.directory, saved)
        self.vectors.wrote(saved, stamp_of(self.directory / vectors_file()))
        return saved

    # ---- the steps -------------------------------------------------------
    def _start(self) -> Saved:
        """A first filling from nothing. Its mark is the outbox's last row now: a card
        changed later is embedded again from the outbox, after the filling."""
        with self._session_factory() as session:
            mark = session.exec(select(func.max(IndexChange.id))).one() or 0
        saved = Saved(Vectors.empty(), mark, 0, semantic.model_name())
        self._write(saved)
        log.warning("embedding every card to match it by meaning (%s), in the background: search and suggest "
                    "go by words alone until it is done", semantic.model_name())
        return saved

    def _fill(self, saved: Saved, stop: threading.Event | None) -> tuple[Saved, int]:
        """Embed the cards after `filled_to`, in id order, saving every FILL_SAVE_EVERY."""
        done, parts, last = 0, [], saved.filled_to
        with self._session_factory() as session:
            total = session.exec(select(func.count()).select_from(Card).where(Card.status != "archived")).one()
        started = time.monotonic()
        while True:
            with self._session_factory() as session:
                cards = session.exec(select(Card).where(Card.status != "archived", Card.id > last)
                                     .order_by(Card.id).limit(semantic.BATCH)).all()
            if cards:
                parts.append(semantic_store.embedded(cards))
                done, last = done + len(cards), cards[-1].id
            finished = not cards
            if finished or sum(p.cards() for p in parts) >= FILL_SAVE_EVERY or stop and stop.is_set():
                vectors = saved.vectors.plus(Vectors.joined(parts)) if parts else saved.vectors
                saved = saved.but(vectors=vectors, filled_to=FILLED if finished else last)
                self._write(saved)
                parts = []
                log.info("embedded %d of %d cards to match them by meaning (%.0f s)", vectors.cards(), total,
                         time.monotonic() - started)
                if finished:
                    log.warning("every card is embedded: %s are on", semantic.described().lower())
                if finished or stop and stop.is_set():
                    return saved, done

    def _follow(self, saved: Saved) -> tuple[Saved, int, int]:
        """Apply up to FOLLOW_ROWS outbox rows after the mark: each changed card's latest
        state embedded, each archived or deleted one forgotten. (saved, cards embedded, rows)."""
        with self._session_factory() as session:
            changes = session.exec(select(IndexChange).where(IndexChange.id > saved.mark)
                                   .order_by(IndexChange.id).limit(FOLLOW_ROWS)).all()
            card_ids = sorted({c.object_id for c in changes if c.kind == "card"})
            cards = {c.id: c for c in session.exec(select(Card).where(Card.id.in_(card_ids)))} if card_ids else {}
        if not changes:
            return saved, 0, 0
        live = [cards[i] for i in card_ids if i in cards and cards[i].status != "archived"]
        gone = [i for i in card_ids if i not in cards or cards[i].status == "archived"]
        vectors = saved.vectors.without(gone)
        if live:
            vectors = vectors.plus(semantic_store.embedded(live))
        saved = saved.but(vectors=vectors, mark=changes[-1].id)
        self._write(saved)
        return saved, len(live), len(changes)

