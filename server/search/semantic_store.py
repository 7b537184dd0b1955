"""Where the cards' vectors live: a folder beside the text index's (`index-vectors/`),
written only by the embedder (embedding.py) and read by every search.

The folder's `vectors.npz` (the extra's model's; `vectors-pieces.npz`, the table of word
pieces') holds the card ids, their languages and a float32 matrix,
and with them what the embedder needs to go on where it stopped: the last outbox row
the vectors follow (their own mark, apart from the text index's), how far the first
filling got, and which model made them. Beside the index, not inside it: a rebuild of
the text index (minutes) must not throw away an hour of embedding, and the vectors
follow the outbox by their own mark whatever the index does. A card takes a row for its
whole text and one for each of its first eight sentences (semantic.card_passages), 388
bytes each (quantized): 10,000 cards of several paragraphs take up to 35 MB.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from server.search import semantic

VECTORS_FILE = "vectors.npz"  # the extra's model's
# The table of word pieces keeps its own file: installing the extra, or removing it, does
# not throw away the other's vectors (the first filling of 10,000 cards by the model takes
# over an hour).
PIECES_FILE = "vectors-pieces.npz"
# The passages' vectors are kept as 8-bit numbers with one scale a row, in the file and in
# memory: 388 bytes a passage instead of 1,536 (23 MB at 10,000 cards, not 90), and a
# ranking at 10,000 cards reads less: 0.7 ms, not 1.1. (16-bit numbers took half the room,
# but making a request's rows 32-bit again took 0.9 ms.)


def quantized(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of unit vectors as 8-bit numbers and one scale each (row ≈ numbers × scale)."""
    matrix = np.asarray(matrix, np.float32).reshape(-1, semantic.DIMENSIONS)
    scales = np.maximum(np.abs(matrix).max(axis=1), 1e-12) / 127
    return np.round(matrix / scales[:, None]).astype(np.int8), scales.astype(np.float32)


def vectors_file() -> str:
    """The file of what embeds in this process (semantic.installed)."""
    return PIECES_FILE if semantic.installed() == "pieces" else VECTORS_FILE
CANDIDATES = 200  # cards ranked by their sentences too, of those closest by their whole text
FILLED = -1  # `filled_to` once the first filling has embedded every card


