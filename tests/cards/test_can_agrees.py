"""The `can` a card comes with is what the server then does: for every role a person can have
in a collection, each button the API (and so the sidebar and the card page) offers works, and
each one it hides is refused, and a save keeps the card verified exactly when it says so."""

from __future__ import annotations

import pytest

from server.cards.models import Collection, CollectionGrant

ROLES = ("read", "edit", "verify", "own")


@pytest.fixture
def people(client):
    f = client.factory
    owner = f.user("Olive Owner")
    expert = f.user("Ed Expert")
    team = {role: f.user(f"{role.title()} Holder") for role in ROLES}
    team.update(owner=owner, expert=expert, outsider=f.user("Sam Agent"), admin=f.user("Ann Admin", role="admin"),
                admin_reader=f.user("Ari Admin", role="admin"))
    restricted, open_ = f.collection("restricted", verifier=owner), f.collection("open", verifier=owner)
    with f.db.session() as s:
        row = s.get(Collection, restricted.id)
        row.restricted = True
        s.add(row)
        for role in ROLES:
            s.add(CollectionGrant(collection_id=restricted.id, user_id=team[role].id, role=role))
        s.add(CollectionGrant(collection_id=restricted.id, user_id=expert.id, role="edit"))
        s.add(CollectionGrant(collection_id=restricted.id, user_id=team["admin_reader"].id, role="read"))
        s.commit()
    return f, team, {"restricted": restricted, "open": open_}


def _card(f, collection, owner, expert, *, verified: bool):
    return f.card(collection, owner, title="Refunds", body="Refund within 30 days.", verifier=expert,
                  verified=verified)


@pytest.mark.parametrize("collection_name", ["restricted", "open"])
def test_every_button_the_api_offers_works_and_every_one_it_hides_is_refused(client, people, collection_name):
    f, team, collections = people
    collection = collections[collection_name]
    checked = 0
    for name, person in team.items():
        headers = f.headers(person)
        card = _card(f, collection, team["owner"], team["expert"], verified=True)
        shown = client.get(f"/api/cards/{card.id}", headers=headers)
        if shown.status_code == 404:
            assert collection_name == "restricted" and name in ("outsider", "admin"), name
            continue
        can = shown.json()["can"]
        saved = client.put(f"/api/cards/{card.id}", json={"body": "Refund within 60 days."},
                           headers={**headers, "If-Match": '"1"'})
        assert (saved.status_code == 200) == can["edit"], (name, saved.status_code, can)
        if saved.status_code == 200:
            assert (saved.json()["status"] == "verified") == can["keep_verified_on_save"], (name, can)

        waiting = _card(f, collection, team["owner"], team["expert"], verified=False)
        can = client.get(f"/api/cards/{waiting.id}", headers=headers).json()["can"]
        verified = client.post(f"/api/cards/{waiting.id}/verify", headers=headers)
        assert (verified.status_code == 200) == can["verify"], (name, verified.status_code, can)
        interval = client.put(f"/api/cards/{waiting.id}/interval", json={"interval_days": 90}, headers=headers)
        assert (interval.status_code == 200) == can["manage"], (name, interval.status_code, can)
        checked += 1
    assert checked == len(team) - (2 if collection_name == "restricted" else 0)


def test_roles_give_what_their_names_say_in_a_restricted_collection(client, people):
    f, team, collections = people
    card = _card(f, collections["restricted"], team["owner"], team["expert"], verified=False)
    can = {name: client.get(f"/api/cards/{card.id}", headers=f.headers(person)).json()["can"]
           for name, person in team.items() if name not in ("outsider", "admin")}
    assert [name for name in can if can[name]["edit"]] == ["edit", "verify", "own", "owner", "expert"]
    assert [name for name in can if can[name]["verify"]] == ["verify", "own", "owner", "expert"]
    assert [name for name in can if can[name]["manage"]] == ["own", "owner", "expert"]
    assert [name for name in can if can[name]["keep_verified_on_save"]] == ["expert"]
    # An admin the list names only to read reads, and no more.
    assert can["admin_reader"] == {"edit": False, "verify": False, "keep_verified_on_save": False, "manage": False,
                                   "is_verifier": False, "take": False}
