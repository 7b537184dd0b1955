"""GET /api/search: filters, ranking ties, permissions."""

import pytest


@pytest.fixture
def world(client):
    f = client.factory
    ada, sam = f.user("Ada"), f.user("Sam")
    billing, playbook = f.collection("billing", verifier=ada), f.collection("playbook", verifier=sam)
    f.card(billing, ada, title="Refund policy", body="Refund within 30 days.", tags=["refunds", "billing"])
    f.card(playbook, sam, title="Refund tone", body="Apologise once when you refund.", tags=["tone"])
    f.card(billing, sam, title="Refund exceptions", body="Refund after 30 days only with approval.")  # unverified
    return {"h": f.headers(ada), "ada": ada, "sam": sam}


def titles(client, world, **params):
    body = client.get("/api/search", params={"q": "refund", **params}, headers=world["h"]).json()
    return sorted(r["title"] for r in body["results"])


def test_filters(client, world):
    assert titles(client, world, collection="playbook") == ["Refund tone"]
    assert titles(client, world, tag="billing") == ["Refund policy"]
    assert titles(client, world, status="unverified") == ["Refund exceptions"]
    assert titles(client, world, verifier=world["sam"].id) == ["Refund tone"]
    assert titles(client, world, collection="billing", status="verified") == ["Refund policy"]


def test_total_counts_only_what_the_filters_let_through(client, world):
    def found(**params):
        body = client.get("/api/search", params={"q": "refund", **params}, headers=world["h"]).json()
        return len(body["results"]), body["total"]

    assert found() == (3, 3)
    assert found(status="unverified") == (1, 1)
    assert found(collection="playbook", status="unverified") == (0, 0)
    assert found(tag="tone", verifier=world["ada"].id) == (0, 0)
    # a filtered search that found nothing is reported as one (a user's repeated query
    # counts once, as the last of its kind found it)
    admin = client.factory.headers(client.factory.user("Admin", role="admin"))
    zero = client.get("/api/analytics/zero-results", headers=admin).json()
    assert [(z["query"], z["count"]) for z in zero] == [("refund", 1)]


def test_bad_filters_are_clear_errors(client, world):
    assert client.get("/api/search", params={"q": "x", "collection": "nope"}, headers=world["h"]).status_code == 404
    for params in ({"status": "archived"}, {"verifier": "ada"}, {"source": "spam"}, {"limit": 500}):
        response = client.get("/api/search", params={"q": "x", **params}, headers=world["h"])
        assert response.status_code == 400, params


def test_verified_ranks_above_unverified_of_equal_relevance(client):
    f = client.factory
    ada = f.user("Ada")
    kb = f.collection("kb", verifier=ada)
    f.card(kb, f.user("Other"), title="Data export", body="Export from settings.")  # unverified, older id
    f.card(kb, ada, title="Data export", body="Export from settings.")  # verified, same text
    results = client.get("/api/search", params={"q": "export"}, headers=f.headers(ada)).json()["results"]
    assert [r["status"] for r in results] == ["verified", "unverified"]


def test_search_returns_a_search_id_for_use_events(client, world):
    body = client.get("/api/search", params={"q": "refund", "source": "sidebar"}, headers=world["h"]).json()
    assert isinstance(body["search_id"], int)
    assert client.get("/api/search", params={"q": "  "}, headers=world["h"]).json()["search_id"] is None
