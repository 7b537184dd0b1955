"""The follower merges the segments edits leave behind, in the background: the index shrinks
back to a few segments, answers stay those of a rebuild, and an edit made while a merge runs
is searchable at once and survives the merge."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest

from server.cards.service import update_card
from server.search import merging, service
from tests.search.test_index import CARDS, QUERIES, assert_same_ranking


@dataclass
class FakeSegment:
    live: int
    deleted: int = 0
    compound: bool = False

    def doc_count(self):
        return self.live

    def doc_count_all(self):
        return self.live + self.deleted

    def deleted_count(self):
        return self.deleted

    def has_deletions(self):
        return self.deleted > 0


def test_segments_of_one_size_level_are_merged_with_every_smaller_one():
    base, tail, one, two = FakeSegment(10_000), FakeSegment(50), FakeSegment(1), FakeSegment(1)
    assert merging.choose([base]) == []
    assert merging.choose([base, tail]) == []  # one segment per level is as good as it gets
    assert merging.choose([base, tail, one]) == []
    assert merging.choose([one, base, tail, two]) == [one, two]
    assert merging.choose([base, FakeSegment(60), tail, one]) == [one, tail, FakeSegment(60)]
    assert merging.choose([FakeSegment(9_999), base, one]) == []
    assert merging.choose([FakeSegment(5_000), FakeSegment(9_999), one]) == [one, FakeSegment(5_000),
                                                                            FakeSegment(9_999)]
    worn = FakeSegment(7_000, deleted=3_000)  # a share of deleted documents: rewritten, even alone
    assert merging.choose([worn]) == [worn]
    assert merging.choose([base, worn, one]) == [one, worn]
    old = FakeSegment(9_000, compound=True)  # written by an earlier version: rewritten as plain files
    assert merging.choose([old]) == [old]
    assert merging.choose([old, FakeSegment(99_000)]) == [old]
    assert merging.choose([base, tail], everything=True) == [tail, base]  # when the caller allows it
    assert merging.choose([base], everything=True) == []


def _segments(index) -> list[tuple[int, int]]:
    return [(s.doc_count(), s.deleted_count()) for s in index._open()._segments()]


def _follow_until(index, done, timeout: float = 60.0) -> None:
    """Run the index's follower (as the server does, in a thread) until `done()` holds."""
    stop = threading.Event()
    follower = threading.Thread(target=index.follow, args=(0.05, stop), daemon=True)
    follower.start()
    deadline = time.monotonic() + timeout
    try:
        while not done() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        follower.join()
    while index._merging is not None and index._merging.is_alive():
        index._merging.join()


def _scored(index) -> dict:
    return {q: [(h.card_id, h.score) for h in service.search(index, text=q, readable=None, limit=10)[0]]
            for q in QUERIES}


def _library(factory):
    expert = factory.user("Expert")
    collection = factory.collection("kb", verifier=expert)
    cards = [factory.card(collection, expert, title=t, body=b, language=lang) for t, b, lang in CARDS]
    return expert, cards


@pytest.mark.parametrize("child_from", [0, 10_000], ids=["in-a-child-process", "in-a-thread"])
def test_after_many_edits_the_follower_merges_back_to_few_segments(factory, monkeypatch, child_from):
    monkeypatch.setattr(merging, "CHILD_FROM", child_from)
    expert, cards = _library(factory)
    for round_ in range(5):
        for card in cards:
            with factory.db.session() as s:
                now = s.get(type(card), card.id)
                update_card(s, actor=expert, card_id=card.id, expected_version=now.version,
                            body=f"{now.body} Round {round_}.")
    assert len(_segments(factory.index)) > 20
    _follow_until(factory.index, lambda: len(_segments(factory.index)) == 1)
    segments = _segments(factory.index)
    assert segments == [(len(cards), 0)]
    merged = _scored(factory.index)
    # Until the merge, replaced documents counted in the statistics (which words are common);
    # merged, the index answers as a rebuilt one does.
    factory.index.rebuild()
    assert_same_ranking(merged, _scored(factory.index))


def test_an_edit_made_while_a_merge_runs_is_searchable_at_once_and_survives_it(factory, monkeypatch):
    expert, cards = _library(factory)
    refund = cards[0]
    found = []
    write_merged = merging.write_merged

    def edit_meanwhile(*args):
        result = write_merged(*args)  # the new segment holds the refund card's old words
        with factory.db.session() as s:
            update_card(s, actor=expert, card_id=refund.id, expected_version=1, body="Money back in 14 days.")
        found.append([h.card_id for h in service.search(factory.index, text="money", readable=None)[0]])
        return result

    monkeypatch.setattr(merging, "write_merged", edit_meanwhile)
    assert len(_segments(factory.index)) == len(cards)
    factory.index.merge_if_worth().join()
    assert found == [[refund.id]]  # searchable while the merge was still running
    segments = _segments(factory.index)
    assert len(segments) == 2 and sum(live for live, _ in segments) == len(cards)
    assert [h.card_id for h in service.search(factory.index, text="money", readable=None)[0]] == [refund.id]
    assert refund.id not in [h.card_id for h in service.search(factory.index, text="charge", readable=None)[0]]


def test_a_merged_segment_is_read_ahead_before_any_search_needs_it(factory):
    # Its word lists and title postings are read by the merge thread, not by a search.
    from server.search import expansion, postings

    expert, cards = _library(factory)
    factory.index.merge_if_worth().join()
    read_again = []
    with factory.index.searcher() as searcher:
        segments = [segment for segment, _ in searcher.reader().leaf_readers()]
        assert len(segments) < len(cards)  # merged
        for segment in segments:
            titles = list(segment.lexicon("title_en"))
            segment.lexicon = lambda field: read_again.append(field) or iter(())
            segment.postings = lambda field, text: read_again.append((field, text))
            expansion.word_list(segment, "body_en")
            for term in titles:
                assert postings.segment_postings(segment, "title_en", term) is not None
    assert titles and not read_again
