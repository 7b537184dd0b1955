"""The Front adapter in a real Chromium, under Front's real address: the customer in the
conversation that shows, a conversation switched in place, and a card inserted into the reply."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, Browser, PageServer

HOST = "app.frontapp.com"
# Maria Santos (Northwind Traders) asks for a refund; served locally as app.frontapp.com.
CONVERSATION = f"https://{HOST}/inboxes/teams/folders/41/cnv_7kq2n1/front-conversation.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("front")
    pages = PageServer(workdir, [HOST])
    chromium = Browser(workdir, pages.port, [HOST])
    # The shared browser lets only Gmail's host through; Front's is served locally too.
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
    # Bluefin's conversation is still in the DOM, hidden, and in the list: not the one in view.
    expect(sidebar.locator(".customer")).not_to_contain_text("Bluefin")


def test_switching_conversation_refreshes_the_sidebar(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.locator("#open-bluefin").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    expect(sidebar.locator(".suggestions")).not_to_contain_text("Handling a refund request")
    page.locator("#open-northwind").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)


def test_insert_puts_the_card_into_fronts_reply(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    # The agent never clicked into the reply: the adapter knows where it is.
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    reply = page.locator("#in-view #reply")
    expect(reply).to_contain_text("Hi Maria,")
    expect(reply).to_contain_text("full refund within 30 days")
