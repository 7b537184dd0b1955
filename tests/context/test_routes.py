"""POST /api/context: the customer, their facts and fitting cards in one call."""

import pytest


@pytest.fixture
def world(client):
    f = client.factory
    expert, agent = f.user("Ada Expert"), f.user("Sam Agent")
    policies = f.collection("policies", verifier=expert)
    f.card(policies, expert, title="Handling a refund request",
           body="Customers can get a full refund within 30 days of a charge. Refunds take 5 to 10 business days.")
    f.card(policies, expert, title="Escalating an outage", body="Page the on-call engineer and post on the status page.")
    f.card(policies, expert, title="Seat limits", body="Each plan has a seat limit; extra seats are billed monthly.")
    customer = f.customer("Northwind Traders", emails=["maria@northwind.example"], domains=["northwind.example"])
    f.fact(customer, agent, "Enterprise plan.", pinned=True)
    return {"as_agent": f.headers(agent), "as_expert": f.headers(expert)}


def test_context_matches_customer_by_email_and_suggests_cards(client, world):
    response = client.post("/api/context", headers=world["as_agent"], json={
        "emails": ["Maria@Northwind.example"], "names": ["Maria Santos"], "subject": "Refund for last week's charge",
        "text": "Hello, we were charged twice last week. Could you refund the second charge? Thanks, Maria",
        "url": "https://mail.google.com/mail/u/0/#inbox/abc"})
    assert response.status_code == 200, response.text
    panel = response.json()
    assert panel["customer"]["name"] == "Northwind Traders"
    assert [f["text"] for f in panel["facts"]] == ["Enterprise plan."]
    assert panel["suggestions"][0]["title"] == "Handling a refund request"
    assert panel["queue_count"] == 0


def test_context_matches_by_domain(client, world):
    panel = client.post("/api/context", headers=world["as_agent"], json={"emails": ["jonas@northwind.example"]}).json()
    assert panel["customer"]["name"] == "Northwind Traders"


def test_context_stays_quiet_when_nothing_fits(client, world):
    panel = client.post("/api/context", headers=world["as_agent"], json={
        "emails": ["someone@elsewhere.example"], "subject": "Lunch on Friday?",
        "text": "Shall we try the new noodle place near the station on Friday?"}).json()
    assert panel == {"customer": None, "candidates": [], "facts": [], "suggestions": [], "queue_count": 0, "notifications": []}


def test_context_counts_the_experts_queue(client, world):
    cards = client.get("/api/search", params={"q": "seat"}, headers=world["as_agent"]).json()["results"]
    client.put(f"/api/cards/{cards[0]['id']}", headers={**world["as_agent"], "If-Match": "1"},
               json={"body": "Seats are unlimited now."})
    response = client.post("/api/context", headers=world["as_expert"], json={})
    assert response.json()["queue_count"] == 1, response.text


@pytest.mark.parametrize("body", [{"emails": "a@b.c"}, {"text": 5}, {"emails": ["x"] * 51}, {"text": "x" * 200_001}])
def test_context_bad_bodies_are_400(client, world, body):
    response = client.post("/api/context", headers=world["as_agent"], json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_context_needs_a_token(client, world):
    assert client.post("/api/context", json={}).status_code == 401


def test_suggestions_survive_edits_in_a_small_knowledge_base(client):
    f = client.factory
    expert = f.user("Expert")
    card = f.card(f.collection("kb", verifier=expert), expert, title="Handling a refund request",
                  body="Refund a duplicate charge in full.")
    h = f.headers(expert)
    for version in (1, 2):  # each save leaves a replaced document in the index until a merge
        client.put(f"/api/cards/{card.id}", headers={**h, "If-Match": str(version)},
                   json={"body": f"Refund a duplicate charge in full (edit {version})."})
    panel = client.post("/api/context", headers=h, json={"subject": "Refund", "text": "Please refund the duplicate charge"})
    assert [s["title"] for s in panel.json()["suggestions"]] == ["Handling a refund request"]
