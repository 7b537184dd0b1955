"""The customer page shows each quick fact's last confirmation and a "may be stale" mark, and
its Confirm button (a form with the page's CSRF token) confirms the fact as it is."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from server import clock
from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "pw-for-tests"
START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def desk(client):
    clock.freeze(START)
    f = client.factory
    ada = f.user("Ada", email="ada@example.test", password=PASSWORD)
    f.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    customer = f.customer("Northwind Traders", emails=["maria@northwind.example"])
    fact = f.fact(customer, ada, "Enterprise plan, renews on 1 March.")
    sign_in(client, "sam@example.test", PASSWORD)
    return {"client": client, "customer": customer, "fact": fact,
            "path": f"/customers/{customer.id}/facts/{fact.id}", "page": f"/customers/{customer.id}"}


def _later(client, days: int) -> None:
    """Move the clock on, and sign in again: a session does not last months."""
    clock.freeze(START + timedelta(days=days))
    sign_in(client, "sam@example.test", PASSWORD)


def _fact_html(page: str, fact_id: int) -> str:
    return re.search(rf'<li id="fact-{fact_id}".*?</li>', page, re.S).group(0)


def test_the_page_says_when_and_by_whom_a_fact_was_confirmed_and_marks_a_stale_one(desk):
    client = desk["client"]
    shown = _fact_html(client.get(desk["page"], headers=HTML).text, desk["fact"].id)
    assert re.search(r"confirmed <time[^>]*>2026-03-01</time> by Ada", shown), shown
    assert "May be stale" not in shown and 'value="confirm"' in shown
    _later(client, 180)
    assert "May be stale" in _fact_html(client.get(desk["page"], headers=HTML).text, desk["fact"].id)


def test_the_confirm_button_confirms_it_as_it_is(desk):
    client = desk["client"]
    _later(client, 200)
    done = post_form(client, desk["path"], {"action": "confirm", "version": "1"})
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"], headers=HTML).text
    assert "Confirmed: it still holds." in page
    shown = _fact_html(page, desk["fact"].id)
    assert re.search(r"confirmed <time[^>]*>2026-09-17</time> by Sam Agent", shown), shown
    assert "May be stale" not in shown and "Enterprise plan, renews on 1 March." in shown


def test_confirming_a_fact_changed_since_the_page_was_opened_is_a_conflict(desk):
    client = desk["client"]
    assert post_form(client, desk["path"], {"action": "pin", "version": "1"}).status_code == 303
    stale = post_form(client, desk["path"], {"action": "confirm", "version": "1"})
    assert stale.status_code == 409 and "Someone changed this fact" in stale.text
    assert "by Ada" in _fact_html(stale.text, desk["fact"].id)


def test_confirming_needs_the_csrf_token(desk):
    refused = desk["client"].post(desk["path"], data={"action": "confirm", "version": "1"}, headers=HTML,
                                  follow_redirects=False)
    assert refused.status_code == 403
