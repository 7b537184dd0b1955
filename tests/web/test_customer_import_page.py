"""The admins' CSV upload page for customers, through the real form (CSRF included): a report
of what was added, changed and skipped; members never reach it; a bad file imports nothing."""

from __future__ import annotations

import pytest

from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "pw-for-tests"
CRM = ("Name,Emails,External ID:crm,Handles,Facts\n"
       "Northwind Traders,maria@northwind.example,4711,northwind on slack,Pays by invoice.\n"
       "Broken,not-an-address,4712,,\n")


@pytest.fixture
def people(client):
    f = client.factory
    f.user("Ann Admin", role="admin", email="ann@example.test", password=PASSWORD)
    f.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    return client


def _upload(client, name: str, content: str):
    return post_form(client, "/customers/import", {}, page="/customers",
                     files={"file": (name, content.encode(), "text/csv")})


def test_an_admin_uploads_a_crm_csv_and_sees_the_report(people):
    client = sign_in(people, "ann@example.test", PASSWORD)
    assert 'href="/customers/import"' in client.get("/customers", headers=HTML).text
    form = client.get("/customers/import", headers=HTML)
    assert form.status_code == 200 and 'name="_csrf_token"' in form.text
    done = _upload(client, "crm.csv", CRM)
    assert done.status_code == 200, done.text
    assert "crm.csv: 1 added, 0 changed, 0 unchanged, 1 skipped" in done.text
    assert "“not-an-address” is not an email address" in done.text
    page = client.get("/customers", params={"q": "northwind"}, headers=HTML).text
    assert "Northwind Traders" in page and "Broken" not in page
    again = _upload(client, "crm.csv", CRM)
    assert "crm.csv: 0 added, 0 changed, 1 unchanged, 1 skipped" in again.text


def test_a_file_that_cannot_be_read_imports_nothing(people):
    client = sign_in(people, "ann@example.test", PASSWORD)
    refused = _upload(client, "crm.csv", "just,some,words\n1,2,3\n")
    assert refused.status_code == 400
    assert "must name its columns" in refused.text and "Nothing was imported from crm.csv" in refused.text
    missing = post_form(client, "/customers/import", {}, page="/customers")
    assert missing.status_code in (400, 415)


def test_members_cannot_import(people):
    client = sign_in(people, "sam@example.test", PASSWORD)
    assert 'href="/customers/import"' not in client.get("/customers", headers=HTML).text
    assert client.get("/customers/import", headers=HTML).status_code == 403
    assert _upload(client, "crm.csv", CRM).status_code == 403
    assert "Northwind" not in client.get("/customers", headers=HTML).text


def test_the_form_needs_its_csrf_token(people):
    client = sign_in(people, "ann@example.test", PASSWORD)
    forged = client.post("/customers/import", files={"file": ("crm.csv", CRM.encode(), "text/csv")},
                         headers=HTML, follow_redirects=False)
    assert forged.status_code == 403
    assert "Northwind" not in client.get("/customers", headers=HTML).text


def test_handles_are_edited_on_the_customer_form(people):
    client = sign_in(people, "sam@example.test", PASSWORD)
    created = post_form(client, "/customers", {"name": "Contoso", "emails": "", "domains": "",
                                               "handles": "Contoso IT, on chat\n+1 555 010 0199"}, page="/customers/new")
    assert created.status_code == 303, created.text
    page = client.get(created.headers["location"], headers=HTML).text
    assert "contoso it, on chat" in page and "+15550100199" in page
    edit = client.get(created.headers["location"] + "/edit", headers=HTML).text
    assert "+15550100199\ncontoso it, on chat</textarea>" in edit
