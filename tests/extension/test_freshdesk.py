"""The Freshdesk adapter in a real Chromium, under a Freshdesk address: the requester of the
ticket that shows, a ticket switched in place, and a card inserted into the reply."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, Browser, PageServer

HOST = "vouchdemo.freshdesk.com"  # any *.freshdesk.com: each company has its own
# Maria Santos (Northwind Traders) asks for a refund; served locally as a Freshdesk address.
CONVERSATION = f"https://{HOST}/a/tickets/1024/freshdesk-conversation.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("freshdesk")
    pages = PageServer(workdir, [HOST])
    chromium = Browser(workdir, pages.port, [HOST])
    # The shared browser lets only Gmail's host through; Freshdesk's is served locally too.
    chromium.context.route(f"https://{HOST}/**", lambda route: route.continue_())
    yield chromium
    chromium.close()
    pages.stop()


@pytest.fixture
def page(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(CONVERSATION)
    yield page
    page.close()


def test_sidebar_shows_the_customer_in_view_and_the_refund_card(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    expect(sidebar.locator(".suggestions li.result", has_text="Handling a refund request")).to_be_visible()
    # Bluefin's ticket is still in the DOM, hidden, and in the ticket list: not the one in view.
    expect(sidebar.locator(".customer")).not_to_contain_text("Bluefin")


def test_switching_ticket_in_place_refreshes_the_sidebar(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.evaluate("openTicket()")
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    expect(sidebar.locator(".suggestions")).not_to_contain_text("Handling a refund request")


def test_insert_puts_the_card_into_the_reply_editor(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    reply = page.locator("#reply")
    expect(reply).to_contain_text("Hi Maria,")
    expect(reply).to_contain_text("full refund within 30 days")
