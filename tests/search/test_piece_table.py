"""The table of word pieces (piece_table.py) and how it is made (piece_distill.py), on a
small table whose vectors are set by the test: how a word is cut, what it weighs, and
that a text's vector follows its rare words."""

import numpy as np

from server.search.piece_distill import chosen_pieces, write_table
from server.search.piece_table import PieceTable

PIECES = ["▁refund", "▁re", "fund", "ed", "▁the", "▁outage", "▁out", "age", "r", "e", "d", "▁"]
SCORES = np.array([-8.0, -6.0, -9.0, -5.0, -3.0, -10.0, -6.0, -7.0, -9.5, -8.5, -9.0, -4.0], dtype=np.float32)


def _table(tmp_path, pieces=PIECES, scores=SCORES):
    rng = np.random.default_rng(7)
    path = tmp_path / "pieces.npz"
    write_table(path, pieces, scores, rng.normal(size=(len(pieces), 16)).astype(np.float32))
    return PieceTable.read(path)


def test_a_word_is_cut_into_its_most_probable_pieces(tmp_path):
    table = _table(tmp_path)
    assert table.pieces_of("refund") == ["▁refund"]           # one piece beats ▁re + fund
    assert table.pieces_of("refunded") == ["▁refund", "ed"]
    assert table.pieces_of("outages") == ["▁outage", "s"]     # a character no piece has stands alone


def test_a_rare_word_weighs_more_than_a_common_one(tmp_path):
    table = _table(tmp_path)
    assert table.word("outage")[1] > table.word("the")[1] > 0
    assert table.word("ж") is None  # no piece of it is known


def test_a_text_points_where_its_rare_words_point(tmp_path):
    table = _table(tmp_path)
    outage = table.embed("the outage")
    assert np.isclose(np.linalg.norm(outage), 1.0, atol=1e-5)
    assert outage @ table.embed("outage") > outage @ table.embed("the")
    assert not table.embed("жжж").any()  # nothing known: no direction at all


def test_stored_vectors_keep_their_directions(tmp_path):
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(len(PIECES), 32)).astype(np.float32)
    path = tmp_path / "t.npz"
    write_table(path, PIECES, SCORES, vectors)
    table = PieceTable.read(path)
    stored = table.vectors.astype(np.float32) * table.scales[:, None]
    centred = vectors - vectors.mean(axis=0)
    cosines = (stored * centred).sum(1) / np.linalg.norm(stored, axis=1) / np.linalg.norm(centred, axis=1)
    assert cosines.min() > 0.97  # four bits a number


def test_the_table_keeps_our_scripts_lower_case_pieces_and_every_single_character():
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁the", "▁The", "▁на", "▁ödeme", "▁退款", "ing", "x", "я", "▁"]
    scores = np.array([0, 0, 0, 0, -3, -4, -5, -9, -8, -6, -11, -10, -2], dtype=np.float32)
    kept = [pieces[i] for i in chosen_pieces(pieces, scores, kept=3)]
    assert kept == ["▁the", "ing", "▁退款", "x"]  # the three most probable, then the single characters
