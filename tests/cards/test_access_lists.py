"""Access lists over the API: a restricted collection is invisible to those it does not list
(cards, pages, search), each role gives what it says, admins manage lists they cannot read,
cards whose verifier loses access go to the owner, and refused or bad changes write nothing."""

from __future__ import annotations

import pytest

from server.accounts import groups, oidc
from server.accounts.models import User
from server.audit.models import AuditEvent
from server.cards import access_lists, collections, editing
from server.cards.models import Card, Collection, CollectionGrant
from server.content.importer import check_may_import
from server.db import one_action
from server.errors import Forbidden, Invalid
from tests.factories import count, events
from tests.test_error_shape import assert_error_shape
from tests.web.pages import HTML, sign_in

PASSWORD = "correct horse"
ROLES = {"rita": "read", "ed": "edit", "vera": "verify", "olga": "own"}


@pytest.fixture
def team(client):
    """'secret' is restricted: Ada (its default verifier) owns it; Rita reads, Ed edits,
    Vera verifies, Olga owns; Sam, a member, and Boss, an admin, are not on its list."""
    f = client.factory
    people = {name: f.user(name.title(), email=f"{name}@example.test", password=PASSWORD)
              for name in ("ada", "sam", *ROLES)}
    people["boss"] = f.user("Boss", role="admin", email="boss@example.test", password=PASSWORD)
    secret = f.collection("secret", verifier=people["ada"])
    card = f.card(secret, people["ada"], title="Refund exceptions", body="Refund twice a year at most.")
    h = {name: f.headers(user) for name, user in people.items()}
    assert client.put("/api/collections/secret/restricted", json={"restricted": True}, headers=h["ada"]).json() \
        == {"collection": {"id": secret.id, "slug": "secret", "name": "secret"}, "restricted": True}
    for name, role in ROLES.items():
        added = client.post("/api/collections/secret/access", json={"user_email": f"{name}@example.test",
                                                                    "role": role}, headers=h["ada"])
        assert added.status_code == 200 and added.json()["role"] == role, added.text
    return {"f": f, "people": people, "h": h, "secret": secret, "card": card}


def card_of(client, card_id: int) -> Card:
    with client.factory.db.session() as s:
        return s.get(Card, card_id)


def test_a_member_not_on_the_list_gets_404_everywhere_and_search_skips_it(client, team):
    card_id, sam = team["card"].id, team["h"]["sam"]
    assert_error_shape(client.get(f"/api/cards/{card_id}", headers=sam), 404, "not_found")
    assert client.get("/api/search", params={"q": "refund exceptions"}, headers=sam).json()["results"] == []
    found = client.get("/api/search", params={"q": "refund exceptions"}, headers=team["h"]["rita"]).json()
    assert [r["id"] for r in found["results"]] == [card_id]
    sign_in(client, "sam@example.test", PASSWORD)
    assert client.get(f"/cards/{card_id}", headers=HTML).status_code == 404
    assert_error_shape(client.get("/api/collections/secret/access", headers=sam), 404, "not_found")


def test_each_role_gives_what_it_says(client, team):
    card_id, h = team["card"].id, team["h"]
    assert client.get(f"/api/cards/{card_id}", headers=h["rita"]).json()["can"]["edit"] is False
    refused = client.put(f"/api/cards/{card_id}", json={"body": "Never."}, headers={**h["rita"], "If-Match": '"1"'})
    assert_error_shape(refused, 403, "forbidden")
    saved = client.put(f"/api/cards/{card_id}", json={"body": "Refund once a year."},
                       headers={**h["ed"], "If-Match": '"1"'})
    assert saved.status_code == 200 and saved.json()["status"] == "unverified"
    assert_error_shape(client.post(f"/api/cards/{card_id}/verify", headers=h["ed"]), 403)
    assert client.post(f"/api/cards/{card_id}/verify", headers=h["vera"]).json()["status"] == "verified"
    pin = {"card_id": card_id, "kind": "words", "pattern": "refund"}
    assert_error_shape(client.post("/api/triggers", json=pin, headers=h["vera"]), 403)
    assert client.post("/api/triggers", json=pin, headers=h["olga"]).status_code == 201
    with client.factory.db.session() as s:
        assert check_may_import(s, team["people"]["olga"], "secret").id == team["secret"].id
        with pytest.raises(Forbidden):
            check_may_import(s, team["people"]["vera"], "secret")
    listed = client.get("/api/collections/secret/access", headers=h["olga"]).json()
    roles = {g["user"]["email"]: g["role"] for g in listed["grants"]}
    assert roles == {f"{name}@example.test": role for name, role in ROLES.items()}
    assert listed["owner"]["email"] == "ada@example.test" and listed["restricted"] is True
    assert client.post("/api/collections/secret/access", json={"user_email": "sam@example.test", "role": "read"},
                       headers=h["olga"]).status_code == 200
    assert client.get(f"/api/cards/{card_id}", headers=h["sam"]).status_code == 200


