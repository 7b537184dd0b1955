"""Slack beyond what every help desk does (test_help_desks.py): a thread opened beside the
channel is read as its own conversation and gets the inserted card."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR
from tests.extension.desks import DESKS, desk_browser

SLACK = next(desk for desk in DESKS if desk.name == "slack")


@pytest.fixture(scope="module")
def slack(tmp_path_factory, live_server):
    with desk_browser(SLACK, tmp_path_factory.mktemp("slack")) as opened:
        yield opened


def test_a_thread_opened_beside_the_channel_gets_the_inserted_card(slack, live_server):
    page = slack.open(live_server)
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    sidebar.locator(".suggestions").evaluate("(section) => section.setAttribute('data-before-thread', '')")
    page.get_by_role("button", name="1 reply").click()
    expect(page.locator("#thread-composer")).to_be_visible()
    # The thread is another conversation key: the panel is drawn anew, and since the customer's
    # address now shows only in the thread, knowing her means the thread was read.
    expect(sidebar.locator(".suggestions[data-before-thread]")).to_have_count(0, timeout=15000)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders")
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    expect(page.locator("#thread-composer").locator("strong", has_text="full refund within 30 days")).to_be_visible()
    expect(page.locator("#composer")).to_have_text("Hi Maria,")  # the channel's draft is untouched
    page.close()
