"""POST /api/customers/bulk: many customers and facts at once, JSON or CSV, idempotent by
external id else email; bad rows are reported and skipped, the rest saved in one transaction;
a customer the uploader may not read is never revealed."""

import pytest

CRM_CSV = (
    "Name,Email,Domains,Handles,External ID:crm,Facts,Pinned facts,Owner\r\n"
    "Northwind Traders,maria@northwind.example,northwind.example,@northwind_it; +49 30 1234 5678,4711,"
    "\"Pays by invoice.\nRenews in March.\",Enterprise plan.,Kim\r\n"
    "Contoso,li@contoso.example;ola@contoso.example,,,4712,,,Lee\r\n"
)


@pytest.fixture
def world(client):
    f = client.factory
    agent, admin = f.user("Sam Agent"), f.user("Alex Admin", role="admin")
    return {"f": f, "as_agent": f.headers(agent), "as_admin": f.headers(admin), "admin": admin}


def _csv(client, headers, text):
    return client.post("/api/customers/bulk", headers={**headers, "content-type": "text/csv"}, content=text)


def _customers(client, headers):
    return {c["name"]: c for c in client.get("/api/customers", headers=headers).json()}


def test_a_crm_csv_is_imported_and_a_second_run_changes_nothing(client, world):
    first = _csv(client, world["as_admin"], CRM_CSV)
    assert first.status_code == 200, first.text
    report = first.json()
    assert report["counts"] == {"added": 2, "changed": 0, "unchanged": 0, "skipped": 0}
    assert [(r["row"], r["name"]) for r in report["added"]] == [(2, "Northwind Traders"), (4, "Contoso")]
    assert report["notes"] == ["Columns ignored (Vouch does not know them): owner."]
    found = _customers(client, world["as_admin"])
    northwind = found["Northwind Traders"]
    assert (northwind["emails"], northwind["domains"], northwind["handles"], northwind["external_ids"]) == (
        ["maria@northwind.example"], ["northwind.example"], ["+493012345678", "northwind_it"], {"crm": "4711"})
    assert found["Contoso"]["emails"] == ["li@contoso.example", "ola@contoso.example"]
    facts = client.get(f"/api/customers/{northwind['id']}/facts", headers=world["as_admin"]).json()
    assert [(x["text"], x["pinned"]) for x in facts][0] == ("Enterprise plan.", True)
    assert sorted(x["text"] for x in facts) == ["Enterprise plan.", "Pays by invoice.", "Renews in March."]
    again = _csv(client, world["as_admin"], CRM_CSV).json()
    assert again["counts"] == {"added": 0, "changed": 0, "unchanged": 2, "skipped": 0}
    assert len(client.get(f"/api/customers/{northwind['id']}/facts", headers=world["as_admin"]).json()) == 3


def test_json_finds_by_external_id_then_email_and_reports_each_row(client, world):
    h = world["as_admin"]
    client.post("/api/customers", headers=h, json={"name": "Northwind", "emails": ["maria@northwind.example"],
                                                   "external_ids": {"crm": "1"}})
    client.post("/api/customers", headers=h, json={"name": "Contoso", "emails": ["li@contoso.example"]})
    rows = [
        {"name": "Northwind Traders", "external_ids": {"crm": "1"}, "facts": [{"text": "VIP.", "pinned": True}]},
        {"name": "Contoso Ltd", "emails": ["li@contoso.example"], "external_ids": {"crm": "2"}},
        {"name": "Fabrikam", "emails": ["x@fabrikam.example"], "handles": ["fabrikam_ops"]},
        {"name": "", "emails": ["y@y.example"]},
        {"name": "Bad", "emails": ["not an address"]},
        {"name": "Free", "domains": ["gmail.com"]},
        {"name": "Taken", "emails": ["z@z.example"], "handles": ["fabrikam_ops"]},
        "not an object",
        {"name": "Bad facts", "facts": [5]},
    ]
    response = client.post("/api/customers/bulk", headers=h, json=rows)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["counts"] == {"added": 1, "changed": 2, "unchanged": 0, "skipped": 6}
    assert [r["name"] for r in report["changed"]] == ["Northwind Traders", "Contoso Ltd"]
    reasons = {r["row"]: r["reason"] for r in report["skipped"]}
    assert reasons[4] == "A customer needs a name."
    assert "not an email address" in reasons[5] and "free-mail" in reasons[6]
    assert reasons[7].startswith("The handle fabrikam_ops belongs to Fabrikam already")
    assert set(reasons) == {4, 5, 6, 7, 8, 9}
    found = _customers(client, h)
    assert found["Contoso Ltd"]["external_ids"] == {"crm": "2"}
    assert sorted(found) == ["Contoso Ltd", "Fabrikam", "Northwind Traders"]


