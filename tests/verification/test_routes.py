"""Flags, unverify, requests, the queue and notifications over the API, with a controllable clock."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from server import clock
from server.audit.models import AuditEvent

START = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(client):
    clock.freeze(START)
    f = client.factory
    ada, sam = f.user("Ada Expert"), f.user("Sam Agent")
    kb = f.collection("policies", verifier=ada, interval_days=30)
    refund = f.card(kb, ada, title="Refunds", body="Refund within 30 days.")
    seats = f.card(kb, ada, title="Seats", body="Team has 25 seats.")
    return {"f": f, "ada": f.headers(ada), "sam": f.headers(sam), "refund": refund, "seats": seats}


def audit(client, action):
    with client.factory.db.session() as s:
        return [e for e in s.exec(select(AuditEvent).where(AuditEvent.action == action))]


def test_flag_enters_queue_and_resolving_tells_the_flagger(client, world):
    card_id = world["refund"].id
    flag = client.post(f"/api/cards/{card_id}/flags", headers=world["sam"],
                       json={"kind": "outdated", "reason": "It is 14 days since October."})
    assert flag.status_code == 201, flag.text
    assert client.get(f"/api/cards/{card_id}", headers=world["sam"]).json()["status"] == "verified"  # rule 4
    queue = client.get("/api/queue", headers=world["ada"]).json()
    assert queue["count"] == 1 and queue["items"][0]["reasons"] == ["flagged"]
    assert [f["reason"] for f in client.get("/api/flags", headers=world["ada"]).json()] == ["It is 14 days since October."]

    assert client.post(f"/api/flags/{flag.json()['id']}/resolve", headers=world["sam"],
                       json={"resolution": "x", "fixed": True}).status_code == 403
    resolved = client.post(f"/api/flags/{flag.json()['id']}/resolve", headers=world["ada"],
                           json={"resolution": "Changed to 14 days.", "fixed": True})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    notes = client.get("/api/notifications", headers=world["sam"]).json()
    assert "Ada Expert fixed it after your flag on “Refunds”: Changed to 14 days." == notes[0]["text"]
    assert client.get("/api/queue", headers=world["ada"]).json()["count"] == 0
    again = client.post(f"/api/flags/{flag.json()['id']}/resolve", headers=world["ada"],
                        json={"resolution": "again", "fixed": False})
    assert again.status_code == 409
    assert [e.action for e in audit(client, "flag")] == ["flag"] and len(audit(client, "resolve")) == 1
    assert client.post(f"/api/notifications/{notes[0]['id']}/read", headers=world["sam"]).status_code == 204
    assert client.get("/api/notifications", params={"unread": True}, headers=world["sam"]).json() == []


@pytest.mark.parametrize("body", [{"kind": "wrong", "reason": "  "}, {"kind": "ugly", "reason": "x"}, {"kind": "wrong"}])
def test_a_flag_needs_a_kind_and_a_reason(client, world, body):
    assert client.post(f"/api/cards/{world['refund'].id}/flags", headers=world["sam"], json=body).status_code == 400


def test_unverify_with_reason_and_request_verification(client, world):
    card_id = world["seats"].id
    assert client.post(f"/api/cards/{card_id}/unverify", headers=world["sam"], json={"reason": " "}).status_code == 400
    card = client.post(f"/api/cards/{card_id}/unverify", headers=world["sam"],
                       json={"reason": "Team now has 30 seats."}).json()
    assert card["status"] == "unverified"
    revision = client.get(f"/api/cards/{card_id}/revisions", headers=world["sam"]).json()[0]
    assert revision["note"] == "Unverified by Sam Agent: Team now has 30 seats."
    told = client.post(f"/api/cards/{card_id}/request-verification", headers=world["sam"], json={"note": "please"})
    assert told.json() == {"told": 1}
    assert "asks you to verify “Seats”: please" in client.get("/api/notifications", headers=world["ada"]).json()[0]["text"]
    assert audit(client, "unverify")[0].details == {"reason": "Team now has 30 seats."}


def test_queue_reasons_waiting_and_sorting(client, world):
    # The agent edits Seats on day 1 (unverified by an edit).
    client.put(f"/api/cards/{world['seats'].id}", headers={**world["sam"], "If-Match": "1"},
               json={"body": "Team has 30 seats."})
    clock.freeze(START + timedelta(days=25))  # Refunds is due on day 30: due soon
    items = client.get("/api/queue", headers=world["ada"]).json()
    assert [(i["title"], i["reasons"]) for i in items["items"]] == [("Seats", ["edited"]), ("Refunds", ["due_soon"])]
    assert items["count"] == 1  # due soon is a heads-up, not yet work
    clock.freeze(START + timedelta(days=31))  # now overdue
    card = client.get(f"/api/cards/{world['refund'].id}", headers=world["ada"]).json()
    assert card["status"] == "verified" and card["needs_verification"] is True
    items = client.get("/api/queue", headers=world["ada"]).json()
    assert items["count"] == 2
    assert [i["title"] for i in items["items"]] == ["Seats", "Refunds"]  # Seats waited longer
    client.post("/api/analytics/events", headers=world["sam"], json={"card_id": world["refund"].id, "action": "opened"})
    by_use = client.get("/api/queue", params={"sort": "usage"}, headers=world["ada"]).json()["items"]
    assert [i["title"] for i in by_use] == ["Refunds", "Seats"] and by_use[0]["uses"] == 1
    assert client.get("/api/queue", params={"sort": "random"}, headers=world["ada"]).status_code == 400
    verified = client.post(f"/api/cards/{world['refund'].id}/verify", headers=world["ada"]).json()
    assert verified["needs_verification"] is False
    assert client.post("/api/context", headers=world["ada"], json={}).json()["queue_count"] == 1
