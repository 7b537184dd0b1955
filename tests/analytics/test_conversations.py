"""The conversations report: one conversation followed from the search to the card opened and
put in the reply; opens, copies and inserts counted apart; what the reader may not read left out."""

from datetime import datetime, timedelta, timezone

import csv
import io

import pytest

from server import clock
from tests.web.pages import sign_in

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
TICKET = "acme.zendesk.com ticket 123"


@pytest.fixture
def desk(client):
    clock.freeze(NOW)
    f = client.factory
    admin = f.user("Ann Admin", role="admin", email="ann@example.test", password="correct horse")
    owner, agent = f.user("Olive Owner"), f.user("Sam Agent")
    kb, secret = f.collection("kb", verifier=owner), f.collection("secret", verifier=owner)
    refund = f.card(kb, owner, title="Handling a refund request", body="Hi {{customer.first_name}}, refunds take 5 days.")
    salary = f.card(secret, owner, title="Salary bands", body="Salary bands are confidential.")
    northwind, globex = f.customer("Northwind Traders"), f.customer("Globex")
    f.restrict(secret)
    f.key_account(globex, members=[agent])
    f.index.apply_pending()
    return {"admin": f.headers(admin), "owner": f.headers(owner), "agent": f.headers(agent), "refund": refund,
            "salary": salary, "northwind": northwind, "globex": globex}


def later(minutes: int) -> None:
    clock.freeze(NOW + timedelta(minutes=minutes))


def search(client, headers, q, conversation):
    response = client.get("/api/search", params={"q": q, "source": "sidebar", "conversation": conversation},
                          headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def use(client, headers, card, action, conversation, **more):
    if action == "opened":
        response = client.post("/api/analytics/events", headers=headers, json={
            "card_id": card.id, "action": action, "conversation": conversation, **more})
        assert response.status_code == 201, response.text
    else:
        response = client.post(f"/api/cards/{card.id}/reply", headers=headers,
                               json={"action": action, "conversation": conversation, **more})
        assert response.status_code == 200, response.text


def report(client, headers, days=30) -> list[dict]:
    response = client.get("/api/analytics/conversations", params={"days": days}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_one_conversation_reads_searched_opened_inserted(client, desk):
    found = search(client, desk["agent"], "refund", TICKET)
    assert found["total"] == 1
    later(1)
    use(client, desk["agent"], desk["refund"], "opened", TICKET, host="acme.zendesk.com")
    later(2)
    use(client, desk["agent"], desk["refund"], "inserted", TICKET, host="acme.zendesk.com",
        customer_id=desk["northwind"].id, contact_name="Maria Garcia")
    [row] = report(client, desk["admin"])
    assert row == {"conversation": TICKET, "host": "acme.zendesk.com", "customer": "Northwind Traders", "searches": 1,
                   "opens": 1, "copies": 0, "inserts": 1, "last_activity": "2026-11-23T09:02:00Z"}


def test_per_card_opens_copies_and_inserts_are_counted_apart(client, desk):
    for n, action in enumerate(["opened", "opened", "copied", "inserted", "inserted", "inserted"]):
        later(n)
        use(client, desk["agent"], desk["refund"], action, f"mail.google.com thread {n % 2}")
    top = client.get("/api/analytics/top-cards", headers=desk["admin"]).json()
    assert top == [{"card_id": desk["refund"].id, "title": "Handling a refund request", "uses": 6, "opens": 2,
                    "copies": 1, "inserts": 3}]
    rows = report(client, desk["admin"])
    assert [(r["conversation"], r["opens"], r["copies"], r["inserts"]) for r in rows] == [
        ("mail.google.com thread 1", 1, 0, 2), ("mail.google.com thread 0", 1, 1, 1)]


def test_what_the_reader_may_not_read_is_left_out(client, desk):
    """An admin is no reader of a restricted collection or customer: neither the uses of its
    cards, nor searches that found them, nor the customer's name are shown to them."""
    search(client, desk["owner"], "salary bands", "secret conversation")
    use(client, desk["owner"], desk["salary"], "opened", "secret conversation")
    later(1)
    use(client, desk["agent"], desk["refund"], "copied", TICKET, customer_id=desk["globex"].id)
    assert [(r["conversation"], r["customer"]) for r in report(client, desk["admin"])] == [(TICKET, None)]
    # The collection's owner reads its cards, but not the key account's customer either.
    owner_rows = report(client, desk["owner"])
    assert [(r["conversation"], r["searches"], r["opens"], r["customer"]) for r in owner_rows] == [
        (TICKET, 0, 0, None), ("secret conversation", 1, 1, None)]


def test_a_customer_the_user_may_not_read_is_not_even_kept(client, desk):
    use(client, desk["owner"], desk["refund"], "opened", TICKET, customer_id=desk["globex"].id)
    from sqlmodel import select

    from server.analytics.models import CardUse
    with client.factory.db.session() as s:
        assert [u.customer_id for u in s.exec(select(CardUse))] == [None]


def test_the_window_members_and_bad_fields(client, desk):
    search(client, desk["agent"], "refund", TICKET)
    later(60 * 24 * 8)
    assert report(client, desk["admin"], days=7) == []
    assert len(report(client, desk["admin"], days=30)) == 1
    assert client.get("/api/analytics/conversations", headers=desk["agent"]).status_code == 403
    assert client.get("/api/search", params={"q": "x", "conversation": "x" * 301},
                      headers=desk["agent"]).status_code == 400
    for field, size in (("conversation", 301), ("host", 256)):
        assert client.post("/api/analytics/events", headers=desk["agent"], json={
            "card_id": desk["refund"].id, "action": "opened", field: "x" * size}).status_code == 400


def test_the_web_page_shows_it_and_the_csv_downloads_it(client, desk):
    search(client, desk["agent"], "refund", TICKET)
    use(client, desk["agent"], desk["refund"], "inserted", TICKET, customer_id=desk["northwind"].id)
    sign_in(client, "ann@example.test", "correct horse")
    html = client.get("/analytics", headers={"Accept": "text/html"}).text
    assert "Conversations" in html and TICKET in html and "Northwind Traders" in html
    text = client.get("/analytics/conversations.csv").text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["conversation", "host", "customer", "searches", "opens", "copies", "inserts", "last_activity"]
    assert rows[1][:7] == [TICKET, "", "Northwind Traders", "1", "0", "0", "1"]


def test_deleting_a_customer_keeps_its_uses_counted_without_it(client, desk):
    admin = desk["admin"]
    use(client, desk["agent"], desk["refund"], "inserted", TICKET, customer_id=desk["northwind"].id)
    assert client.delete(f"/api/customers/{desk['northwind'].id}", headers=admin).status_code in (200, 204)
    [row] = report(client, admin)
    assert (row["customer"], row["inserts"]) == (None, 1)
