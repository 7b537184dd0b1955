"""Every way to read cards agrees with reading the card itself: for each role on a restricted
collection, search, suggestions, triggers, duplicates hints, analytics, exports, the queue and
the trust score show its card exactly to those who may open it, and to anyone else leak no
title, snippet, query or count."""

from __future__ import annotations

import pytest

from server.cards.models import Collection, CollectionGrant
from tests.web.pages import HTML, sign_in

PASSWORD = "correct horse battery"
WORD = "zephyrine"  # in the restricted card only, so any sight of it is a leak
TITLE = "Subpoenas go to Zephyrine counsel"


@pytest.fixture
def world(client):
    f = client.factory
    people = {name: f.user(name.title(), email=f"{name}@example.test", password=PASSWORD,
                           role="admin" if name.startswith("admin") else "member")
              for name in ("owner", "reader", "editor", "outsider", "admin", "admin_reader", "other_owner")}
    legal = f.collection("legal", verifier=people["owner"])
    open_kb = f.collection("kb", verifier=people["other_owner"])
    secret = f.card(legal, people["owner"], title=TITLE, body=f"Forward every subpoena to the {WORD} desk.",
                    tags=["subpoena"], verifier=people["reader"], verified=False)
    f.card(open_kb, people["other_owner"], title="Refund window", body="Refunds within 30 days.")
    with f.db.session() as s:
        row = s.get(Collection, legal.id)
        row.restricted = True
        s.add(row)
        for name, role in (("reader", "read"), ("editor", "edit"), ("admin_reader", "read")):
            s.add(CollectionGrant(collection_id=legal.id, user_id=people[name].id, role=role))
        s.commit()
    headers = {name: f.headers(person) for name, person in people.items()}
    # History for the reports: the owner searched for the restricted card and opened it; the
    # trigger pins it to conversations that name the word.
    found = client.get(f"/api/search?q={WORD}&source=sidebar", headers=headers["owner"]).json()
    assert [r["id"] for r in found["results"]] == [secret.id]
    client.post("/api/analytics/events", json={"card_id": secret.id, "action": "opened",
                                               "search_id": found["search_id"]}, headers=headers["owner"])
    client.post("/api/triggers", json={"card_id": secret.id, "kind": "words", "pattern": WORD},
                headers=headers["owner"])
    f.index.apply_pending()
    return {"people": people, "headers": headers, "secret": secret}


def _surfaces(client, headers: dict) -> dict[str, str]:
    """What each read path answers this person, as text."""
    conversation = {"emails": ["someone@example.test"], "subject": "A subpoena arrived",
                    "text": f"We received a subpoena; is {WORD} the desk for it?"}
    # The reports first: this person's own searches below are theirs to see (a search that
    # found nothing shows its words to the report's readers, whoever typed them).
    asked = {report: client.get(f"/api/analytics/{report}", headers=headers)
             for report in ("zero-results", "top-queries", "top-cards", "unused-cards")}
    asked |= {
        "search": client.get(f"/api/search?q={WORD}", headers=headers),
        "search by title": client.get("/api/search?q=subpoenas counsel", headers=headers),
        "context": client.post("/api/context", json=conversation, headers=headers),
        "triggers": client.get("/api/triggers", headers=headers),
        "trigger test": client.post("/api/triggers/test", json=conversation, headers=headers),
        "duplicates": client.get(f"/api/search/duplicates?title={TITLE}", headers=headers),
        "queue": client.get("/api/queue", headers=headers),
        "trust": client.get("/api/trust", headers=headers),
        "flags raised": client.get("/api/flags?whose=raised", headers=headers),
    }
    seen = {name: response.text for name, response in asked.items() if response.status_code != 403}
    for name in ("search", "search by title"):  # a search repeats its own query: only what it found counts
        found = asked[name].json()
        seen[name] = repr((found["results"], found["total"]))
    return seen


ROLES = ("owner", "reader", "editor", "outsider", "admin", "admin_reader", "other_owner")


@pytest.mark.parametrize("who", ROLES)
def test_every_read_path_agrees_with_opening_the_card(client, world, who):
    headers, secret = world["headers"][who], world["secret"]
    reads = client.get(f"/api/cards/{secret.id}", headers=headers).status_code == 200
    assert reads == (who in ("owner", "reader", "editor", "admin_reader"))
    seen = _surfaces(client, headers)
    assert "search" in seen and "context" in seen and "trust" in seen
    leaks = sorted(name for name, text in seen.items() if WORD in text.lower() or TITLE.lower() in text.lower())
    if not reads:
        assert leaks == []
        trust = client.get("/api/trust", headers=headers).json()
        assert trust["overall"]["live"] == 1  # only the open collection's card is counted
        assert "legal" not in client.get("/api/trust", headers=headers).text
    else:
        assert {"search", "context"} <= set(leaks)
        assert secret.id in [r["id"] for r in client.get(f"/api/search?q={WORD}", headers=headers).json()["results"]]
        assert client.get("/api/trust", headers=headers).json()["overall"]["live"] == 2


@pytest.mark.parametrize("who, status", [("owner", 200), ("reader", 200), ("outsider", 404), ("admin", 404)])
def test_the_collection_export_is_the_card_read_too(client, world, who, status):
    sign_in(client, world["people"][who].email, PASSWORD)
    assert client.get("/collections/legal/export.zip", headers=HTML).status_code == status
    client.cookies.clear()


def test_the_web_card_list_and_search_agree_with_the_api(client, world):
    for who in ("outsider", "admin", "reader"):
        sign_in(client, world["people"][who].email, PASSWORD)
        listed = client.get("/cards", headers=HTML).text + client.get(f"/cards?q={WORD}", headers=HTML).text
        assert (TITLE in listed) == (who == "reader"), who
        client.cookies.clear()