def test_only_admins_import_and_unreadable_files_change_nothing(client, world):
    assert client.post("/api/customers/bulk", headers=world["as_agent"], json=[{"name": "A"}]).status_code == 403
    for content, kind in (("no header here\nA\n", "text/csv"), (b"\xff\xfe\x00", "text/csv"),
                          ("{not json", "application/json"), ('{"name": "A"}', "application/json")):
        refused = client.post("/api/customers/bulk", headers={**world["as_admin"], "content-type": kind},
                              content=content)
        assert refused.status_code == 400, (content, refused.text)
        assert refused.json()["error"]["code"] in ("invalid_csv", "invalid_json", "invalid_import")
    too_many = client.post("/api/customers/bulk", headers=world["as_admin"], json=[{"name": "A"}] * 5001)
    assert too_many.status_code in (400, 413)
    assert _customers(client, world["as_admin"]) == {}


def test_a_customer_the_uploader_may_not_read_is_not_revealed(client, world):
    from server.accounts.groups import create_group
    from server.facts.restriction import restrict_customer

    f, h = world["f"], world["as_admin"]
    secret = client.post("/api/customers", headers=h, json={"name": "Key account", "emails": ["ceo@key.example"],
                                                            "external_ids": {"crm": "9"}}).json()
    with f.db.session() as s:
        create_group(s, actor=world["admin"], name="Key accounts")
        restrict_customer(s, actor=world["admin"], customer_id=secret["id"], groups=["Key accounts"])
    report = client.post("/api/customers/bulk", headers=h, json=[
        {"name": "Renamed", "external_ids": {"crm": "9"}, "facts": ["Leaked?"]},
        {"name": "Another", "emails": ["ceo@key.example"]},
        {"name": "Open one", "emails": ["a@open.example"]}]).json()
    assert report["counts"] == {"added": 1, "changed": 0, "unchanged": 0, "skipped": 2}
    assert [r["reason"] for r in report["skipped"]] == [
        "The external id crm 9 belongs to another customer; ask an admin about it.",
        "The email address ceo@key.example belongs to another customer; ask an admin about it."]
    assert "Key account" not in str(report)
    assert [sorted(r) for r in report["skipped"]] == [["name", "reason", "row"]] * 2  # no id, no name of theirs
    with f.db.session() as s:
        from server.facts.models import Customer, QuickFact
        assert s.get(Customer, secret["id"]).name == "Key account"
        assert s.get(Customer, secret["id"]).version == 1
        assert [q.text for q in s.exec(QuickFact.__table__.select())] == []


def test_the_report_lists_a_bounded_number_of_rows_but_counts_all(client, world):
    rows = [{"name": f"Customer {n}", "emails": [f"c{n}@example.com"]} for n in range(150)]
    report = client.post("/api/customers/bulk", headers=world["as_admin"], json=rows).json()
    assert report["counts"]["added"] == 150 and len(report["added"]) == 100


def test_a_row_without_external_id_or_email_finds_its_customer_by_name(client, world):
    h = world["as_admin"]
    rows = [{"name": "Corner Shop", "handles": ["corner_shop"], "facts": ["Opens at 9."]}]
    assert client.post("/api/customers/bulk", headers=h, json=rows).json()["counts"]["added"] == 1
    again = client.post("/api/customers/bulk", headers=h, json=[{**rows[0], "name": "corner shop"}]).json()
    assert again["counts"] == {"added": 0, "changed": 1, "unchanged": 0, "skipped": 0}  # renamed, nothing doubled
    assert list(_customers(client, h)) == ["corner shop"]
