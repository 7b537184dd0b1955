"""Two app nodes, each with its own data directory and search index, on one real
PostgreSQL: a write through one is searchable through the other within a second, and
an edit that went stale on the other node is a 409 there, losing nothing."""

from __future__ import annotations

import time

import pytest

from tests.live import LiveServer

SHARED_KEY = "two-nodes-share-this-secret-key-0123456789"


@pytest.fixture
def two_nodes(tmp_path, postgres_cluster):
    name = postgres_cluster.create_database()
    url = postgres_cluster.url(name)
    first = LiveServer(tmp_path / "first", database_url=url)
    second = LiveServer(tmp_path / "second", database_url=url, content=None)  # seeded through the first
    for node in (first, second):
        node.data_dir.mkdir()
        node.env["VOUCH_SECRET_KEY"] = SHARED_KEY
    first.start()
    second.start()
    yield first, second
    second.stop()
    first.stop()
    postgres_cluster.drop_database(name)


def _found_within(api, word: str, seconds: float) -> float | None:
    """Seconds until a search through `api` finds `word`, or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if api.get("/api/search", params={"q": word}).json()["results"]:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def test_a_write_on_one_node_is_found_on_the_other_within_a_second(two_nodes):
    first, second = two_nodes
    assert second.env["VOUCH_INDEX_POLL_SECONDS"] == "0.5"  # how often a node follows the others' writes
    with first.api("sam@vouch.example") as one, second.api("sam@vouch.example") as other:
        card = one.get("/api/search", params={"q": "refund"}).json()["results"][0]
        version = one.get(f"/api/cards/{card['id']}").json()["version"]
        saved = one.put(f"/api/cards/{card['id']}", headers={"If-Match": f'"{version}"'},
                        json={"body": "Refunds now go through the kingfisher desk."})
        assert saved.status_code == 200
        assert _found_within(other, "kingfisher", 1.0) is not None
        created = other.post("/api/cards", json={"collection": "policies", "title": "Nightjar shipping",
                                                 "body": "Nightjar parcels ship on Tuesdays."})
        assert created.status_code == 201, created.text
        assert _found_within(one, "nightjar", 1.0) is not None


def test_an_edit_gone_stale_on_the_other_node_is_a_conflict(two_nodes):
    first, second = two_nodes
    with first.api("sam@vouch.example") as api:
        card = api.get("/api/search", params={"q": "refund"}).json()["results"][0]
    with first.api("sam@vouch.example") as one, second.api("sam@vouch.example") as other:
        version = one.get(f"/api/cards/{card['id']}").json()["version"]
        assert other.get(f"/api/cards/{card['id']}").json()["version"] == version  # both opened it
        won = one.put(f"/api/cards/{card['id']}", headers={"If-Match": f'"{version}"'},
                      json={"body": "Saved first, through the first node."})
        lost = other.put(f"/api/cards/{card['id']}", headers={"If-Match": f'"{version}"'},
                         json={"body": "Saved second, through the second node."})
        assert won.status_code == 200 and lost.status_code == 409
        assert lost.json()["error"]["detail"]["current"]["body"] == "Saved first, through the first node."
        assert other.get(f"/api/cards/{card['id']}").json()["body"] == "Saved first, through the first node."
