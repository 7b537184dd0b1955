"""The Slack adapter in a real Chromium, under Slack's real address: the customer whose
address shows in the open shared channel (not a channel viewed before), a channel switched
in place, and a card inserted into the message being written."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, Browser, PageServer

HOST = "app.slack.com"
# Maria Santos (Northwind Traders) asks for a refund in a shared channel; the page routes
# itself to /client/T…/C… as Slack does once loaded.
PAGE = f"https://{HOST}/client/slack-conversation.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("slack")
    pages = PageServer(workdir, [HOST])
    chromium = Browser(workdir, pages.port, [HOST])
    # The shared browser lets only Gmail's host through; Slack's is served locally too.
    chromium.context.route(f"https://{HOST}/**", lambda route: route.continue_())
    yield chromium
    chromium.close()
    pages.stop()


@pytest.fixture
def page(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(PAGE)
    yield page
    page.close()


def test_sidebar_shows_the_customer_in_the_open_channel_and_the_refund_card(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    expect(sidebar.locator("li.fact.pinned").first).to_contain_text("120 seats")
    expect(sidebar.locator(".suggestions li.result", has_text="Handling a refund request")).to_be_visible()
    # Bluefin's channel is still in the DOM, hidden: not the one in view.
    expect(sidebar.locator(".customer")).not_to_contain_text("Bluefin")


def test_switching_channel_refreshes_the_sidebar(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.get_by_role("treeitem", name="ext-bluefin").click()
    expect(page).to_have_url(f"https://{HOST}/client/T0VOUCH01/C0EXTBLUEF")
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    expect(sidebar.locator(".suggestions")).not_to_contain_text("Handling a refund request")


def test_insert_puts_the_card_into_the_message_being_written(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    # The agent never clicked into the composer: the adapter knows where Slack's is.
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    composer = page.locator("#composer")
    expect(composer).to_contain_text("Hi Maria,")
    expect(composer.locator("strong", has_text="full refund within 30 days")).to_be_visible()
    expect(composer.locator("ol li")).to_have_count(3)


def test_a_thread_opened_beside_the_channel_gets_the_inserted_card(page):
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
