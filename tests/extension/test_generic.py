"""The generic adapter on a site the user enabled: mailto: links and addresses in the text."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, Browser, PlainServer


@pytest.fixture(scope="module")
def setup(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("generic")
    pages = PlainServer()
    chromium = Browser(workdir, pages.port, ["mail.google.com"])
    yield chromium, pages
    chromium.close()
    pages.stop()


def test_enabled_site_gets_the_sidebar_with_customer_and_cards(setup, live_server):
    browser, pages = setup
    site = f"http://127.0.0.1:{pages.port}"
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"), sites=[site])
    page = browser.context.new_page()
    page.goto(f"{site}/desk.html")
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    expect(sidebar.locator(".suggestions")).to_contain_text("Handling a refund request")
    page.close()


def test_sites_not_enabled_get_nothing(setup, live_server):
    browser, pages = setup
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"), sites=[])
    page = browser.context.new_page()
    page.goto(f"http://127.0.0.1:{pages.port}/desk.html")
    page.wait_for_timeout(1000)  # give a (wrongly) registered script time to run
    assert page.locator(SIDEBAR).count() == 0
    page.close()
