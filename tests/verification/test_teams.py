"""Group verifiers in rotation, taking a card, reassigning, orphans, snooze, changes since
verified, fact reminders, trust score, digest preference."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from server import clock
from server.audit.models import AuditEvent
from server.verification.reminders import send_digests

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)  # a Monday


@pytest.fixture
def team(client):
    clock.freeze(START)
    f = client.factory
    admin, ada, bo, sam = f.user("Alex", role="admin"), f.user("Ada"), f.user("Bo"), f.user("Sam")
    h = {name: f.headers(u) for name, u in [("admin", admin), ("ada", ada), ("bo", bo), ("sam", sam)]}
    group = client.post("/api/groups", headers=h["admin"], json={"name": "Billing experts"}).json()
    for who in (ada, bo):
        assert client.post(f"/api/groups/{group['id']}/members", headers=h["admin"],
                           json={"email": who.email}).status_code == 204
    kb = f.collection("billing", verifier=ada, interval_days=30)
    cards = [f.card(kb, ada, title=f"Card {n}", body=f"Text {n}.") for n in range(4)]
    for card in cards:
        client.put(f"/api/cards/{card.id}/verifier", headers=h["ada"], json={"group_id": group["id"]})
    return {"f": f, "h": h, "group": group, "cards": cards, "users": {"admin": admin, "ada": ada, "bo": bo, "sam": sam}}


def edit(client, team, card, who="sam"):
    version = client.get(f"/api/cards/{card.id}", headers=team["h"][who]).json()["version"]
    return client.put(f"/api/cards/{card.id}", headers={**team["h"][who], "If-Match": str(version)},
                      json={"body": f"Changed by {who}."})


def titles(client, team, who):
    return sorted(i["title"] for i in client.get("/api/queue", headers=team["h"][who]).json()["items"])


def test_group_cards_rotate_and_anyone_in_the_group_can_take_one(client, team):
    for card in team["cards"]:
        edit(client, team, card)
    ada, bo = titles(client, team, "ada"), titles(client, team, "bo")
    assert len(ada) == 2 and len(bo) == 2 and not set(ada) & set(bo)  # shared in turn, never both, never none
    taken = next(c for c in team["cards"] if c.title in bo)
    assert client.post(f"/api/cards/{taken.id}/take", headers=team["h"]["ada"]).status_code == 200
    assert taken.title in titles(client, team, "ada") and taken.title not in titles(client, team, "bo")
    assert client.post(f"/api/cards/{taken.id}/take", headers=team["h"]["sam"]).status_code == 403
    # A group member's save verifies the card (rule 1).
    assert edit(client, team, taken, who="bo").json()["status"] == "verified"


def test_reassign_keeps_the_verified_date_unless_asked(client, team):
    card = team["cards"][0]
    before = client.get(f"/api/cards/{card.id}", headers=team["h"]["ada"]).json()
    moved = client.put(f"/api/cards/{card.id}/verifier", headers=team["h"]["admin"],
                       json={"user_id": team["users"]["bo"].id}).json()
    assert moved["verifier"]["name"] == "Bo" and moved["verified_at"] == before["verified_at"]
    assert moved["status"] == "verified"
    reset = client.put(f"/api/cards/{card.id}/verifier", headers=team["h"]["admin"],
                       json={"user_id": team["users"]["ada"].id, "keep_verified_date": False}).json()
    assert reset["status"] == "unverified"
    assert client.put(f"/api/cards/{card.id}/verifier", headers=team["h"]["sam"],
                      json={"user_id": team["users"]["sam"].id}).status_code == 403
    assert client.put(f"/api/cards/{card.id}/verifier", headers=team["h"]["admin"], json={}).status_code == 400


def test_deactivating_a_verifier_moves_their_cards_and_logs_it(client, team):
    f = team["f"]
    lone = f.card(f.collection("solo", verifier=team["users"]["bo"]), team["users"]["bo"], title="Bo's card")
    moved = client.post(f"/api/users/{team['users']['bo'].id}/deactivate", headers=team["h"]["admin"]).json()
    assert moved == {"cards_moved": 1}
    card = client.get(f"/api/cards/{lone.id}", headers=team["h"]["admin"]).json()
    assert card["verifier"]["name"] == "Alex"  # the collection's default verifier was Bo: an admin takes over
    assert client.get("/api/me", headers=team["h"]["bo"]).status_code == 401  # signed out everywhere
    with f.db.session() as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "reassign",
                                               AuditEvent.target_id == lone.id)).first() is not None
    # Bo's turns in the group pass to Ada.
    for c in team["cards"]:
        edit(client, team, c)
    assert len(titles(client, team, "ada")) == 4
    assert client.post(f"/api/users/{team['users']['admin'].id}/deactivate",
                       headers=team["h"]["admin"]).status_code == 400
    assert client.post(f"/api/users/{team['users']['ada'].id}/deactivate", headers=team["h"]["sam"]).status_code == 403


def test_snooze_hides_a_card_for_a_while(client, team):
    card = team["cards"][0]
    client.put(f"/api/cards/{card.id}/verifier", headers=team["h"]["admin"], json={"user_id": team["users"]["ada"].id})
    edit(client, team, card)
    assert card.title in titles(client, team, "ada")
    assert client.post(f"/api/cards/{card.id}/snooze", headers=team["h"]["ada"], json={"days": 3}).status_code == 200
    assert card.title not in titles(client, team, "ada")
    clock.freeze(START + timedelta(days=4))
    assert card.title in titles(client, team, "ada")
    assert client.post(f"/api/cards/{card.id}/snooze", headers=team["h"]["ada"], json={"days": 2}).status_code == 400


def test_changes_since_last_verified(client, team):
    card = team["cards"][0]
    edit(client, team, card)
    edit(client, team, card, who="admin")
    changes = client.get(f"/api/cards/{card.id}/changes", headers=team["h"]["ada"]).json()
    assert changes["editors"] == ["Alex", "Sam"]
    assert "-Text 0." in changes["diff"] and "+Changed by admin." in changes["diff"]


def test_fact_reminder_comes_to_its_author(client, team):
    f = team["f"]
    customer = f.customer("Northwind", emails=["maria@northwind.example"])
    f.fact(customer, team["users"]["sam"], "Maria on leave until 5 November.", remind_at=date(2026, 11, 5))
    assert client.get("/api/queue", headers=team["h"]["sam"]).json()["facts"] == []
    clock.freeze(START + timedelta(days=3))
    facts = client.get("/api/queue", headers=team["h"]["sam"]).json()["facts"]
    assert [x["text"] for x in facts] == ["Maria on leave until 5 November."]


def test_trust_score_now_and_over_time(client, team, settings):
    card = team["cards"][0]
    edit(client, team, card)  # 3 of 4 verified
    score = client.get("/api/trust", headers=team["h"]["ada"]).json()
    assert score["overall"] == {"verified": 3, "live": 4, "score": 0.75}
    with team["f"].db.session() as s:
        send_digests(s, settings, dry_run=False)  # the daily job takes the snapshot
    clock.freeze(START + timedelta(days=31))  # everything overdue now
    with team["f"].db.session() as s:
        send_digests(s, settings, dry_run=False)
    history = client.get("/api/trust", headers=team["h"]["ada"]).json()["history"]
    assert [(h["day"], h["overall"]) for h in history] == [("2026-11-02", 0.75), ("2026-12-03", 0.0)]


def test_weekly_readers_get_one_digest_a_week(client, team, settings):
    for card in team["cards"]:
        edit(client, team, card)
    assert client.put("/api/me/preferences", headers=team["h"]["ada"], json={"digest": "weekly"}).json() == \
        {"digest": "weekly"}
    assert client.put("/api/me/preferences", headers=team["h"]["ada"], json={"digest": "hourly"}).status_code == 400
    sent_to = []
    for day in range(8):
        clock.freeze(START + timedelta(days=day))
        with team["f"].db.session() as s:
            sent_to += [(day, d.user.name) for d in send_digests(s, settings)]
    assert [d for d, name in sent_to if name == "Ada"] == [0, 7]
    assert [d for d, name in sent_to if name == "Bo"] == list(range(8))
