"""Where the cards' vectors live: one file beside the text index's (`vectors.npz`: card
ids, languages, a float32 matrix), written only by the index writer while it applies
the outbox (index.py) and by the rebuild, into the fresh folder it swaps in.

Beside the index, not in a database table: the vectors are derived from the cards as
the index is, follow the same outbox rows under the same writer lock and the same
`applied` mark, and are swapped in with the index a rebuild makes, so the two never
disagree about which cards exist. 10,000 cards take 15 MB; a save rewrites the file
(tens of milliseconds), which is nothing beside embedding the card.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from server.search import semantic

VECTORS_FILE = "vectors.npz"


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
        their similarity; ties by card id, so a rebuilt index ranks like the grown one."""
        rows = np.flatnonzero(self.languages == language)
        if not len(rows):
            return []
        similarity = self.matrix[rows] @ vector
        order = np.lexsort((self.ids[rows], -np.round(similarity, 6)))[:depth]
        return [(int(self.ids[rows[i]]), float(similarity[i])) for i in order]


def read(directory: Path) -> Vectors | None:
    """The vectors in an index folder (None: none were written there)."""
    path = Path(directory) / VECTORS_FILE
    if not path.exists():
        return None
    with np.load(path) as saved:
        return Vectors(saved["ids"], saved["languages"], saved["matrix"])


def write(directory: Path, vectors: Vectors) -> None:
    """Replace the folder's vectors at once: a searcher reads the old file or the new."""
    tmp = Path(directory) / f"{VECTORS_FILE}.tmp"
    with open(tmp, "wb") as f:
        np.savez(f, ids=vectors.ids, languages=vectors.languages, matrix=vectors.matrix)
    os.replace(tmp, Path(directory) / VECTORS_FILE)


def embedded(cards) -> tuple[list[int], list[str], np.ndarray]:
    """Card ids, languages and vectors of `cards` (the model reads title and text)."""
    cards = list(cards)
    matrix = semantic.embed_cards([semantic.card_text(c.title, c.body) for c in cards])
    return [c.id for c in cards], [c.language for c in cards], matrix


def apply(directory: Path, changed: list, removed: list[int]) -> None:
    """The index writer's step: embed the changed cards, forget the removed ones."""
    current = read(directory) or Vectors.empty()
    write(directory, current.without(removed).plus(*embedded(changed)) if changed else current.without(removed))


def forget(directory: Path) -> None:
    """Remove the folder's vectors (then, once the extra is back, the index is rebuilt)."""
    (Path(directory) / VECTORS_FILE).unlink(missing_ok=True)


class VectorCache:
    """The vectors of the live index folder, read again only when the file changed."""

    def __init__(self, directory: Path):
        self._path = Path(directory) / VECTORS_FILE
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._vectors: Vectors | None = None

    def get(self) -> Vectors | None:
        try:
            stat = os.stat(self._path)
        except FileNotFoundError:
            return None
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._vectors, self._stamp = read(self._path.parent), stamp
            return self._vectors
