"""The FreeScout adapter in a real Chromium on a self-hosted help desk the user enabled: FreeScout
has no fixed host name, so it is recognised by its conversation layout."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, Browser, PlainServer


@pytest.fixture(scope="module")
def setup(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("freescout")
    pages = PlainServer()
    chromium = Browser(workdir, pages.port, ["mail.google.com"])
    yield chromium, f"http://127.0.0.1:{pages.port}"
    chromium.close()
    pages.stop()


@pytest.fixture
def page(setup, live_server):
    browser, site = setup
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"), sites=[site])
    page = browser.context.new_page()
    # Maria Santos (Northwind Traders) asks for a refund in conversation 1024.
    page.goto(f"{site}/conversation/1024/freescout-conversation.html?folder_id=3")
    yield page
    page.close()


def test_sidebar_shows_the_customer_in_view_and_the_refund_card(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    expect(sidebar.locator(".suggestions li.result", has_text="Handling a refund request")).to_be_visible()
    # Bluefin is in the hidden dialog and folder list: not the customer in view.
    expect(sidebar.locator(".customer")).not_to_contain_text("Bluefin")


def test_switching_conversation_in_place_refreshes_the_sidebar(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.locator("#older").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    expect(sidebar.locator(".suggestions")).not_to_contain_text("Handling a refund request")


def test_insert_puts_the_card_into_the_opened_reply(page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.locator("#reply-action").click()
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    reply = page.locator("#reply")
    expect(reply).to_contain_text("Hi Maria,")
    expect(reply).to_contain_text("full refund within 30 days")
