"""Customers over the API: create, update (If-Match), merge and delete, each refused to those
who may not, and a customer someone may not read is a 404 as if missing."""

from types import SimpleNamespace

import pytest
from sqlmodel import select

from server.audit.models import AuditEvent


@pytest.fixture
def world(client):
    f = client.factory
    agent, admin = f.user("Sam Agent"), f.user("Alex Admin", role="admin")
    northwind = f.customer("Northwind Traders", emails=["maria@northwind.example"], domains=["northwind.example"])
    return {"f": f, "agent": agent, "northwind": northwind, "as_agent": f.headers(agent), "as_admin": f.headers(admin)}


def test_create_read_and_update_with_a_version(client, world):
    created = client.post("/api/customers", headers=world["as_agent"], json={
        "name": "Contoso", "emails": ["Li@Contoso.example"], "domains": ["contoso.example"],
        "handles": ["@contoso_it", "+1 (555) 010-0199"], "external_ids": {"crm": "4711"}, "notes": "Since 2019."})
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["emails"], body["handles"], body["external_ids"], body["version"]) == (
        ["li@contoso.example"], ["+15550100199", "contoso_it"], {"crm": "4711"}, 1)
    assert created.headers["etag"] == '"1"'
    cid = body["id"]
    updated = client.put(f"/api/customers/{cid}", headers={**world["as_agent"], "If-Match": '"1"'},
                         json={"handles": ["contoso on slack"], "notes": ""})
    assert updated.status_code == 200, updated.text
    assert (updated.json()["name"], updated.json()["handles"], updated.json()["emails"], updated.json()["version"]) == (
        "Contoso", ["contoso on slack"], ["li@contoso.example"], 2)
    stale = client.put(f"/api/customers/{cid}", headers={**world["as_agent"], "If-Match": '"1"'}, json={"name": "X"})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "customer_conflict"
    assert stale.json()["error"]["detail"]["current"]["name"] == "Contoso"
    assert client.put(f"/api/customers/{cid}", headers=world["as_agent"], json={"name": "X"}).status_code == 428
    assert client.get(f"/api/customers/{cid}", headers=world["as_agent"]).json()["name"] == "Contoso"


@pytest.mark.parametrize("body, code", [
    ({"name": ""}, "invalid_name"),
    ({"name": "A", "emails": ["not an address"]}, "invalid_email"),
    ({"name": "A", "domains": ["gmail.com"]}, "free_mail_domain"),
    ({"name": "A", "emails": ["maria@northwind.example"]}, "customer_taken"),
    ({"name": "A", "external_ids": {"CRM system": "1"}}, "invalid_external_id"),
    ({"name": "A", "handles": ["x"] * 51}, "invalid_request"),
])
def test_bad_customers_are_refused_and_nothing_is_saved(client, world, body, code):
    response = client.post("/api/customers", headers=world["as_agent"], json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == code
    assert [c["name"] for c in client.get("/api/customers", headers=world["as_agent"]).json()] == ["Northwind Traders"]


def test_an_external_id_finds_one_customer(client, world):
    client.post("/api/customers", headers=world["as_agent"], json={"name": "A", "external_ids": {"crm": "1"}})
    again = client.post("/api/customers", headers=world["as_agent"], json={"name": "B", "external_ids": {"crm": "1"}})
    assert again.status_code == 400 and again.json()["error"]["code"] == "customer_taken"
    assert "belongs to A" in again.json()["error"]["message"]


def test_merge_moves_everything_and_is_audited(client, world):
    f, nid = world["f"], world["northwind"].id
    dup = client.post("/api/customers", headers=world["as_agent"], json={
        "name": "Northwind (old)", "emails": ["jonas@northwind.example"], "handles": ["nw_ops"],
        "external_ids": {"crm": "77", "zendesk": "5"}}).json()
    client.put(f"/api/customers/{nid}", headers={**world["as_agent"], "If-Match": "1"},
               json={"external_ids": {"crm": "12"}})
    f.fact(SimpleNamespace(id=dup["id"]), world["agent"], "Pays by card.")
    # A card put into one of the duplicate's conversations: analytics keep it as the kept one's.
    card = f.card(f.collection(), world["agent"], "Refunds")
    assert client.post(f"/api/cards/{card.id}/reply", headers=world["as_agent"], json={
        "action": "inserted", "customer_id": dup["id"], "conversation": "desk ticket 7"}).status_code == 200
    refused = client.post(f"/api/customers/{dup['id']}/merge", headers=world["as_agent"], json={"into": nid})
    assert refused.status_code == 403
    merged = client.post(f"/api/customers/{dup['id']}/merge", headers=world["as_admin"], json={"into": nid})
    assert merged.status_code == 200, merged.text
    kept = merged.json()
    assert kept["emails"] == ["jonas@northwind.example", "maria@northwind.example"]
    assert kept["handles"] == ["nw_ops"]
    assert kept["external_ids"] == {"crm": "12", "zendesk": "5"}  # the kept customer's crm id wins
    assert [x["text"] for x in client.get(f"/api/customers/{nid}/facts", headers=world["as_agent"]).json()] == [
        "Pays by card."]
    assert client.get(f"/api/customers/{dup['id']}", headers=world["as_agent"]).status_code == 404
    (row,) = client.get("/api/analytics/conversations", headers=world["as_admin"]).json()
    assert (row["conversation"], row["customer"], row["inserts"]) == ("desk ticket 7", "Northwind Traders", 1)
    with f.db.session() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "merge")).one()
    assert (event.target_id, event.details["merged_name"], event.details["moved"]["quickfact"]) == (
        nid, "Northwind (old)", 1)
    assert client.post(f"/api/customers/{nid}/merge", headers=world["as_admin"], json={"into": nid}).status_code == 400
    assert client.post(f"/api/customers/{nid}/merge", headers=world["as_admin"],
                       json={"into": 999_999}).status_code == 404


def test_delete_is_for_admins(client, world):
    nid = world["northwind"].id
    assert client.delete(f"/api/customers/{nid}", headers=world["as_agent"]).status_code == 403
    assert client.delete(f"/api/customers/{nid}", headers=world["as_admin"]).status_code == 204
    assert client.get(f"/api/customers/{nid}", headers=world["as_agent"]).status_code == 404
    assert client.delete(f"/api/customers/{nid}", headers=world["as_admin"]).status_code == 404


def test_merging_customers_read_by_different_groups_is_refused(client, world):
    from server.accounts.groups import add_member, create_group
    from server.facts.restriction import restrict_customer

    f = world["f"]
    admin = f.user("Kay Admin", role="admin")
    key = f.customer("Key account", emails=["ceo@key.example"])
    with f.db.session() as s:
        group = create_group(s, actor=admin, name="Key accounts")
        add_member(s, actor=admin, group_id=group.id, email=admin.email)
        restrict_customer(s, actor=admin, customer_id=key.id, groups=["Key accounts"])
    as_admin = f.headers(admin)
    refused = client.post(f"/api/customers/{key.id}/merge", headers=as_admin, json={"into": world["northwind"].id})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "customer_access_differs"
    # an admin outside the group gets the 404 of a missing customer, either way round
    for source, into in ((key.id, world["northwind"].id), (world["northwind"].id, key.id)):
        hidden = client.post(f"/api/customers/{source}/merge", headers=world["as_admin"], json={"into": into})
        assert hidden.status_code == 404
    assert client.get(f"/api/customers/{key.id}", headers=as_admin).json()["emails"] == ["ceo@key.example"]