def card_scores(similarity: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Each card's similarity to a message from its passages' (semantic.card_passages),
    rows grouped by card, each group starting at its whole-text row (`starts`): the mean
    of the whole text's and the closest passage's."""
    return (similarity[starts] + np.maximum.reduceat(similarity, starts)) / 2


@dataclass(frozen=True)
class Vectors:
    """Rows of passage vectors, each card's together, its whole text first."""
    ids: np.ndarray        # the card id of each row, int64
    languages: np.ndarray  # each row's card's language, as the card says it
    matrix: np.ndarray     # unit vectors, one row per passage, as 8-bit numbers (quantized)…
    scales: np.ndarray     # … times this, for each row
    wholes: np.ndarray     # whether a row is its card's whole text (the first of its card's rows)

    @staticmethod
    def of(ids, languages, unit_vectors: np.ndarray, wholes) -> Vectors:
        return Vectors(np.asarray(ids, np.int64), np.asarray(languages, "<U10"), *quantized(unit_vectors),
                       np.asarray(wholes, bool))

    @staticmethod
    def empty() -> Vectors:
        return Vectors.of(np.zeros(0), np.zeros(0), np.zeros((0, semantic.DIMENSIONS)), np.zeros(0))

    @staticmethod
    def joined(parts: list[Vectors]) -> Vectors:
        """Vectors of distinct cards, in one go."""
        if not parts:
            return Vectors.empty()
        return Vectors(*(np.concatenate([getattr(p, name) for p in parts])
                         for name in ("ids", "languages", "matrix", "scales", "wholes")))

    def unit_vectors(self, rows=slice(None)) -> np.ndarray:
        """The rows' vectors, as 32-bit numbers."""
        return self.matrix[rows].astype(np.float32) * self.scales[rows, None]

    def __len__(self) -> int:
        return len(self.ids)

    def cards(self) -> int:
        return int(self.wholes.sum())

    def knows(self, card_id: int) -> bool:
        """Whether the card is embedded (worked out once: these vectors never change)."""
        if "_known" not in self.__dict__:
            self.__dict__["_known"] = frozenset(self.ids[self.wholes].tolist())
        return card_id in self.__dict__["_known"]

    def without(self, card_ids) -> Vectors:
        keep = ~np.isin(self.ids, np.fromiter(card_ids, np.int64))
        return Vectors(self.ids[keep], self.languages[keep], self.matrix[keep], self.scales[keep], self.wholes[keep])

    def plus(self, fresh: Vectors) -> Vectors:
        """These with `fresh`'s cards' rows in place of theirs."""
        return Vectors.joined([self.without(np.unique(fresh.ids)), fresh])

    def ranked(self, vector: np.ndarray, language: str, depth: int) -> list[tuple[int, float]]:
        """The `depth` cards in `language` most similar to `vector` (card_scores), best
        first, with their similarity; ties by card id, so a refilled folder ranks like
        the grown one. Two steps: the CANDIDATES closest by their whole text, then those
        by their sentences too. Every passage at once read 138 MB a request at 10,000
        cards (30 ms, as long as embedding the message); the whole texts are 15 MB."""
        view = self._language(language)
        if view is None:
            return []
        wholes, card_ids, first_rows, end_rows = view
        similarity = wholes @ vector
        if len(similarity) > CANDIDATES:
            chosen = np.argpartition(-similarity, CANDIDATES - 1)[:CANDIDATES]
        else:
            chosen = np.arange(len(similarity))
        lengths = end_rows[chosen] - first_rows[chosen]
        rows = np.concatenate([np.arange(first, end) for first, end in zip(first_rows[chosen], end_rows[chosen])])
        similarity = (self.matrix[rows].astype(np.float32) @ vector) * self.scales[rows]
        scores = card_scores(similarity, np.cumsum(lengths) - lengths)
        order = np.lexsort((card_ids[chosen], -np.round(scores, 6)))[:depth]
        return [(int(card_ids[chosen[i]]), float(scores[i])) for i in order]

    def _language(self, language: str) -> tuple[np.ndarray, ...] | None:
        """One language's cards: their whole texts' vectors (one block, read by every
        request), ids, and each card's rows among all (worked out once per language:
        these vectors never change, a new file is read)."""
        views = self.__dict__.setdefault("_views", {})
        if language not in views:
            firsts = np.flatnonzero(self.wholes)
            ends = np.append(firsts[1:], len(self.wholes))
            mine = self.languages[firsts] == language
            views[language] = (self.unit_vectors(firsts[mine]), self.ids[firsts[mine]],
                               firsts[mine], ends[mine]) if mine.any() else None
        return views[language]


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


def read(directory: Path, name: str | None = None) -> Saved | None:
    """What a vectors folder holds (None: nothing yet); `name`: that file, not this
    process's (vectors_file)."""
    path = Path(directory) / (name or vectors_file())
    if not path.exists():
        return None
    with np.load(path) as saved:
        if "scales" in saved.files:
            vectors = Vectors(saved["ids"], saved["languages"], saved["matrix"], saved["scales"], saved["wholes"])
        else:  # an earlier version's 32-bit numbers: read as they are kept now
            vectors = Vectors.of(saved["ids"], saved["languages"], saved["matrix"], saved["wholes"])
        return Saved(vectors, int(saved["mark"]),
                     int(saved["filled_to"]), str(saved["model"]))


def write(directory: Path, saved: Saved) -> None:
    """Replace the folder's vectors at once: a searcher reads the old file or the new."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    name = vectors_file()
    tmp = Path(directory) / f"{name}.tmp"
    vectors = saved.vectors
    with open(tmp, "wb") as f:
        np.savez(f, ids=vectors.ids, languages=vectors.languages, matrix=vectors.matrix, scales=vectors.scales,
                 wholes=vectors.wholes, mark=np.int64(saved.mark), filled_to=np.int64(saved.filled_to),
                 model=np.str_(saved.model))
    os.replace(tmp, Path(directory) / name)


def embedded(cards) -> Vectors:
    """The vectors of `cards`' passages (semantic.card_passages), each card's together."""
    passages = [semantic.card_passages(c.title, c.body) for c in cards]
    matrix = semantic.embed_cards([text for texts in passages for text in texts])
    counts = [len(texts) for texts in passages]
    return Vectors.of(np.repeat([c.id for c in cards], counts), np.repeat([c.language for c in cards], counts),
                      matrix, np.concatenate([[True] + [False] * (n - 1) for n in counts] or [[]]))


class VectorCache:
    """The usable vectors of a folder, read again only when its file changed."""

    def __init__(self, directory: Path):
        self._directory = Path(directory)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._saved: Saved | None = None

    def stamp(self) -> tuple | None:
        """Names the file's current state (None: no file)."""
        return stamp_of(self._directory / vectors_file())

    def saved(self) -> Saved | None:
        """What the file holds (None: no file), read again only when it changed."""
        stamp = self.stamp()
        if stamp is None:
            return None
        with self._lock:
            if stamp != self._stamp:
                self._saved, self._stamp = read(self._directory), stamp
            return self._saved

    def get(self) -> Vectors | None:
        """The vectors search and suggest may rank by; None until the first filling is done."""
        saved = self.saved()
        return saved.vectors if saved is not None and saved.usable() else None

    def wrote(self, saved: Saved, stamp: tuple | None) -> None:
        """This process's embedder wrote `saved` (stamp: the file's after it): no search
        reads the file again for it (23 MB at 10,000 cards)."""
        with self._lock:
            self._saved, self._stamp = saved, stamp


def stamp_of(path: Path) -> tuple | None:
    """Names a file's current state (None: no file)."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
