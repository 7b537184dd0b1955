"""The audit log, readable: fact changes and sign-ins are recorded with what changed, and
admins (only) filter the log, page through it and download it as CSV, from the API and the
admin page. Nothing can change it: its routes only read."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "pw-for-tests"


@pytest.fixture
def world(client):
    f = client.factory
    admin = f.user("Alex Admin", role="admin", email="admin@example.test", password=PASSWORD)
    agent = f.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    customer = f.customer("Northwind Traders", emails=["maria@northwind.example"])
    return {"f": f, "admin": admin, "agent": agent, "customer": customer,
            "as_admin": f.headers(admin), "as_agent": f.headers(agent)}


def _events(client, world, **params):
    response = client.get("/api/audit", params=params, headers=world["as_admin"])
    assert response.status_code == 200, response.text
    return response.json()


def test_fact_changes_are_recorded_with_what_changed(client, world):
    cid = world["customer"].id
    fact = client.post(f"/api/customers/{cid}/facts", headers=world["as_agent"],
                       json={"text": "Renews on 1 March.", "pinned": True}).json()
    client.put(f"/api/facts/{fact['id']}", headers={**world["as_agent"], "If-Match": '"1"'},
               json={"text": "Renews on 1 April."})
    client.delete(f"/api/facts/{fact['id']}", headers=world["as_admin"])
    found = _events(client, world, target_type="fact")["events"]
    assert [(e["action"], e["actor"]["email"]) for e in found] == [
        ("delete", "admin@example.test"), ("edit", "sam@example.test"), ("create", "sam@example.test")]
    deleted, edited, created = found
    assert created["details"]["after"]["text"] == "Renews on 1 March."
    assert edited["details"]["before"] == {"text": "Renews on 1 March."}
    assert edited["details"]["after"] == {"text": "Renews on 1 April."}
    assert deleted["details"]["before"]["text"] == "Renews on 1 April." and deleted["target"] == "Renews on 1 April."


def test_sign_ins_and_refusals_are_recorded_without_the_password(client, world):
    sign_in(client, "sam@example.test", PASSWORD)
    client.cookies.clear()
    wrong = post_form(client, "/sign-in", {"email": "sam@example.test", "password": "not-it", "next": "/cards"},
                      page="/sign-in")
    assert wrong.status_code == 401
    post_form(client, "/sign-in", {"email": "nobody@example.test", "password": "x", "next": "/cards"}, page="/sign-in")
    found = _events(client, world, action="sign_in_failed")["events"]
    assert [(e["details"]["email"], e["details"]["reason"]) for e in found] == [
        ("nobody@example.test", "no such account"), ("sam@example.test", "wrong password")]
    assert "not-it" not in str(found)
    [ok] = _events(client, world, action="sign_in")["events"]
    assert ok["actor"]["email"] == "sam@example.test" and ok["details"] == {"method": "password"}


def test_admins_filter_page_and_download_and_nobody_else_reads_it(client, world):
    cid = world["customer"].id
    for n in range(5):
        client.post(f"/api/customers/{cid}/facts", headers=world["as_agent"], json={"text": f"=cmd|' /C calc'!A{n}"})
    first = _events(client, world, actor="sam@", target_type="fact", limit=2)
    assert len(first["events"]) == 2 and first["next_before"]
    second = _events(client, world, actor="sam@", target_type="fact", limit=2, before=first["next_before"])
    assert {e["id"] for e in first["events"]}.isdisjoint({e["id"] for e in second["events"]})
    assert _events(client, world, since="2000-01-01", until="2000-01-02")["events"] == []
    assert _events(client, world, actor="nobody")["events"] == []
    assert client.get("/api/audit", params={"since": "yesterday"}, headers=world["as_admin"]).status_code == 400
    assert client.get("/api/audit", params={"before": str(2**70)}, headers=world["as_admin"]).status_code == 400
    assert client.get("/api/audit", headers=world["as_agent"]).status_code == 403
    assert client.get("/api/audit/csv", headers=world["as_agent"]).status_code == 403

    download = client.get("/api/audit/csv", params={"target_type": "fact"}, headers=world["as_admin"])
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0] == ["time", "actor_email", "actor_name", "action", "target_type", "target_id", "target", "details"]
    assert len(rows) == 6 and all(r[6].startswith("'=cmd") for r in rows[1:])  # never run as a formula

    paths = client.get("/schema/openapi.json").json()["paths"]
    assert {method for path, item in paths.items() if path.startswith("/api/audit") for method in item} == {"get"}


def test_the_admin_page_shows_filters_and_downloads(client, world):
    client.post(f"/api/customers/{world['customer'].id}/facts", headers=world["as_agent"], json={"text": "<b>x</b>"})
    sign_in(client, "sam@example.test", PASSWORD)
    assert client.get("/admin/audit", headers=HTML).status_code == 403
    client.cookies.clear()
    sign_in(client, "admin@example.test", PASSWORD)
    page = client.get("/admin/audit", params={"target_type": "fact"}, headers=HTML)
    assert page.status_code == 200
    assert "Audit log" in page.text and "&lt;b&gt;x&lt;/b&gt;" in page.text and "<b>x</b>" not in page.text
    assert 'href="/admin/audit.csv?target_type=fact"' in page.text
    download = client.get("/admin/audit.csv", params={"target_type": "fact"})
    assert download.status_code == 200 and "&lt;" not in download.text and "<b>x</b>" in download.text


def test_the_database_itself_refuses_to_change_or_delete_an_event(client, world):
    client.post(f"/api/customers/{world['customer'].id}/facts", headers=world["as_agent"], json={"text": "x"})
    for statement in ("UPDATE auditevent SET action = 'nothing'", "DELETE FROM auditevent"):
        with client.factory.db.session() as s, pytest.raises(DBAPIError, match="append-only"):
            s.exec(text(statement))
            s.commit()
    assert [e["action"] for e in _events(client, world, target_type="fact")["events"]] == ["create"]
