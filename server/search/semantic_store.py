"""Where the cards' vectors live: a folder beside the text index's (`index-vectors/`),
written only by the embedder (embedding.py) and read by every search.

The folder's `vectors.npz` holds the card ids, their languages and a float32 matrix,
and with them what the embedder needs to go on where it stopped: the last outbox row
the vectors follow (their own mark, apart from the text index's), how far the first
filling got, and which model made them. Beside the index, not inside it: a rebuild of
the text index (minutes) must not throw away an hour of embedding, and the vectors
follow the outbox by their own mark whatever the index does. 10,000 cards take 15 MB.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from server.search import semantic

VECTORS_FILE = "vectors.npz"
FILLED = -1  # `filled_to` once the first filling has embedded every card


@dataclass(frozen=True)
class Vectors:
    ids: np.ndarray        # card ids, int64
    languages: np.ndarray  # each card's language, as the card says it
    matrix: np.ndarray     # unit vectors, one row per card

    @staticmethod
    def empty() -> Vectors:
        return Vectors(np.zeros(0, np.int64), np.zeros(0, "<U10"), np.zeros((0, semantic.DIMENSIONS), np.float32))

    @staticmethod
    def joined(parts: list[tuple[list[int], list[str], np.ndarray]]) -> Vectors:
        """The vectors of `embedded`'s answers for distinct cards, in one go."""
        if not parts:
            return Vectors.empty()
        return Vectors(np.asarray([i for ids, _, _ in parts for i in ids], np.int64),
                       np.asarray([lang for _, langs, _ in parts for lang in langs], "<U10"),
                       np.concatenate([m for _, _, m in parts]).astype(np.float32))

    def __len__(self) -> int:
        return len(self.ids)

    def without(self, card_ids) -> Vectors:
        keep = ~np.isin(self.ids, np.fromiter(card_ids, np.int64))
        return Vectors(self.ids[keep], self.languages[keep], self.matrix[keep])

    def plus(self, card_ids: list[int], languages: list[str], matrix: np.ndarray) -> Vectors:
        fresh = self.without(card_ids)
        return Vectors(np.concatenate([fresh.ids, np.asarray(card_ids, np.int64)]),
                       np.concatenate([fresh.languages, np.asarray(languages, "<U10")]),
                       np.concatenate([fresh.matrix, matrix.astype(np.float32)]))

    def ranked(self, vector: np.ndarray, language: str, depth: int) -> list[tuple[int, float]]:
        """The `depth` cards in `language` most similar to `vector`, best first, with
        their similarity; ties by card id, so a refilled folder ranks like the grown one."""
        rows = np.flatnonzero(self.languages == language)
        if not len(rows):
            return []
        similarity = self.matrix[rows] @ vector
        order = np.lexsort((self.ids[rows], -np.round(similarity, 6)))[:depth]
        return [(int(self.ids[rows[i]]), float(similarity[i])) for i in order]


@dataclass(frozen=True)
class Saved:
    """The folder's vectors and where the embedder is."""
    vectors: Vectors
    mark: int       # the last outbox row the vectors follow
    filled_to: int  # the first filling's last card id so far; FILLED once every card is in
    model: str      # semantic.model_name() of the model that made them

    @property
    def filled(self) -> bool:
        return self.filled_to == FILLED

    def usable(self) -> bool:
        """Whether search and suggest may rank by these vectors: every card is in (a
        ranking by meaning that knows half the cards puts forward the wrong ones), and
        today's model made them (another model's messages would not meet them)."""
        return self.filled and self.model == semantic.model_name() and len(self.vectors) > 0

    def but(self, **changes) -> Saved:
        return replace(self, **changes)


def folder_of(index_dir: Path) -> Path:
    """The vectors' folder for a text index folder."""
    index_dir = Path(index_dir)
    return index_dir.with_name(f"{index_dir.name}-vectors")


def read(directory: Path) -> Saved | None:
    """What a vectors folder holds (None: nothing yet)."""
    path = Path(directory) / VECTORS_FILE
    if not path.exists():
        return None
    with np.load(path) as saved:
        return Saved(Vectors(saved["ids"], saved["languages"], saved["matrix"]), int(saved["mark"]),
                     int(saved["filled_to"]), str(saved["model"]))


def write(directory: Path, saved: Saved) -> None:
    """Replace the folder's vectors at once: a searcher reads the old file or the new."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    tmp = Path(directory) / f"{VECTORS_FILE}.tmp"
    vectors = saved.vectors
    with open(tmp, "wb") as f:
        np.savez(f, ids=vectors.ids, languages=vectors.languages, matrix=vectors.matrix,
                 mark=np.int64(saved.mark), filled_to=np.int64(saved.filled_to), model=np.str_(saved.model))
    os.replace(tmp, Path(directory) / VECTORS_FILE)


def embedded(cards) -> tuple[list[int], list[str], np.ndarray]:
    """Card ids, languages and vectors of `cards` (the model reads title and text)."""
    cards = list(cards)
    matrix = semantic.embed_cards([semantic.card_text(c.title, c.body) for c in cards])
    return [c.id for c in cards], [c.language for c in cards], matrix


class VectorCache:
    """The usable vectors of a folder, read again only when its file changed."""

    def __init__(self, directory: Path):
        self._path = Path(directory) / VECTORS_FILE
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._vectors: Vectors | None = None

    def stamp(self) -> tuple | None:
        """Names the file's current state (None: no file)."""
        try:
            stat = os.stat(self._path)
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def get(self) -> Vectors | None:
        """The vectors search and suggest may rank by; None until the first filling is done."""
        stamp = self.stamp()
        if stamp is None:
            return None
        with self._lock:
            if stamp != self._stamp:
                saved = read(self._path.parent)
                self._vectors, self._stamp = (saved.vectors if saved and saved.usable() else None), stamp
            return self._vectors
