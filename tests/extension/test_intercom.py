"""The Intercom adapter in a real Chromium, under Intercom's real address: the user in the
conversation that shows (from its details sidebar), a conversation opened in place, and a
card inserted into the composer."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, Browser, PageServer

HOST = "app.intercom.com"
# Maria Santos (Northwind Traders) asks for a refund; served locally as app.intercom.com.
CONVERSATION = f"https://{HOST}/a/inbox/vch7x2/inbox/shared/all/conversation/215467/intercom-conversation.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("intercom")
    pages = PageServer(workdir, [HOST])
    chromium = Browser(workdir, pages.port, [HOST])
    # The shared browser lets only Gmail's host through; Intercom's is served locally too.
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


def test_sidebar_shows_the_user_in_view_and_the_refund_card(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    expect(sidebar.locator(".suggestions li.result", has_text="Handling a refund request")).to_be_visible()
    # Priya's conversation (Bluefin) is still in the DOM, hidden, and in the inbox list.
    expect(sidebar.locator(".customer")).not_to_contain_text("Bluefin")


def test_opening_another_conversation_refreshes_the_sidebar(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.locator("#open-bluefin").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    expect(sidebar.locator(".suggestions")).not_to_contain_text("Handling a refund request")
    page.locator("#open-northwind").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)


def test_insert_puts_the_card_into_the_composer(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    # The agent never clicked into the composer: the adapter knows where it is.
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    reply = page.locator("#in-view #reply")
    expect(reply).to_contain_text("Hi Maria,")
    expect(reply).to_contain_text("full refund within 30 days")
