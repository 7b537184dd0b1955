"""Quick facts API: list, add, edit (with versions), delete; customers."""

import pytest


@pytest.fixture
def world(client):
    f = client.factory
    agent, other, admin = f.user("Sam Agent"), f.user("Kim Agent"), f.user("Alex Admin", role="admin")
    customer = f.customer("Northwind Traders", emails=["maria@northwind.example"], domains=["northwind.example"])
    return {"f": f, "customer": customer, "agent": agent,
            "as_agent": f.headers(agent), "as_other": f.headers(other), "as_admin": f.headers(admin)}


def test_add_list_edit_delete_a_fact(client, world):
    cid = world["customer"].id
    added = client.post(f"/api/customers/{cid}/facts", headers=world["as_agent"],
                        json={"text": "Renews on **1 March**.", "pinned": True})
    assert added.status_code == 201, added.text
    fact = added.json()
    assert fact["html"] == "<p>Renews on <strong>1 March</strong>.</p>\n"
    assert fact["author"]["name"] == "Sam Agent"
    edited = client.put(f"/api/facts/{fact['id']}", headers={**world["as_other"], "If-Match": '"1"'},
                        json={"text": "Renews on 1 April."})
    assert edited.status_code == 200
    assert (edited.json()["text"], edited.json()["version"], edited.json()["pinned"]) == ("Renews on 1 April.", 2, True)
    listed = client.get(f"/api/customers/{cid}/facts", headers=world["as_agent"]).json()
    assert [f["text"] for f in listed] == ["Renews on 1 April."]
    assert client.delete(f"/api/facts/{fact['id']}", headers=world["as_agent"]).status_code == 204
    assert client.get(f"/api/customers/{cid}/facts", headers=world["as_agent"]).json() == []


def test_pinned_first_and_expired_marked(client, world):
    cid = world["customer"].id
    h = world["as_agent"]
    client.post(f"/api/customers/{cid}/facts", headers=h, json={"text": "Plain fact."})
    client.post(f"/api/customers/{cid}/facts", headers=h,
                json={"text": "On leave until 2 November.", "expires_at": "2020-11-02T00:00:00Z"})
    client.post(f"/api/customers/{cid}/facts", headers=h, json={"text": "Pinned fact.", "pinned": True})
    facts = client.get(f"/api/customers/{cid}/facts", headers=h).json()
    assert [f["text"] for f in facts] == ["Pinned fact.", "Plain fact.", "On leave until 2 November."]
    assert [f["expired"] for f in facts] == [False, False, True]


def test_stale_fact_edit_is_409_with_current(client, world):
    cid = world["customer"].id
    fact = client.post(f"/api/customers/{cid}/facts", headers=world["as_agent"], json={"text": "One."}).json()
    client.put(f"/api/facts/{fact['id']}", headers={**world["as_agent"], "If-Match": "1"}, json={"text": "Two."})
    stale = client.put(f"/api/facts/{fact['id']}", headers={**world["as_other"], "If-Match": "1"},
                       json={"text": "Three."})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "fact_conflict"
    assert stale.json()["error"]["detail"]["current"]["text"] == "Two."


def test_only_author_or_admin_deletes(client, world):
    cid = world["customer"].id
    fact = client.post(f"/api/customers/{cid}/facts", headers=world["as_agent"], json={"text": "Mine."}).json()
    assert client.delete(f"/api/facts/{fact['id']}", headers=world["as_other"]).status_code == 403
    assert client.delete(f"/api/facts/{fact['id']}", headers=world["as_admin"]).status_code == 204


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "   "}, {"text": "x" * 2001}, {"pinned": "maybe", "text": "a"},
                                  {"text": "a", "remind_at": "not a date"}, {}])
def test_bad_fact_bodies_are_400(client, world, body):
    response = client.post(f"/api/customers/{world['customer'].id}/facts", headers=world["as_agent"], json=body)
    assert response.status_code == 400, response.text
    assert client.get(f"/api/customers/{world['customer'].id}/facts", headers=world["as_agent"]).json() == []


def test_missing_customer_and_fact_are_404(client, world):
    assert client.get("/api/customers/9999/facts", headers=world["as_agent"]).status_code == 404
    assert client.post("/api/customers/9999/facts", headers=world["as_agent"], json={"text": "x"}).status_code == 404
    assert client.put("/api/facts/9999", headers={**world["as_agent"], "If-Match": "1"},
                      json={"text": "x"}).status_code == 404
    assert client.delete("/api/facts/9999", headers=world["as_agent"]).status_code == 404


def test_fact_routes_need_a_token(client, world):
    assert client.get(f"/api/customers/{world['customer'].id}/facts").status_code == 401
    assert client.post(f"/api/customers/{world['customer'].id}/facts", json={"text": "x"}).status_code == 401


def test_find_customers_by_name_email_or_domain(client, world):
    h = world["as_agent"]
    for q in ("northwind", "maria@", "northwind.example", "NORTH"):
        assert [c["name"] for c in client.get("/api/customers", params={"q": q}, headers=h).json()] == \
            ["Northwind Traders"], q
    assert client.get("/api/customers", params={"q": "%"}, headers=h).status_code == 200
    one = client.get(f"/api/customers/{world['customer'].id}", headers=h).json()
    assert one["emails"] == ["maria@northwind.example"] and one["domains"] == ["northwind.example"]


def test_nul_characters_in_a_fact_are_dropped(client, world):
    response = client.post(f"/api/customers/{world['customer'].id}/facts", headers=world["as_agent"],
                           json={"text": "On\u0000 leave"})
    assert response.status_code == 201 and response.json()["text"] == "On leave"
