"""The Outlook on the web adapter in a real Chromium, under Outlook's real addresses: the
customer in the reading pane (not the message list beside it), a conversation switched in
place, and a card inserted into the inline reply."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, Browser, PageServer

HOSTS = ["outlook.office.com", "outlook.office365.com", "outlook.live.com"]
# Maria Santos (Northwind Traders) asks for a refund; the page routes itself to
# /mail/inbox/id/… as Outlook does once loaded.
PAGE = "https://{host}/mail/outlook-conversation.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("outlook")
    pages = PageServer(workdir, HOSTS)
    chromium = Browser(workdir, pages.port, HOSTS)
    # The shared browser lets only Gmail's host through; Outlook's are served locally too.
    for host in HOSTS:
        chromium.context.route(f"https://{host}/**", lambda route: route.continue_())
    yield chromium
    chromium.close()
    pages.stop()


@pytest.fixture
def open_page(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    opened = []

    def open_on(host: str = HOSTS[0]):
        page = browser.context.new_page()
        page.goto(PAGE.format(host=host))
        opened.append(page)
        return page

    yield open_on
    for page in opened:
        page.close()


@pytest.mark.parametrize("host", HOSTS)
def test_sidebar_shows_the_customer_in_the_reading_pane_and_the_refund_card(open_page, host):
    page = open_page(host)
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    expect(sidebar.locator("li.fact.pinned").first).to_contain_text("120 seats")
    expect(sidebar.locator(".suggestions li.result", has_text="Handling a refund request")).to_be_visible()
    # Bluefin is in the message list and in a hidden earlier pane: not the one in view.
    expect(sidebar.locator(".customer")).not_to_contain_text("Bluefin")


def test_opening_another_message_refreshes_the_sidebar(open_page):
    page = open_page()
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.get_by_role("option", name="Priya Nair").click()
    expect(page).to_have_url("https://outlook.office.com/mail/inbox/id/AAQkADBluefinDelay%3D")
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    expect(sidebar.locator(".suggestions")).not_to_contain_text("Handling a refund request")


def test_insert_puts_the_card_into_the_inline_reply(open_page):
    page = open_page()
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    # The agent never clicked into the reply: the adapter knows where Outlook's editor is.
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    reply = page.locator("#reply")
    expect(reply).to_contain_text("Hi Maria,")
    expect(reply.locator("strong", has_text="full refund within 30 days")).to_be_visible()
    expect(reply.locator("ol li")).to_have_count(3)
