"""Restricted customers on the web pages, through the real forms: a customer someone may not
read is a 404 on every customer page and is missing from the list and its search; its group's
members see "Restricted to"; admins choose the groups under "Who can read this customer"."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from server.audit.models import AuditEvent
from server.facts.models import CustomerAccess
from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "pw-for-tests"


@pytest.fixture
def desk(client):
    return {"client": client, **client.factory.key_account_desk(password=PASSWORD, other_group="<b>Finance</b>")}


def _flash(response) -> str:
    return " ".join(re.findall(r'class="flash[^"]*"[^>]*>([^<]+)', response.text))


def _follow(client, response):
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"], headers=HTML)


def _groups_of(client, customer_id: int) -> set[int]:
    with client.factory.db.session() as s:
        return set(s.exec(select(CustomerAccess.group_id).where(CustomerAccess.customer_id == customer_id)))


@pytest.mark.parametrize("email", ["kim@example.test", "ada@example.test"])
def test_a_restricted_customer_is_404_on_every_page_for_those_outside_its_groups(desk, email):
    client, cid, fid = desk["client"], desk["globex"].id, desk["fact"].id
    sign_in(client, email, PASSWORD)
    missing = client.get("/customers/999999", headers=HTML)
    for response in (client.get(f"/customers/{cid}", headers=HTML), client.get(f"/customers/{cid}/edit", headers=HTML),
                     post_form(client, f"/customers/{cid}/facts", {"text": "x"}),
                     post_form(client, f"/customers/{cid}/edit", {"name": "Mine now", "version": "1"}),
                     post_form(client, f"/customers/{cid}/facts/{fid}", {"action": "pin", "version": "1"}),
                     post_form(client, f"/customers/{cid}/facts/{fid}/delete", {}),
                     post_form(client, f"/customers/{cid}/delete", {})):
        assert response.status_code == missing.status_code == 404, response.text
        assert "Globex" not in response.text and "account lead" not in response.text
    listed = client.get("/customers", headers=HTML).text
    assert "Northwind Traders" in listed and "Globex" not in listed and f"/customers/{cid}" not in listed
    for words in ("globex", "hank@", "globex.example"):
        found = client.get("/customers", params={"q": words}, headers=HTML).text
        assert "No customer matches" in found and "Globex</a>" not in found, words
    typed = client.get("/customers", params={"q": "glob"}, headers={**HTML, "HX-Request": "true"}).text
    assert "No customer matches" in typed and "Globex" not in typed
    assert desk["fact"].text in _page_of_member(client, cid)


def _page_of_member(client, customer_id: int) -> str:
    client.cookies.clear()
    sign_in(client, "sam@example.test", PASSWORD)
    return client.get(f"/customers/{customer_id}", headers=HTML).text


def test_a_member_sees_the_restriction_but_not_the_form(desk):
    client = desk["client"]
    sign_in(client, "sam@example.test", PASSWORD)
    page = client.get(f"/customers/{desk['globex'].id}", headers=HTML)
    assert page.status_code == 200 and "Restricted to: Key accounts" in page.text
    assert "Who can read this customer" not in page.text and "Delete customer" not in page.text
    assert "Restricted to" not in client.get(f"/customers/{desk['northwind'].id}", headers=HTML).text
    refused = post_form(client, f"/customers/{desk['northwind'].id}/access", {"groups": "Key accounts"})
    assert refused.status_code == 403 and _groups_of(client, desk["northwind"].id) == set()


def test_an_admin_in_the_group_restricts_and_opens_a_customer_with_the_form(desk):
    client, cid = desk["client"], desk["northwind"].id
    sign_in(client, "lou@example.test", PASSWORD)
    page = client.get(f"/customers/{cid}", headers=HTML).text
    assert "Who can read this customer" in page and f'action="/customers/{cid}/access"' in page
    assert 'value="&lt;b&gt;Finance&lt;/b&gt;"' in page and "<b>Finance</b>" not in page  # names shown as text
    assert re.search(r'value="Key accounts"(?! checked)', page)
    done = _follow(client, post_form(client, f"/customers/{cid}/access", {"groups": ["Key accounts", "<b>Finance</b>"]},
                                     page=f"/customers/{cid}"))
    assert "Only members of &lt;b&gt;Finance&lt;/b&gt;, Key accounts can read" in _flash(done)
    assert "Restricted to: &lt;b&gt;Finance&lt;/b&gt;, Key accounts" in done.text
    assert re.search(r'value="Key accounts" checked', done.text)
    opened = _follow(client, post_form(client, f"/customers/{cid}/access", {}, page=f"/customers/{cid}"))
    assert "Every member can read “Northwind Traders” now." in _flash(opened) and "Restricted to" not in opened.text
    with client.factory.db.session() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "customer_restricted")
                        .order_by(AuditEvent.id)).all()
    assert [(e.target_id, e.details["before"], e.details["after"]) for e in events][-2:] == [
        (cid, [], ["<b>Finance</b>", "Key accounts"]), (cid, ["<b>Finance</b>", "Key accounts"], [])]


def test_an_admin_outside_the_groups_is_told_the_customer_is_hidden_from_them_now(desk):
    client, cid = desk["client"], desk["northwind"].id
    sign_in(client, "ada@example.test", PASSWORD)
    hidden = post_form(client, f"/customers/{cid}/access", {"groups": "Key accounts"}, page=f"/customers/{cid}")
    assert hidden.status_code == 303 and hidden.headers["location"] == "/customers"
    listed = _follow(client, hidden)
    assert "hidden from you too" in _flash(listed) and "Northwind Traders</a>" not in listed.text
    assert client.get(f"/customers/{cid}", headers=HTML).status_code == 404
    opened = post_form(client, f"/customers/{cid}/access", {}, page="/customers")  # still hers to open
    assert opened.status_code == 303 and client.get(f"/customers/{cid}", headers=HTML).status_code == 200


def test_an_unknown_group_or_no_csrf_changes_nothing(desk):
    client, cid = desk["client"], desk["northwind"].id
    sign_in(client, "lou@example.test", PASSWORD)
    unknown = post_form(client, f"/customers/{cid}/access", {"groups": ["Key accounts", "Nobody"]},
                        page=f"/customers/{cid}")
    assert unknown.status_code == 400 and "There is no group named Nobody; nothing was changed." in unknown.text
    assert "Who can read this customer" in unknown.text
    no_token = client.post(f"/customers/{cid}/access", data={"groups": "Key accounts"}, headers=HTML,
                           follow_redirects=False)
    assert no_token.status_code == 403 and "reload the page" in no_token.text
    assert _groups_of(client, cid) == set()