def test_an_admin_not_listed_cannot_read_the_cards_but_manages_the_list(client, team):
    boss, card_id = team["h"]["boss"], team["card"].id
    assert_error_shape(client.get(f"/api/cards/{card_id}", headers=boss), 404, "not_found")
    assert len(client.get("/api/collections/secret/access", headers=boss).json()["grants"]) == 4
    added = client.post("/api/collections/secret/access", json={"user_email": "boss@example.test", "role": "read"},
                        headers=boss)
    assert added.status_code == 200
    assert client.get(f"/api/cards/{card_id}", headers=boss).status_code == 200  # and that is in the audit log
    assert events(client, "access_granted")[-1].details["user_id"] == team["people"]["boss"].id


def test_grant_then_revoke_and_a_second_grant_changes_the_role(client, team):
    h, sam, card_id = team["h"], team["people"]["sam"], team["card"].id
    line = client.post("/api/collections/secret/access", json={"user_email": "SAM@example.test", "role": "read"},
                       headers=h["ada"]).json()
    assert line["user"]["id"] == sam.id and client.get(f"/api/cards/{card_id}", headers=h["sam"]).status_code == 200
    again = client.post("/api/collections/secret/access", json={"user_email": "sam@example.test", "role": "edit"},
                        headers=h["ada"]).json()
    assert again["id"] == line["id"] and again["role"] == "edit"
    assert count(client, CollectionGrant, CollectionGrant.user_id == sam.id) == 1
    assert events(client, "access_granted")[-1].details["before"] == "read"
    gone = client.delete(f"/api/collections/secret/access/{line['id']}", headers=h["ada"])
    assert gone.status_code == 204
    assert client.get(f"/api/cards/{card_id}", headers=h["sam"]).status_code == 404
    revoked = events(client, "access_revoked")[-1]
    assert (revoked.actor_id, revoked.target_id, revoked.details["user_id"]) == (team["people"]["ada"].id,
                                                                                 team["secret"].id, sam.id)


def test_opening_the_collection_again_lets_every_member_read(client, team):
    opened = client.put("/api/collections/secret/restricted", json={"restricted": False}, headers=team["h"]["olga"])
    assert opened.json()["restricted"] is False
    assert client.get(f"/api/cards/{team['card'].id}", headers=team["h"]["sam"]).status_code == 200
    assert [e.action for e in events(client, "collection_opened")] == ["collection_opened"]


def test_a_verifier_who_loses_access_hands_the_card_to_the_owner(client, team):
    h, ed, ada, card_id = team["h"], team["people"]["ed"], team["people"]["ada"], team["card"].id
    assert client.put(f"/api/cards/{card_id}/verifier", json={"user_id": ed.id}, headers=h["ada"]).status_code == 200
    ed_line = next(g for g in client.get("/api/collections/secret/access", headers=h["ada"]).json()["grants"]
                   if g["user"]["id"] == ed.id)
    assert client.delete(f"/api/collections/secret/access/{ed_line['id']}", headers=h["olga"]).status_code == 204
    assert card_of(client, card_id).verifier_id == ada.id
    handed = [e for e in events(client, "reassign") if e.details.get("reason") == "verifier lost access"]
    assert [(e.target_id, e.details["from_user"], e.details["to_user"]) for e in handed] == [(card_id, ed.id, ada.id)]
    assert handed[0].actor_id == team["people"]["olga"].id


