"""Adapter health end to end: a help desk page whose markup changed (Zendesk renamed its
comments' bodies) gets a plain notice instead of suggestions, and the server's admin summary
lists the failed check for that host; an unchanged page reports nothing."""

import httpx
import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR
from tests.extension.desks import Desk, click, desk_browser

HOST = "vouchdemo.zendesk.com"
CHANGED = Desk("zendesk", "/agent/tickets/1203/zendesk-changed.html", click("#tab-1187"), "#reply", hosts=(HOST,))
UNCHANGED = Desk("zendesk", "/agent/tickets/1203/zendesk-conversation.html", click("#tab-1187"), "#reply",
                 hosts=(HOST,))


@pytest.fixture(scope="module")
def zendesk(tmp_path_factory, live_server):
    with desk_browser(CHANGED, tmp_path_factory.mktemp("health")) as opened:
        yield opened


def _failures(live_server) -> list[dict]:
    with live_server.api("admin@vouch.example") as api:
        answer = api.get("/api/adapter-health")
    assert answer.status_code == 200
    return answer.json()["failures"]


def _wait_for_failures(live_server, page) -> list[dict]:
    for _ in range(50):  # the report is sent after the notice shows
        failures = _failures(live_server)
        if failures:
            return failures
        page.wait_for_timeout(100)
    return _failures(live_server)


def test_a_readable_page_reports_nothing(zendesk, live_server):
    page = zendesk.browser.context.new_page()
    zendesk.browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page.goto(f"https://{HOST}{UNCHANGED.path}")
    expect(page.locator(SIDEBAR).locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.wait_for_timeout(500)
    assert _failures(live_server) == []
    page.close()


def test_changed_markup_says_so_and_the_admin_sees_the_failed_check(zendesk, live_server):
    page = zendesk.open(live_server)
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".notice.unreadable")).to_have_text(
        "Vouch cannot read this Zendesk page; your admin has been told.", timeout=15000)
    # Nothing read from the page, so nothing suggested from it; search still works.
    expect(sidebar.locator(".suggestions")).to_have_count(0)
    expect(sidebar.locator(".customer-name")).to_have_count(0)
    expect(sidebar.locator("input.search")).to_be_visible()

    failures = _wait_for_failures(live_server, page)
    assert [(f["adapter"], f["host"], f["check"], f["count"]) for f in failures] == [
        ("zendesk", HOST, "messages", 1)]
    assert failures[0]["versions"] == ["0.1.0"]
    # Reloading the same page within the minute is the same moment, not a second failure.
    page.reload()
    expect(sidebar.locator(".notice.unreadable")).to_be_visible(timeout=15000)
    page.wait_for_timeout(500)
    assert _failures(live_server)[0]["count"] == 1
    page.close()


def test_only_admins_read_the_failures(live_server):
    with live_server.api("sam@vouch.example") as api:
        assert api.get("/api/adapter-health").status_code == 403
    assert httpx.get(f"{live_server.url}/api/adapter-health").status_code == 401
