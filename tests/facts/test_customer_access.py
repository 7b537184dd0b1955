"""Restricted customers (key accounts): only the members of their groups read them and their
facts, admins included; to everyone else they answer exactly like a customer that does not
exist, and are left out of lists, searches, the sidebar's context and the queue. Admins set
and clear the restriction, audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from server.accounts.groups import add_member
from server.accounts.models import Group, User
from server.accounts.service import group_ids_of
from server.audit.service import events_for
from server.errors import Invalid
from server.facts import customers
from server.facts.models import Customer
from server.facts.restriction import restrict_customer
from server.facts.service import restricted_to
from server.policies.facts import may_read_customer, readable_customers


@pytest.fixture
def desk(client):
    f = client.factory
    world = f.key_account_desk(fact="Renewal talks in March: only the account lead promises discounts.")
    admin, sam, kim, lead = world["ada"], world["sam"], world["kim"], world["lou"]
    return {"f": f, "globex": world["globex"], "northwind": world["northwind"], "fact": world["fact"], "admin": admin,
            "sam": sam, "as_admin": f.headers(admin), "as_sam": f.headers(sam), "as_kim": f.headers(kim),
            "as_lead": f.headers(lead)}


def _restriction_events(client, customer_id: int) -> list[tuple]:
    with client.factory.db.session() as s:
        return [(e.actor_id, e.details["before"], e.details["after"]) for e in events_for(s, "customer", customer_id)
                if e.action == "customer_restricted"]


@pytest.mark.parametrize("who", ["as_kim", "as_admin"])
def test_a_restricted_customer_answers_like_one_that_does_not_exist(client, desk, who):
    """A member outside its groups, and an admin outside them too, get the very 404 of a missing id."""
    headers, cid, fid = desk[who], desk["globex"].id, desk["fact"].id
    missing = client.get("/api/customers/999999", headers=headers).json()["error"]
    for response, expected in (
            (client.get(f"/api/customers/{cid}", headers=headers), f"There is no customer {cid}."),
            (client.get(f"/api/customers/{cid}/facts", headers=headers), f"There is no customer {cid}."),
            (client.post(f"/api/customers/{cid}/facts", headers=headers, json={"text": "x"}),
             f"There is no customer {cid}."),
            (client.put(f"/api/facts/{fid}", headers={**headers, "If-Match": "1"}, json={"text": "x"}),
             f"There is no quick fact {fid}."),
            (client.delete(f"/api/facts/{fid}", headers=headers), f"There is no quick fact {fid}.")):
        assert response.status_code == 404, response.text
        error = response.json()["error"]
        assert (error["code"], error["message"], error["detail"]) == (missing["code"], expected, missing["detail"])
    facts = client.get(f"/api/customers/{cid}/facts", headers=desk["as_sam"]).json()
    assert [f["text"] for f in facts] == [desk["fact"].text]  # nothing was added, changed or deleted


@pytest.mark.parametrize("query", ["", "globex", "GLOB", "hank@glob", "globex.example"])
def test_a_restricted_customer_is_left_out_of_lists_and_searches(client, desk, query):
    def names(headers) -> list[str]:
        response = client.get("/api/customers", params={"q": query}, headers=headers)
        assert response.status_code == 200
        return [c["name"] for c in response.json()]

    assert "Globex" not in names(desk["as_kim"]) and "Globex" not in names(desk["as_admin"])
    assert "Globex" in names(desk["as_sam"]) and "Globex" in names(desk["as_lead"])
    if not query:
        assert names(desk["as_kim"]) == ["Northwind Traders"]


@pytest.mark.parametrize("email", ["hank@globex.example", "someone.else@globex.example"])
def test_the_sidebar_shows_a_restricted_customer_only_to_its_groups(client, desk, email):
    body = {"emails": [email], "subject": "Renewal", "text": "Can we talk about the price?"}
    outsider = client.post("/api/context", headers=desk["as_kim"], json=body)
    assert outsider.status_code == 200, outsider.text
    assert outsider.json()["customer"] is None and outsider.json()["facts"] == []
    assert client.post("/api/context", headers=desk["as_admin"], json=body).json()["customer"] is None
    member = client.post("/api/context", headers=desk["as_sam"], json=body).json()
    assert member["customer"]["name"] == "Globex" and member["customer"]["restricted_to"] == ["Key accounts"]
    assert [f["text"] for f in member["facts"]] == [desk["fact"].text]


def test_a_hidden_match_does_not_stop_the_customer_the_person_reads(client, desk):
    """The first address belongs to a customer the person may not read: the next one still matches."""
    body = {"emails": ["hank@globex.example", "maria@northwind.example"]}
    assert client.post("/api/context", headers=desk["as_kim"], json=body).json()["customer"]["name"] == \
        "Northwind Traders"
    assert client.post("/api/context", headers=desk["as_sam"], json=body).json()["customer"]["name"] == "Globex"


def test_a_group_member_reads_and_keeps_the_facts(client, desk):
    cid, h = desk["globex"].id, desk["as_sam"]
    shown = client.get(f"/api/customers/{cid}", headers=h)
    assert shown.status_code == 200 and shown.json()["restricted_to"] == ["Key accounts"]
    added = client.post(f"/api/customers/{cid}/facts", headers=desk["as_lead"], json={"text": "Signed for 3 years."})
    assert added.status_code == 201, added.text
    assert added.json()["can"] == {"edit": True, "delete": True}
    fact = added.json()
    assert client.get(f"/api/customers/{cid}/facts", headers=h).json()[0]["can"] == {"edit": True, "delete": False}
    edited = client.put(f"/api/facts/{fact['id']}", headers={**h, "If-Match": '"1"'}, json={"text": "Signed for 2."})
    assert edited.status_code == 200 and edited.json()["text"] == "Signed for 2."
    assert client.delete(f"/api/facts/{desk['fact'].id}", headers=h).status_code == 204  # Sam's own fact
    assert [f["text"] for f in client.get(f"/api/customers/{cid}/facts", headers=h).json()] == ["Signed for 2."]
    open_one = client.get(f"/api/customers/{desk['northwind'].id}", headers=h).json()
    assert open_one["restricted_to"] == []


def test_only_admins_restrict_and_clear_and_each_change_is_audited(client, desk):
    cid, path = desk["northwind"].id, f"/api/customers/{desk['northwind'].id}/access"
    refused = client.put(path, headers=desk["as_sam"], json={"groups": ["Key accounts"]})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.put("/api/customers/999999/access", headers=desk["as_sam"], json={"groups": []}).status_code == 403
    assert client.get(f"/api/customers/{cid}", headers=desk["as_kim"]).status_code == 200
    assert _restriction_events(client, cid) == []

    restricted = client.put(path, headers=desk["as_admin"], json={"groups": ["Key accounts", "Finance"]})
    assert restricted.status_code == 200, restricted.text
    assert restricted.json() == {"customer_id": cid, "groups": ["Finance", "Key accounts"]}
    assert client.get(f"/api/customers/{cid}", headers=desk["as_kim"]).status_code == 404
    assert client.get(f"/api/customers/{cid}", headers=desk["as_sam"]).json()["restricted_to"] == \
        ["Finance", "Key accounts"]

    cleared = client.put(path, headers=desk["as_admin"], json={"groups": []})
    assert cleared.status_code == 200 and cleared.json()["groups"] == []
    assert client.get(f"/api/customers/{cid}", headers=desk["as_kim"]).json()["restricted_to"] == []
    admin = desk["admin"].id
    assert _restriction_events(client, cid) == [(admin, [], ["Finance", "Key accounts"]),
                                                (admin, ["Finance", "Key accounts"], [])]


def test_an_admin_manages_a_customer_they_may_not_read(client, desk):
    """Ada is not in Key accounts, so Globex is hidden from her, yet she may open it up again."""
    cid = desk["globex"].id
    assert client.get(f"/api/customers/{cid}", headers=desk["as_admin"]).status_code == 404
    opened = client.put(f"/api/customers/{cid}/access", headers=desk["as_admin"], json={"groups": []})
    assert opened.status_code == 200 and opened.json() == {"customer_id": cid, "groups": []}
    assert client.get(f"/api/customers/{cid}", headers=desk["as_admin"]).status_code == 200
    assert client.put("/api/customers/999999/access", headers=desk["as_admin"], json={"groups": []}).status_code == 404


@pytest.mark.parametrize("groups", [["Key accounts", "Nobody"], ["key accounts"]])
def test_an_unknown_group_is_refused_and_nothing_changes(client, desk, groups):
    cid = desk["northwind"].id
    response = client.put(f"/api/customers/{cid}/access", headers=desk["as_admin"], json={"groups": groups})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "unknown_group" and "nothing was changed" in error["message"]
    assert groups[-1] in error["message"] and error["detail"]["unknown"] == [groups[-1]]
    assert client.get(f"/api/customers/{cid}", headers=desk["as_kim"]).json()["restricted_to"] == []
    assert _restriction_events(client, cid) == []


@pytest.mark.parametrize("body", [{}, {"groups": "Key accounts"}, {"groups": ["x" * 201]},
                                  {"groups": [f"g{n}" for n in range(101)]}])
def test_a_malformed_access_body_is_400(client, desk, body):
    response = client.put(f"/api/customers/{desk['northwind'].id}/access", headers=desk["as_admin"], json=body)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_request"


def test_a_reminder_on_a_customer_restricted_since_leaves_the_queue(client, desk):
    f, northwind = desk["f"], desk["northwind"]
    kim = client.get("/api/me", headers=desk["as_kim"]).json()
    with f.db.session() as s:
        author = s.get(User, kim["id"])
    f.fact(northwind, author, "Back from leave?", remind_at=date(2020, 1, 2))
    assert [x["text"] for x in client.get("/api/queue", headers=desk["as_kim"]).json()["facts"]] == ["Back from leave?"]
    client.put(f"/api/customers/{northwind.id}/access", headers=desk["as_admin"], json={"groups": ["Finance"]})
    assert client.get("/api/queue", headers=desk["as_kim"]).json()["facts"] == []


def test_an_address_of_a_hidden_customer_is_refused_without_naming_it(client, desk):
    f = desk["f"]
    with f.db.session() as s:
        kim = s.exec(select(User).where(User.name == "Kim Agent")).one()
        with pytest.raises(Invalid) as refused:
            customers.create_customer(s, actor=kim, name="Hank's shop", emails=["hank@globex.example"])
    assert "another customer" in refused.value.message and "Globex" not in refused.value.message
    assert refused.value.detail == {}
    with f.db.session() as s:
        with pytest.raises(Invalid, match="belongs to Globex"):
            customers.create_customer(s, actor=desk["sam"], name="Hank's shop", emails=["hank@globex.example"])


def test_the_sql_filter_agrees_with_the_rule(client, desk):
    """Lists filter with `readable_customers` in SQL; single customers ask `may_read_customer`.
    For every kind of person and customer the two give the same answer."""
    f = desk["f"]
    both = f.customer("Initech")
    with f.db.session() as s:
        restrict_customer(s, actor=desk["admin"], customer_id=both.id, groups=["Key accounts", "Finance"])
        gone = f.user("Gone Member")
        add_member(s, actor=desk["admin"], group_id=_group_id(s, "Key accounts"), email=gone.email)
    with f.db.session() as s:
        gone = s.get(User, gone.id)
        gone.active = False
        s.add(gone)
        s.commit()
        people = list(s.exec(select(User)))
        every = list(s.exec(select(Customer)))
        assert len(people) == 5 and len(every) == 3
        for person in people:
            by_sql = set(s.exec(select(Customer.id).where(readable_customers(person))))
            by_rule = {c.id for c in every
                       if may_read_customer(person, restricted_to(s, c.id), group_ids_of(s, person))}
            assert by_sql == by_rule, person.name
        readers = {p.name for p in people if desk["globex"].id in
                   set(s.exec(select(Customer.id).where(readable_customers(p))))}
        assert readers == {"Sam Keyaccounts", "Lou Lead"}


def _group_id(session, name: str) -> int:
    return session.exec(select(Group.id).where(Group.name == name)).one()
