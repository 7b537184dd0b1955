"""Searchers read the index's files through one shared memory map per file: opening
another searcher copies nothing, a searcher reads the segments it opened to the end even
after a merge deleted their files, and a file a merge replaced is let go once no searcher
reads it."""

import gc
import os

from whoosh import query as q

from server.cards.service import update_card
from server.search import merging, service


def _cards(factory, count: int):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    return [factory.card(kb, expert, title=f"Refund step {n}", body=f"How refunds work, part {n}.")
            for n in range(count)]


def _storage(index):
    return index._open().storage


def _mapped(index) -> set[str]:
    folder = _storage(index).folder
    return {os.path.join(folder, name) for segment in list(_storage(index)._segments.values())
            for name in segment.maps}


def _edited(factory, cards) -> None:
    editor = factory.user("Editor")
    for card in cards:  # one segment per edit, each replacing a document of an older one
        with factory.db.session() as s:
            update_card(s, actor=editor, card_id=card.id, expected_version=card.version, title=card.title + " (edited)")


def test_segments_are_plain_files_mapped_once_for_every_searcher(factory):
    _cards(factory, 6)
    index = factory.index
    with index.searcher() as first, index.searcher() as second:
        assert first is not second
        refund = q.Term("title_en", "refund")
        assert len(first.search(refund)) == len(second.search(refund)) == 6
        segments = dict(_storage(index)._segments.items())
        assert segments  # one map per file, whichever searcher opened it
        assert all(name.startswith(prefix) for prefix, segment in segments.items() for name in segment.maps)
    assert not list(index.index_dir.glob("*.seg"))  # no compound files: they are copied per reader


def test_a_file_a_merge_replaced_is_unmapped_once_no_searcher_reads_it(factory):
    _edited(factory, _cards(factory, 6)[:3])
    index = factory.index
    assert service.search(index, text="refund", readable=None)[1] == 6
    before = _mapped(index)
    index.optimize()
    assert service.search(index, text="refunds work", readable=None)[1] == 6  # the pool moves on
    gc.collect()
    with index.searcher():
        mapped = _mapped(index)
    replaced = {path for path in before if not os.path.exists(path)}
    assert replaced and mapped and not mapped & replaced


def test_a_searcher_opened_before_a_merge_reads_its_segments_after_it(factory):
    # What a pooled searcher does: it opens, a merge in the background deletes the files of
    # the segments it read, and the next request reads stored fields and field lengths,
    # which Whoosh opens only when first asked.
    _edited(factory, _cards(factory, 6)[:3])
    index = factory.index
    searcher = index._open().searcher()
    try:
        assert len(searcher.reader().leaf_readers()) > 1
        files = set(os.listdir(index.index_dir))
        index.optimize()
        assert files - set(os.listdir(index.index_dir))  # the merge deleted the old segments' files
        live = list(searcher.reader().all_doc_ids())
        titles = sorted(searcher.stored_fields(n)["title"] for n in live)
        assert titles == sorted([f"Refund step {n} (edited)" for n in range(3)] + [f"Refund step {n}" for n in range(3, 6)])
        assert all(searcher.reader().doc_field_length(n, "title_en") for n in live)
        assert len(searcher.search(q.Term("title_en", "refund"))) == 6
    finally:
        searcher.close()


def test_an_index_written_as_compound_files_is_rewritten_as_plain_ones_in_the_background(factory, monkeypatch):
    _cards(factory, 8)
    index = factory.index
    monkeypatch.setattr(merging, "SEGMENT_OPTIONS", {"compound": True})  # as versions before wrote it
    index.rebuild()
    monkeypatch.undo()
    assert list(index.index_dir.glob("*.seg"))
    before = service.search(index, text="refund step", readable=None)
    index.merge_if_worth().join()
    assert not list(index.index_dir.glob("*.seg"))
    assert service.search(index, text="refund step", readable=None) == before
