"""Archiving keeps a card and its history but takes it out of search; restoring a revision is
a save like any other, so the verification rules apply."""

from __future__ import annotations

import pytest

from server.cards import archive, restore, service
from server.errors import Conflict, Forbidden, Invalid
from server.search.service import search


@pytest.fixture
def people(factory):
    expert, agent = factory.user("Ada"), factory.user("Sam")
    collection = factory.collection("policies", verifier=expert)
    card = factory.card(collection, expert, title="Refund window", body="Refunds within 30 days.")
    return factory, expert, agent, card


def _found(factory, words: str) -> list[int]:
    factory.index.apply_pending()
    return [h.card_id for h in search(factory.index, text=words, readable=None)[0]]


def test_an_archived_card_leaves_search_and_comes_back_unverified(people):
    factory, expert, agent, card = people
    assert _found(factory, "refund window") == [card.id]
    with factory.db.session() as s:
        with pytest.raises(Forbidden):
            archive.archive_card(s, actor=agent, card_id=card.id)
        archived = archive.archive_card(s, actor=expert, card_id=card.id)
        assert archived.status == "archived" and archived.version == 2
    assert _found(factory, "refund window") == []
    with factory.db.session() as s:
        with pytest.raises(Invalid):
            archive.archive_card(s, actor=expert, card_id=card.id)
        back = archive.unarchive_card(s, actor=expert, card_id=card.id)
        assert back.status == "unverified"
        notes = [r.note for r in service.list_revisions(s, expert, card.id)]
    assert notes[0].startswith("Brought back from the archive") and notes[1] == "Archived by Ada."
    assert _found(factory, "refund window") == [card.id]


def test_restoring_by_an_agent_waits_for_the_verifier_and_by_the_verifier_is_verified(people):
    factory, expert, agent, card = people
    with factory.db.session() as s:
        service.update_card(s, actor=agent, card_id=card.id, expected_version=1, body="Refunds within 90 days.")
        restored = restore.restore_revision(s, actor=agent, card_id=card.id, version=1, expected_version=2)
        assert (restored.body, restored.status, restored.version) == ("Refunds within 30 days.", "unverified", 3)
        assert service.list_revisions(s, expert, card.id)[0].note.startswith("Restored version 1.")
        again = restore.restore_revision(s, actor=expert, card_id=card.id, version=2, expected_version=3)
        assert (again.body, again.status) == ("Refunds within 90 days.", "verified")


def test_a_stale_or_pointless_restore_changes_nothing(people):
    factory, expert, _, card = people
    with factory.db.session() as s:
        service.update_card(s, actor=expert, card_id=card.id, expected_version=1, body="Refunds within 14 days.")
        with pytest.raises(Conflict):
            restore.restore_revision(s, actor=expert, card_id=card.id, version=1, expected_version=1)
        s.rollback()
        with pytest.raises(Invalid):
            restore.restore_revision(s, actor=expert, card_id=card.id, version=2, expected_version=2)
        assert service.get_card(s, card.id).body == "Refunds within 14 days."


def test_the_api_restores_with_if_match_and_archives(client):
    expert = client.factory.user("Ada")
    collection = client.factory.collection("policies", verifier=expert)
    card = client.factory.card(collection, expert, title="Refund window", body="v1")
    headers = client.factory.headers(expert)
    client.put(f"/api/cards/{card.id}", json={"body": "v2"}, headers={**headers, "If-Match": '"1"'})
    assert client.post(f"/api/cards/{card.id}/revisions/1/restore", headers=headers).status_code == 428
    answer = client.post(f"/api/cards/{card.id}/revisions/1/restore", headers={**headers, "If-Match": '"2"'})
    assert answer.status_code == 200 and answer.json()["body"] == "v1" and answer.json()["version"] == 3
    assert client.post(f"/api/cards/{card.id}/archive", headers=headers).json()["status"] == "archived"
    assert client.post(f"/api/cards/{card.id}/unarchive", headers=headers).json()["status"] == "unverified"


def test_never_due_is_kept_as_never(factory):
    """An explicit None ('never') must not be replaced by the column's usual 90 days."""
    expert = factory.user("Ada")
    collection = factory.collection("forever", verifier=expert, interval_days=None)
    card = factory.card(collection, expert, title="Company address", interval_days=None)
    with factory.db.session() as s:
        assert service.get_collection(s, "forever").default_interval_days is None
        saved = service.get_card(s, card.id)
        assert saved.interval_days is None and saved.verify_due_at is None
