"""Searchers read the index's files through one shared memory map per file: opening
another searcher copies nothing, and a file a merge replaced is let go once no searcher
reads it."""

import gc
import os

from whoosh import query as q

from server.cards.service import update_card
from server.search import service


def _cards(factory, count: int):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    return [factory.card(kb, expert, title=f"Refund step {n}", body=f"How refunds work, part {n}.")
            for n in range(count)]


def _storage(index):
    return index._open().storage


def test_segments_are_plain_files_mapped_once_for_every_searcher(factory):
    _cards(factory, 6)
    index = factory.index
    with index.searcher() as first, index.searcher() as second:
        assert first is not second
        refund = q.Term("title_en", "refund")
        assert len(first.search(refund)) == len(second.search(refund)) == 6
        maps = list(_storage(index)._maps.items())
        paths = [path for (path, _, _), _ in maps]
        assert len(paths) == len(set(paths))  # one map per file, whichever searcher opened it
    assert not list(index.index_dir.glob("*.seg"))  # no compound files: they are copied per reader


def test_a_file_a_merge_replaced_is_unmapped_once_no_searcher_reads_it(factory):
    cards = _cards(factory, 6)
    editor = factory.user("Editor")
    for card in cards[:3]:  # several segments, some with replaced documents
        with factory.db.session() as s:
            update_card(s, actor=editor, card_id=card.id, expected_version=card.version, title=card.title + " (edited)")
    index = factory.index
    assert service.search(index, text="refund", readable=None)[1] == 6
    before = {path for path, _, _ in _storage(index)._maps.keys()}
    index.optimize()
    assert service.search(index, text="refunds work", readable=None)[1] == 6  # the pool moves on
    gc.collect()
    with index.searcher():
        mapped = {path for path, _, _ in _storage(index)._maps.keys()}
    replaced = {path for path in before if not os.path.exists(path)}
    assert replaced and mapped and not mapped & replaced