def test_a_group_verifier_and_a_group_member_lose_access_with_their_group(client, team):
    f, h, people, card_id = team["f"], team["h"], team["people"], team["card"].id
    boss = people["boss"]
    with f.db.session() as s:
        billing = groups.create_group(s, actor=boss, name="Billing")
        groups.add_member(s, actor=boss, group_id=billing.id, email="sam@example.test")
    assert_error_shape(client.put(f"/api/cards/{card_id}/verifier", json={"group_id": billing.id},
                                  headers=h["ada"]), 400, "verifier_cannot_read")
    client.post("/api/collections/secret/access", json={"group": "Billing", "role": "read"}, headers=h["ada"])
    other = f.card(team["secret"], people["ada"], title="Chargebacks")
    to_billing = client.put(f"/api/cards/{card_id}/verifier", json={"group_id": billing.id}, headers=h["ada"])
    assert to_billing.status_code == 200
    assert client.put(f"/api/cards/{other.id}/verifier", json={"user_id": people["sam"].id},
                      headers=h["ada"]).status_code == 200
    with f.db.session() as s:  # Sam reads only through Billing: leaving it hands his card over
        groups.remove_member(s, actor=boss, group_id=billing.id, user_id=people["sam"].id)
    assert card_of(client, other.id).verifier_id == people["ada"].id
    assert card_of(client, card_id).verifier_group_id == billing.id  # the group still reads
    line = next(g for g in client.get("/api/collections/secret/access", headers=h["ada"]).json()["grants"]
                if g["group"])
    client.delete(f"/api/collections/secret/access/{line['id']}", headers=h["ada"])
    card = card_of(client, card_id)
    assert (card.verifier_id, card.verifier_group_id) == (people["ada"].id, None)
    handed = events(client, "reassign")[-1]
    assert handed.details == {"reason": "verifier lost access", "from_user": None, "from_group": billing.id,
                              "to_user": people["ada"].id}


def test_leaving_a_group_at_the_company_sign_in_hands_the_card_over(client, team):
    f, h, people, card_id = team["f"], team["h"], team["people"], team["card"].id
    sam = people["sam"]

    def claimed(*names: str) -> None:  # what each sign-in does with the provider's group claim
        with f.db.session() as s, one_action(s):
            oidc._keep_groups_in_step(s, s.get(User, sam.id), list(names))

    claimed("Billing")
    client.post("/api/collections/secret/access", json={"group": "Billing", "role": "read"}, headers=h["ada"])
    assert client.put(f"/api/cards/{card_id}/verifier", json={"user_id": sam.id}, headers=h["ada"]).status_code == 200
    claimed("Billing", "Support")
    assert card_of(client, card_id).verifier_id == sam.id
    claimed("Support")
    assert card_of(client, card_id).verifier_id == people["ada"].id
    handed = events(client, "reassign")[-1]
    assert (handed.actor_id, handed.details["reason"], handed.details["from_user"]) == (None, "verifier lost access",
                                                                                        sam.id)


def test_restricting_hands_over_the_cards_of_verifiers_not_on_the_list(client, team):
    f, h, people = team["f"], team["h"], team["people"]
    kb = f.collection("kb", verifier=people["ada"])
    sams = f.card(kb, people["sam"], title="Sam's card", verifier=people["sam"])
    ritas = f.card(kb, people["rita"], title="Rita's card", verifier=people["rita"])
    archived = f.card(kb, people["sam"], title="Old card", verifier=people["sam"])
    assert client.post(f"/api/cards/{archived.id}/archive", headers=h["ada"]).status_code == 200
    client.post("/api/collections/kb/access", json={"user_email": "rita@example.test", "role": "read"},
                headers=h["ada"])
    assert client.put("/api/collections/kb/restricted", json={"restricted": True}, headers=h["boss"]).status_code == 200
    assert card_of(client, sams.id).verifier_id == people["ada"].id
    assert card_of(client, ritas.id).verifier_id == people["rita"].id  # on the list: keeps it
    assert card_of(client, archived.id).verifier_id == people["sam"].id  # out of every queue already
    handed = [e for e in events(client, "reassign") if e.details.get("reason") == "verifier lost access"]
    assert [(e.target_id, e.actor_id) for e in handed] == [(sams.id, people["boss"].id)]
    assert [e.target_id for e in events(client, "collection_restricted")] == [team["secret"].id, kb.id]


