"""The Zendesk adapter in a real Chromium, under a Zendesk agent workspace address: the
ticket in the selected tab (never the hidden ones), switching tabs, and a card inserted into
the reply editor."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, Browser, PageServer

HOST = "vouchdemo.zendesk.com"
# Maria Santos (Northwind Traders) asks for a refund in ticket 1203; Priya's 1187 is open in another tab.
TICKET = f"https://{HOST}/agent/tickets/1203/zendesk-conversation.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("zendesk")
    pages = PageServer(workdir, [HOST])
    chromium = Browser(workdir, pages.port, [HOST])
    # The shared browser lets only Gmail's host through; this one is served locally too.
    chromium.context.route(f"https://{HOST}/**", lambda route: route.continue_())
    yield chromium
    chromium.close()
    pages.stop()


@pytest.fixture
def page(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(TICKET)
    yield page
    page.close()


def test_sidebar_shows_the_requester_of_the_selected_ticket(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    expect(sidebar.locator(".suggestions li.result", has_text="Handling a refund request")).to_be_visible()
    # Priya's ticket (Bluefin) sits first in the DOM, in a hidden tab: not the one in view.
    expect(sidebar.locator(".customer")).not_to_contain_text("Bluefin")


def test_switching_ticket_tabs_refreshes_the_sidebar(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.locator("#tab-1187").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    expect(sidebar.locator(".suggestions")).not_to_contain_text("Handling a refund request")
    page.locator("#tab-1203").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)


def test_insert_puts_the_card_into_the_selected_tickets_reply(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    # The agent never clicked into the reply: the adapter knows which editor is the ticket's.
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    reply = page.locator("#reply")
    expect(reply).to_contain_text("Hi Maria,")
    expect(reply).to_contain_text("full refund within 30 days")
    # The hidden tab's editor is untouched.
    expect(page.locator('[data-ticket-id="1187"] [contenteditable]')).not_to_contain_text("full refund")
