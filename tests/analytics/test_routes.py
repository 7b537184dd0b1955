"""Analytics: searches recorded (typing folded into one), card use, and the reports."""

from datetime import datetime, timezone

import pytest

from server import clock


@pytest.fixture
def world(client):
    f = client.factory
    admin, agent = f.user("Admin", role="admin"), f.user("Agent")
    kb = f.collection("kb", verifier=admin)
    card = f.card(kb, admin, title="Handling a refund request", body="Refund within 30 days.")
    unused = f.card(kb, admin, title="Seat limits", body="Team has 25 seats.")
    return {"admin": f.headers(admin), "agent": f.headers(agent), "card": card, "unused": unused}


def search(client, headers, q, source="sidebar"):
    return client.get("/api/search", params={"q": q, "source": source}, headers=headers).json()


def test_typing_is_one_search_and_zero_results_are_reported(client, world):
    clock.freeze(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
    for partial in ["lap", "lapt", "laptop"]:  # search as you type, nothing found
        search(client, world["agent"], partial)
    clock.freeze(datetime(2026, 11, 23, 9, 5, tzinfo=timezone.utc))
    search(client, world["agent"], "laptop")
    search(client, world["admin"], "Laptop ")
    search(client, world["agent"], "refund")
    zero = client.get("/api/analytics/zero-results", headers=world["admin"]).json()
    assert [(z["query"], z["count"]) for z in zero] == [("laptop", 3)]
    assert zero[0]["write_card_url"] == "/cards/new?title=laptop"
    top = client.get("/api/analytics/top-queries", headers=world["admin"]).json()
    assert top[0] == {"query": "laptop", "count": 3, "average_results": 0.0}


def test_card_use_and_unused_cards(client, world):
    found = search(client, world["agent"], "refund")
    for action in ("opened", "copied"):
        response = client.post("/api/analytics/events", headers=world["agent"], json={
            "card_id": world["card"].id, "action": action, "search_id": found["search_id"]})
        assert response.status_code == 201, response.text
    top = client.get("/api/analytics/top-cards", headers=world["admin"]).json()
    assert top == [{"card_id": world["card"].id, "title": "Handling a refund request", "uses": 2, "opens": 1,
                    "copies": 1, "inserts": 0}]
    unused = client.get("/api/analytics/unused-cards", headers=world["admin"]).json()
    assert [u["title"] for u in unused] == ["Seat limits"]


@pytest.mark.parametrize("body", [{"card_id": 1, "action": "liked"}, {"card_id": "x", "action": "opened"}, {}])
def test_bad_events_are_400(client, world, body):
    assert client.post("/api/analytics/events", headers=world["agent"], json=body).status_code == 400


def test_events_for_missing_cards_or_other_peoples_searches_are_404(client, world):
    assert client.post("/api/analytics/events", headers=world["agent"],
                       json={"card_id": 99999, "action": "opened"}).status_code == 404
    theirs = search(client, world["admin"], "refund")["search_id"]
    assert client.post("/api/analytics/events", headers=world["agent"], json={
        "card_id": world["card"].id, "action": "opened", "search_id": theirs}).status_code == 404


def test_reports_are_for_admins(client, world):
    for report in ("zero-results", "top-queries", "top-cards", "unused-cards"):
        assert client.get(f"/api/analytics/{report}", headers=world["agent"]).status_code == 403
    assert client.get("/api/analytics/top-queries", params={"days": 0}, headers=world["admin"]).status_code == 400