def test_a_card_moved_where_its_verifier_cannot_read_goes_to_the_owner(client, team):
    f, people = team["f"], team["people"]
    plain = f.collection("plain")
    card = f.card(plain, people["sam"], title="Leaving plain", verifier=people["sam"])
    with f.db.session() as s:
        access_lists.grant(s, actor=people["ada"], collection_id=team["secret"].id, role="edit",
                           user_id=people["boss"].id)
    with f.db.session() as s:
        editing.move_card(s, actor=people["boss"], card_id=card.id, collection_slug="secret")
    assert card_of(client, card.id).verifier_id == people["ada"].id
    assert events(client, "reassign")[-1].details["from_user"] == people["sam"].id


def test_a_former_default_verifier_not_on_the_list_hands_the_cards_on(client, team):
    f, people, secret, card_id = team["f"], team["people"], team["secret"], team["card"].id
    with f.db.session() as s:  # Olga owns it by the list, so it may lose its default verifier
        collections.update_collection(s, actor=people["boss"], collection_id=secret.id, name="secret",
                                      description="", default_verifier_id=None, default_interval_days=30)
    assert card_of(client, card_id).verifier_id == people["olga"].id
    orphan = f.collection("orphan2", verifier=people["ada"])
    client.put("/api/collections/orphan2/restricted", json={"restricted": True}, headers=team["h"]["ada"])
    with f.db.session() as s, pytest.raises(Invalid, match="needs a default verifier"):
        collections.update_collection(s, actor=people["boss"], collection_id=orphan.id, name="orphan2",
                                      description="", default_verifier_id=None, default_interval_days=30)


def test_a_deactivated_verifier_s_cards_in_a_restricted_collection_go_to_an_owner_not_an_admin(client, team):
    f, people = team["f"], team["people"]
    with f.db.session() as s:  # no default verifier: Olga owns it by the list, and Boss is not on it
        collections.update_collection(s, actor=people["boss"], collection_id=team["secret"].id, name="secret",
                                      description="", default_verifier_id=None, default_interval_days=30)
    card = f.card(team["secret"], people["ed"], title="Ed's card", verifier=people["ed"])
    with f.db.session() as s:
        groups.deactivate_user(s, actor=people["boss"], user_id=people["ed"].id)
    assert card_of(client, card.id).verifier_id == people["olga"].id


def test_choosing_a_verifier_who_cannot_read_is_refused(client, team):
    refused = client.put(f"/api/cards/{team['card'].id}/verifier", json={"user_id": team["people"]["sam"].id},
                         headers=team["h"]["ada"])
    assert_error_shape(refused, 400, "verifier_cannot_read")
    assert "Sam" in refused.json()["error"]["message"]
    assert card_of(client, team["card"].id).verifier_id == team["people"]["ada"].id


