"""Adapter health: the extension reports which check of which adapter failed on which site
(and nothing of the page); admins see failures per site, a burst from one site on top."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from server.adapters.models import AdapterFailure
from server.clock import freeze
from tests.web.pages import HTML, sign_in

PASSWORD = "correct horse battery"
START = datetime(2026, 12, 4, 9, 0, tzinfo=timezone.utc)


def _report(check: str = "messages", host: str = "support.northwind.example", **extra) -> dict:
    return {"adapter": "zendesk", "adapter_version": "0.1.0", "host": host, "check": check, **extra}


@pytest.fixture
def people(client):
    f = client.factory
    agents = [f.user(f"Agent {n}") for n in range(4)]
    admin = f.user("Ann Admin", role="admin", email="ann@example.test", password=PASSWORD)
    return f, agents, admin


def test_a_report_keeps_only_adapter_version_host_and_check(client, people):
    f, agents, _ = people
    freeze(START)
    response = client.post("/api/adapter-health", headers=f.headers(agents[0]),
                           json=_report(text="Hi, my refund for order 1234?", url="https://x.example/tickets/9"))
    assert response.status_code == 202 and response.json() == {"kept": True}
    with f.db.session() as s:
        row = s.exec(select(AdapterFailure)).one()
        kept = row.model_dump()
    assert set(kept) == {"id", "adapter", "adapter_version", "host", "check_name", "user_id", "created_at"}
    assert (kept["adapter"], kept["host"], kept["check_name"]) == ("zendesk", "support.northwind.example", "messages")
    assert "1234" not in repr(kept)


def test_the_same_failure_from_the_same_person_is_kept_once_a_minute(client, people):
    f, agents, _ = people
    headers = f.headers(agents[0])
    freeze(START)
    assert client.post("/api/adapter-health", headers=headers, json=_report()).json() == {"kept": True}
    freeze(START + timedelta(seconds=30))
    assert client.post("/api/adapter-health", headers=headers, json=_report()).json() == {"kept": False}
    assert client.post("/api/adapter-health", headers=headers, json=_report("customer")).json() == {"kept": True}
    freeze(START + timedelta(seconds=90))
    assert client.post("/api/adapter-health", headers=headers, json=_report()).json() == {"kept": True}


@pytest.mark.parametrize("field, value, code", [
    ("adapter", "myspace", "invalid_adapter"), ("check", "everything", "invalid_check"),
    ("host", "not a host/<script>", "invalid_host"), ("host", "", "invalid_host"),
    ("adapter_version", "1.0; drop", "invalid_version")])
def test_a_bad_report_is_refused_with_a_clear_error_and_nothing_kept(client, people, field, value, code):
    f, agents, _ = people
    response = client.post("/api/adapter-health", headers=f.headers(agents[0]), json={**_report(), field: value})
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    with f.db.session() as s:
        assert s.exec(select(AdapterFailure)).all() == []


def test_admins_see_a_burst_from_one_site_first_and_members_may_not_look(client, people):
    f, agents, admin = people
    freeze(START - timedelta(days=2))
    client.post("/api/adapter-health", headers=f.headers(agents[0]),
                json={**_report("customer", "mail.google.com"), "adapter": "gmail"})
    freeze(START)
    for agent in agents[:3]:  # a site changed: every agent on it hits the same wall within minutes
        client.post("/api/adapter-health", headers=f.headers(agent), json=_report())
    freeze(START + timedelta(minutes=5))
    assert client.get("/api/adapter-health", headers=f.headers(agents[0])).status_code == 403
    found = client.get("/api/adapter-health?days=7", headers=f.headers(admin)).json()["failures"]
    assert [(r["adapter"], r["host"], r["check"], r["count"], r["people"], r["burst"]) for r in found] == [
        ("zendesk", "support.northwind.example", "messages", 3, 3, True),
        ("gmail", "mail.google.com", "customer", 1, 1, False)]
    assert client.get("/api/adapter-health?days=1", headers=f.headers(admin)).json()["failures"][0]["count"] == 3
    assert len(client.get("/api/adapter-health?days=1", headers=f.headers(admin)).json()["failures"]) == 1
    freeze(START + timedelta(hours=1))  # the burst is over; the failures are still listed
    assert client.get("/api/adapter-health", headers=f.headers(admin)).json()["failures"][0]["burst"] is False

    freeze(START + timedelta(minutes=5))
    sign_in(client, admin.email, PASSWORD)
    page = client.get("/admin/adapters", headers=HTML)
    assert page.status_code == 200
    assert 'class="burst"' in page.text and "support.northwind.example" in page.text
    assert "3 in the last 15 min" in page.text and "the messages" in page.text
