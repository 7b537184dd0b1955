"""Bulk loads (seed, import) write cards in batches, and leave the index exactly as a rebuild
from the database would make it, with the whole outbox applied."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlmodel import func, select

from server.cards.models import Card, CardRevision
from server.content import batches
from server.content.batches import bulk_index
from server.content.importer import import_archive
from server.content.seed import seed
from server.errors import Invalid
from server.search import service
from server.search.models import IndexChange

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _indexed(index) -> tuple:
    """What the index holds: live documents (stored fields) and every indexed term."""
    with index.searcher() as searcher:
        documents = sorted(tuple(sorted(d.items())) for d in searcher.documents())
        return searcher.doc_count(), documents, set(searcher.reader().all_terms())


def _counts(session) -> tuple[int, int, int]:
    count = lambda model: session.exec(select(func.count()).select_from(model)).one()  # noqa: E731
    return count(Card), count(CardRevision), count(IndexChange)


@pytest.mark.parametrize("rebuild_from", [0, 100_000], ids=["rebuilt", "applied"])
def test_a_seeded_index_equals_a_rebuild_and_has_applied_the_whole_outbox(services, monkeypatch, rebuild_from):
    db, index = services
    monkeypatch.setattr(batches, "BATCH", 7)  # several transactions even for the starter content
    monkeypatch.setattr(batches, "REBUILD_FROM", rebuild_from)
    with db.session() as session, bulk_index(index, db.session):
        added = seed(session, CONTENT).added["cards"]
    with db.session() as session:
        cards, revisions, changes = _counts(session)
        last = session.exec(select(func.max(IndexChange.id))).one()
    assert added == cards == revisions == changes >= 40  # one revision and one outbox row per card
    assert index.applied() == last
    loaded = _indexed(index)
    assert loaded[0] == cards
    index.rebuild()
    assert _indexed(index) == loaded
    assert "Handling a refund request" in [h.title for h in service.search(index, text="refund", readable=None)[0]]


def test_a_bad_card_stops_the_seed_keeping_the_cards_before_it_whole(services, tmp_path, monkeypatch):
    db, index = services
    monkeypatch.setattr(batches, "BATCH", 2)
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder, ignore=shutil.ignore_patterns("customers"))
    bad = sorted((folder / "cards").glob("*/*.md"))[5]
    good_text = bad.read_text()
    bad.write_text(good_text.replace("---\n", "---\nstatus: archived\n", 1))
    with db.session() as session, bulk_index(index, db.session):
        with pytest.raises(Invalid, match="status must be"):
            seed(session, folder)
    with db.session() as session:
        assert _counts(session) == (5, 5, 5)
    assert _indexed(index)[0] == 5
    bad.write_text(good_text)
    with db.session() as session, bulk_index(index, db.session):
        seed(session, folder)
    with db.session() as session:
        cards, revisions, changes = _counts(session)
    assert cards == revisions == changes == len(list((folder / "cards").glob("*/*.md")))
    assert _indexed(index)[0] == cards


def test_a_web_import_applies_the_index_a_chunk_at_a_time(factory, monkeypatch):
    admin = factory.user("Admin", role="admin")
    factory.collection("faq", verifier=admin)
    applied = []
    apply_pending = factory.index.apply_pending
    monkeypatch.setattr(factory.index, "apply_pending", lambda: applied.append(apply_pending()) or applied[-1])
    monkeypatch.setattr("server.content.importer.WEB_CHUNK", 10)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for n in range(25):
            zipped.writestr(f"faq/card-{n}.md", f"---\ntitle: Parcel {n} lost\n---\nParcel number {n} went missing.\n")
    with factory.db.session() as session:
        report = import_archive(session, actor=admin, collection_slug="faq", data=archive.getvalue(),
                                index=factory.index)
    assert len(report.created) == 25 and not report.errors
    assert [n for n in applied if n] == [10, 10, 5]  # one index commit per chunk, none per card
    hits, total = service.search(factory.index, text="parcel", readable=None, limit=50)
    assert total == 25
