"""Renaming and deleting a group: admins only, audited; a delete leaves nothing naming the group
and hands its cards on, and is refused, changing nothing, where it would leave a restricted
collection without an owner, open a key account to every member, or fight the company's sign-in."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from server.accounts import group_deletion, groups, oidc
from server.accounts.models import Group, GroupMember, User
from server.audit.models import AuditEvent
from server.cards.models import Card, CollectionGrant
from server.db import one_action
from server.errors import Forbidden, Invalid
from server.facts.models import CustomerAccess
from tests.factories import count, events
from tests.test_error_shape import assert_error_shape
from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "correct horse"


@pytest.fixture
def people(client):
    f = client.factory
    return {"boss": f.user("Boss", role="admin", email="boss@example.test", password=PASSWORD),
            "ada": f.user("Ada", email="ada@example.test", password=PASSWORD),
            "sam": f.user("Sam", email="sam@example.test", password=PASSWORD)}


def make_group(client, boss: User, name: str, *members: User) -> int:
    with client.factory.db.session() as s:
        group = groups.create_group(s, actor=boss, name=name)
        for member in members:
            groups.add_member(s, actor=boss, group_id=group.id, email=member.email)
        return group.id


def grant(client, collection, role: str, *, group_id: int | None = None, user: User | None = None) -> None:
    with client.factory.db.session() as s:
        s.add(CollectionGrant(collection_id=collection.id, role=role, group_id=group_id,
                              user_id=user.id if user else None))
        s.commit()


def verified_by_group(client, card: Card, group_id: int, *, archived: bool = False) -> None:
    with client.factory.db.session() as s:
        row = s.get(Card, card.id)
        row.verifier_id, row.verifier_group_id = None, group_id
        if archived:
            row.status = "archived"
        s.add(row)
        s.commit()


def naming(client, group_id: int) -> dict[str, int]:
    """Every row that refers to the group."""
    return {"group": count(client, Group, Group.id == group_id),
            "members": count(client, GroupMember, GroupMember.group_id == group_id),
            "grants": count(client, CollectionGrant, CollectionGrant.group_id == group_id),
            "customers": count(client, CustomerAccess, CustomerAccess.group_id == group_id),
            "cards": count(client, Card, Card.verifier_group_id == group_id)}


def test_rename_keeps_the_group_s_access_and_is_audited(client, people):
    f, boss = client.factory, people["boss"]
    billing = make_group(client, boss, "Billing", people["sam"])
    secret = f.collection("secret", verifier=people["ada"])
    f.restrict(secret)
    grant(client, secret, "read", group_id=billing)
    renamed = client.put(f"/api/groups/{billing}", json={"name": "  Billing\n team "}, headers=f.headers(boss))
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Billing team" and [m["id"] for m in renamed.json()["members"]] == \
        [people["sam"].id]
    assert naming(client, billing)["grants"] == 1
    [event] = events(client, "group_renamed")
    assert (event.actor_id, event.target_id, event.details["before"], event.details["after"]) == \
        (boss.id, billing, "Billing", "Billing team")
    assert client.put(f"/api/groups/{billing}", json={"name": "Billing team"},
                      headers=f.headers(boss)).status_code == 200
    assert len(events(client, "group_renamed")) == 1  # the same name writes nothing
    assert_error_shape(client.put(f"/api/groups/{billing}", json={"name": " \n"}, headers=f.headers(boss)),
                       400, "invalid_name")
    assert_error_shape(client.put("/api/groups/999999", json={"name": "X"}, headers=f.headers(boss)), 404,
                       "not_found")


def test_a_name_another_group_has_is_refused(client, people):
    f, boss = client.factory, people["boss"]
    billing = make_group(client, boss, "Billing")
    make_group(client, boss, "Support")
    assert_error_shape(client.put(f"/api/groups/{billing}", json={"name": "Support"}, headers=f.headers(boss)),
                       409, "group_exists")
    with f.db.session() as s:
        assert s.get(Group, billing).name == "Billing"
    assert events(client, "group_renamed") == []


def test_delete_leaves_nothing_naming_the_group(client, people):
    f, boss, sam = client.factory, people["boss"], people["sam"]
    billing = make_group(client, boss, "Billing", sam, people["ada"])
    secret, kb = f.collection("secret", verifier=people["ada"]), f.collection("kb")
    f.restrict(secret)
    grant(client, secret, "own", group_id=billing)  # the default verifier owns it too
    grant(client, kb, "edit", group_id=billing)
    shared = f.customer("Contoso")
    other = f.key_account(shared, "Key accounts", members=[sam])
    with f.db.session() as s:
        s.add(CustomerAccess(customer_id=shared.id, group_id=billing))
        s.commit()
    assert client.delete(f"/api/groups/{billing}", headers=f.headers(boss)).status_code == 204
    assert naming(client, billing) == {"group": 0, "members": 0, "grants": 0, "customers": 0, "cards": 0}
    assert count(client, CustomerAccess, CustomerAccess.customer_id == shared.id) == 1  # still a key account
    assert naming(client, other)["customers"] == 1
    [event] = events(client, "group_deleted")
    assert (event.actor_id, event.target_id, event.details["name"]) == (boss.id, billing, "Billing")
    before = event.details["before"]
    assert sorted(before["members"]) == sorted([sam.id, people["ada"].id]) and before["customers"] == [shared.id]
    assert before["grants"] == [{"collection_id": secret.id, "role": "own"}, {"collection_id": kb.id, "role": "edit"}]
    assert event.details["after"] is None
    revoked = {(e.target_id, e.details["role"], e.details["reason"]) for e in events(client, "access_revoked")}
    assert revoked == {(secret.id, "own", "group deleted"), (kb.id, "edit", "group deleted")}
    [narrowed] = [e for e in events(client, "customer_restricted") if e.target_id == shared.id]
    assert (narrowed.details["before"], narrowed.details["after"]) == (["Billing", "Key accounts"], ["Key accounts"])
    assert client.get("/api/audit?action=group_deleted", headers=f.headers(boss)).json()["events"][0]["target"] \
        == "Billing"
    assert_error_shape(client.delete(f"/api/groups/{billing}", headers=f.headers(boss)), 404, "not_found")


def test_the_last_owner_of_a_restricted_collection_is_not_deleted(client, people):
    f, boss = client.factory, people["boss"]
    legal = make_group(client, boss, "Legal", people["sam"])
    contracts, policies = f.collection("contracts"), f.collection("policies")  # no default verifier
    for collection in (contracts, policies):
        f.restrict(collection)
        grant(client, collection, "own", group_id=legal)
    grant(client, policies, "own", user=people["ada"])  # policies has another owner
    headers = f.headers(boss)  # a new token is audited: made before counting
    before, audited = naming(client, legal), count(client, AuditEvent)
    refused = client.delete(f"/api/groups/{legal}", headers=headers)
    assert_error_shape(refused, 400, "no_owner")
    message = refused.json()["error"]["message"]
    assert "“contracts”" in message and "policies" not in message
    assert [c["slug"] for c in refused.json()["error"]["detail"]["collections"]] == ["contracts"]
    assert naming(client, legal) == before and count(client, AuditEvent) == audited


def test_the_only_group_of_a_key_account_is_not_deleted(client, people):
    f, boss = client.factory, people["boss"]
    mine, hidden = f.customer("Northwind Traders"), f.customer("Fabrikam")
    keys = f.key_account(mine, "Key accounts", members=[boss])
    with f.db.session() as s:
        s.add(CustomerAccess(customer_id=hidden.id, group_id=keys))
        s.commit()
    before, audited = naming(client, keys), count(client, AuditEvent)
    with f.db.session() as s:  # the service itself, as the page and the API call it
        with pytest.raises(Invalid) as refused:
            group_deletion.delete_group(s, actor=s.get(User, boss.id), group_id=keys)
    assert refused.value.code == "key_account_would_open"
    assert naming(client, keys) == before and count(client, AuditEvent) == audited
    # Boss is in the group, so reads both: the message names them. Out of it, only by id.
    with f.db.session() as s:
        s.delete(s.get(GroupMember, (keys, boss.id)))
        s.add(GroupMember(group_id=keys, user_id=people["sam"].id))
        s.commit()
    answer = client.delete(f"/api/groups/{keys}", headers=f.headers(boss))
    assert_error_shape(answer, 400, "key_account_would_open")
    assert "Fabrikam" not in answer.text and f"customer {hidden.id}" in answer.json()["error"]["message"]
    assert answer.json()["error"]["detail"]["customers"] == [{"id": hidden.id, "name": None},
                                                             {"id": mine.id, "name": None}]
    assert naming(client, keys)["customers"] == 2


def test_delete_hands_the_cards_on(client, people):
    f, boss, ada, sam = client.factory, people["boss"], people["ada"], people["sam"]
    billing = make_group(client, boss, "Billing", sam)
    secret, kb = f.collection("secret", verifier=ada), f.collection("kb")  # kb: open, no default verifier
    f.restrict(secret)
    grant(client, secret, "read", group_id=billing)  # Sam reads secret only through Billing
    sams = f.card(secret, ada, title="Refund exceptions", verifier=sam)
    groups_card, archived = f.card(secret, ada, title="Chargebacks"), f.card(secret, ada, title="Old chargebacks")
    open_card = f.card(kb, ada, title="Seats")
    verified_by_group(client, groups_card, billing)
    verified_by_group(client, archived, billing, archived=True)
    verified_by_group(client, open_card, billing)
    with f.db.session() as s:
        s.get(Card, groups_card.id).assignee_id = sam.id
        s.commit()
    assert client.delete(f"/api/groups/{billing}", headers=f.headers(boss)).status_code == 204
    with f.db.session() as s:
        cards = {c.id: (c.verifier_id, c.verifier_group_id, c.assignee_id) for c in s.exec(select(Card))}
    assert cards[sams.id] == (ada.id, None, None)
    assert cards[groups_card.id] == cards[archived.id] == (ada.id, None, None)
    assert cards[open_card.id] == (boss.id, None, None)  # no owner in an open collection: the admin
    handed = {e.target_id: (e.details["reason"], e.details.get("from_group")) for e in events(client, "reassign")}
    assert handed == {sams.id: ("verifier lost access", None), groups_card.id: ("verifier group deleted", billing),
                      archived.id: ("verifier group deleted", billing), open_card.id: ("verifier group deleted",
                                                                                       billing)}
    assert events(client, "group_deleted")[0].details["cards_moved"] == 4


def test_a_group_the_company_sign_in_manages_is_neither_renamed_nor_deleted(client, people):
    f, boss, sam = client.factory, people["boss"], people["sam"]
    with f.db.session() as s, one_action(s):
        oidc._keep_groups_in_step(s, s.get(User, sam.id), ["Support"])
    with f.db.session() as s:
        support = s.exec(select(Group.id).where(Group.name == "Support")).one()
    before = naming(client, support)
    for response in (client.put(f"/api/groups/{support}", json={"name": "Helpdesk"}, headers=f.headers(boss)),
                     client.delete(f"/api/groups/{support}", headers=f.headers(boss))):
        assert_error_shape(response, 400, "group_from_sign_in")
        assert "identity provider" in response.json()["error"]["message"]
    assert naming(client, support) == before
    sign_in(client, "boss@example.test", PASSWORD)
    page = client.get("/admin/groups", headers=HTML).text
    assert f"/admin/groups/{support}/rename" not in page and f"/admin/groups/{support}/delete" not in page
    assert "manages this group" in page


def test_only_admins_rename_or_delete(client, people):
    f, sam = client.factory, people["sam"]
    billing = make_group(client, people["boss"], "Billing", sam)
    with f.db.session() as s:
        for call in (lambda: groups.rename_group(s, actor=sam, group_id=billing, name="Mine"),
                     lambda: group_deletion.delete_group(s, actor=sam, group_id=billing)):
            with pytest.raises(Forbidden):
                call()
    assert client.put(f"/api/groups/{billing}", json={"name": "Mine"}, headers=f.headers(sam)).status_code == 403
    assert client.delete(f"/api/groups/{billing}", headers=f.headers(sam)).status_code == 403
    sign_in(client, "sam@example.test", PASSWORD)
    assert post_form(client, f"/admin/groups/{billing}/rename", {"name": "Mine"}).status_code == 403
    assert post_form(client, f"/admin/groups/{billing}/delete", {}).status_code == 403
    with f.db.session() as s:
        assert s.get(Group, billing).name == "Billing"
    assert events(client, "group_renamed") == events(client, "group_deleted") == []


def test_the_page_renames_and_deletes_with_a_confirmation(client, people):
    boss = people["boss"]
    billing = make_group(client, boss, "Billing", people["sam"])
    make_group(client, boss, "Support")
    sign_in(client, "boss@example.test", PASSWORD)
    page = client.get("/admin/groups", headers=HTML).text
    assert f'action="/admin/groups/{billing}/rename"' in page and 'name="name"' in page
    delete_form = re.search(rf'action="/admin/groups/{billing}/delete">.*?</form>', page, re.S).group(0)
    assert "_csrf_token" in delete_form and 'data-confirm="Delete the group Billing?' in delete_form
    assert post_form(client, "/admin/groups/999999/delete", {}).status_code == 404
    taken = post_form(client, f"/admin/groups/{billing}/rename", {"name": "Support"})
    assert taken.status_code == 409 and "A group named Support exists already." in taken.text
    assert post_form(client, f"/admin/groups/{billing}/rename", {"name": "Billing team"}).status_code == 303
    page = client.get("/admin/groups", headers=HTML).text
    assert "The group is now called Billing team." in page and 'id="group-' in page and ">Billing team <" in page
    assert post_form(client, f"/admin/groups/{billing}/delete", {}).status_code == 303
    page = client.get("/admin/groups", headers=HTML).text
    assert "Group Billing team deleted" in page and f"/admin/groups/{billing}/rename" not in page
    assert naming(client, billing) == {"group": 0, "members": 0, "grants": 0, "customers": 0, "cards": 0}