def test_refused_changes_write_nothing(client, team):
    h, secret = team["h"], team["secret"]
    grants, audited = count(client, CollectionGrant), count(client, AuditEvent)
    line = client.get("/api/collections/secret/access", headers=h["ada"]).json()["grants"][0]
    for who in ("rita", "ed", "vera"):  # they read the collection; they do not own it
        assert_error_shape(client.post("/api/collections/secret/access", json={"user_email": "sam@example.test",
                                                                               "role": "own"}, headers=h[who]), 403)
        assert_error_shape(client.delete(f"/api/collections/secret/access/{line['id']}", headers=h[who]), 403)
        assert_error_shape(client.put("/api/collections/secret/restricted", json={"restricted": False},
                                      headers=h[who]), 403)
        assert_error_shape(client.get("/api/collections/secret/access", headers=h[who]), 403)
    assert_error_shape(client.post("/api/collections/secret/access", json={"user_email": "sam@example.test",
                                                                           "role": "own"}, headers=h["sam"]), 404)
    with client.factory.db.session() as s:
        with pytest.raises(Forbidden):
            access_lists.grant(s, actor=team["people"]["vera"], collection_id=secret.id, role="own",
                               user_id=team["people"]["vera"].id)
    assert (count(client, CollectionGrant), count(client, AuditEvent)) == (grants, audited)
    with client.factory.db.session() as s:
        assert s.get(Collection, secret.id).restricted is True


def test_a_restricted_collection_keeps_an_owner(client, team):
    f, h, people = team["f"], team["h"], team["people"]
    orphan = f.collection("orphan")  # no default verifier
    refused = client.put("/api/collections/orphan/restricted", json={"restricted": True}, headers=h["boss"])
    assert_error_shape(refused, 400, "no_owner")
    assert "no owner" in refused.json()["error"]["message"]
    owner = client.post("/api/collections/orphan/access", json={"user_email": "olga@example.test", "role": "own"},
                        headers=h["boss"]).json()
    restricting = client.put("/api/collections/orphan/restricted", json={"restricted": True}, headers=h["boss"])
    assert restricting.status_code == 200
    audited = count(client, AuditEvent)
    last_owner = client.delete(f"/api/collections/orphan/access/{owner['id']}", headers=h["boss"])
    assert_error_shape(last_owner, 400, "no_owner")
    lowered = client.post("/api/collections/orphan/access", json={"user_email": "olga@example.test", "role": "read"},
                          headers=h["olga"])
    assert_error_shape(lowered, 400, "no_owner")
    assert count(client, AuditEvent) == audited
    with f.db.session() as s:
        assert s.get(CollectionGrant, owner["id"]).role == "own" and s.get(Collection, orphan.id).restricted
    assert people["olga"].id == owner["user"]["id"]


@pytest.mark.parametrize("body,code", [
    ({"user_email": "sam@example.test", "role": "admin"}, "invalid_role"),
    ({"user_email": "nobody@example.test", "role": "read"}, "unknown_user"),
    ({"user_email": "not an email", "role": "read"}, "invalid_email"),
    ({"group": "No such group", "role": "read"}, "unknown_group"),
    ({"user_email": "sam@example.test", "group": "Billing", "role": "read"}, "invalid_grantee"),
    ({"role": "read"}, "invalid_grantee"),
    ({"user_email": "sam@example.test"}, "invalid_request"),
    ({"user_email": ["sam@example.test"], "role": "read"}, "invalid_request"),
])
def test_bad_grants_are_refused_clearly(client, team, body, code):
    before = count(client, CollectionGrant)
    error = assert_error_shape(client.post("/api/collections/secret/access", json=body, headers=team["h"]["ada"]),
                               400, code)
    assert error["message"]
    assert count(client, CollectionGrant) == before


def test_bad_paths_and_bodies(client, team):
    h = team["h"]["ada"]
    assert_error_shape(client.get("/api/collections/nothing-here/access", headers=h), 404, "not_found")
    assert_error_shape(client.put("/api/collections/secret/restricted", json={"restricted": "maybe"}, headers=h), 400,
                       "invalid_request")
    elsewhere = team["f"].collection("elsewhere", verifier=team["people"]["ada"])
    line = client.post(f"/api/collections/{elsewhere.slug}/access", json={"user_email": "sam@example.test",
                                                                          "role": "read"}, headers=h).json()
    assert_error_shape(client.delete(f"/api/collections/secret/access/{line['id']}", headers=h), 404, "not_found")
    assert_error_shape(client.delete("/api/collections/secret/access/999999", headers=h), 404, "not_found")
    assert_error_shape(client.get("/api/collections/secret/access"), 401, "not_authenticated")
