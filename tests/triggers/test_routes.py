"""Triggers over the API: owners pin cards; pinned cards come first in the context panel."""

import pytest


@pytest.fixture
def world(client):
    f = client.factory
    owner, agent = f.user("Owner"), f.user("Agent")
    kb = f.collection("billing", verifier=owner)
    chargebacks = f.card(kb, owner, title="Chargebacks", body="Never refund a disputed payment.")
    refunds = f.card(kb, owner, title="Handling a refund request", body="Refund a duplicate charge in full.")
    customer = f.customer("Northwind", emails=["maria@northwind.example"], domains=["northwind.example"])
    return {"owner": f.headers(owner), "agent": f.headers(agent), "chargebacks": chargebacks,
            "refunds": refunds, "customer": customer}


def pin(client, world, kind, pattern, card="chargebacks", who="owner"):
    return client.post("/api/triggers", headers=world[who],
                       json={"card_id": world[card].id, "kind": kind, "pattern": pattern})


def test_pinned_card_comes_first_and_counts_hits(client, world):
    assert pin(client, world, "words", "chargeback near card").status_code == 201
    panel = client.post("/api/context", headers=world["agent"], json={
        "emails": ["maria@northwind.example"], "subject": "Refund please",
        "text": "The bank shows a chargeback on our card; please refund the duplicate charge."}).json()
    titles = [(s["title"], s["pinned"]) for s in panel["suggestions"]]
    assert titles[0] == ("Chargebacks", True)
    assert ("Handling a refund request", False) in titles
    assert [t for t, _ in titles].count("Chargebacks") == 1
    listed = client.get("/api/triggers", headers=world["agent"]).json()
    assert listed[0]["hits"] == 1


@pytest.mark.parametrize("kind,pattern", [
    ("site", "https://mail.google.com/*"), ("domain", "northwind.example"), ("customer", None)])
def test_each_kind_pins(client, world, kind, pattern):
    pattern = pattern or str(world["customer"].id)
    assert pin(client, world, kind, pattern).status_code == 201
    matched = client.post("/api/triggers/test", headers=world["agent"], json={
        "emails": ["maria@northwind.example"], "url": "https://mail.google.com/mail/u/0/#inbox/x", "text": "hi"}).json()
    assert [m["card"]["title"] for m in matched["matches"]] == ["Chargebacks"]
    assert client.get("/api/triggers", headers=world["agent"]).json()[0]["hits"] == 0  # a test is not a hit


def test_only_owners_pin_and_remove(client, world):
    assert pin(client, world, "words", "chargeback", who="agent").status_code == 403
    trigger = pin(client, world, "words", "chargeback").json()
    assert client.delete(f"/api/triggers/{trigger['id']}", headers=world["agent"]).status_code == 403
    assert client.delete(f"/api/triggers/{trigger['id']}", headers=world["owner"]).status_code == 204
    assert client.delete(f"/api/triggers/{trigger['id']}", headers=world["owner"]).status_code == 404


@pytest.mark.parametrize("kind,pattern", [
    ("site", "mail.google.com"), ("customer", "northwind"), ("domain", "not a domain"), ("words", "   "),
    ("regex", "x"), ("words", "x" * 501)])
def test_bad_patterns_are_400(client, world, kind, pattern):
    response = pin(client, world, kind, pattern)
    assert response.status_code == 400, response.text


def test_trigger_for_missing_card_is_404(client, world):
    response = client.post("/api/triggers", headers=world["owner"], json={"card_id": 9999, "kind": "words",
                                                                          "pattern": "x"})
    assert response.status_code == 404
