"""The generic reader on a site the user enabled: only the main conversation region, never
navigation, forms, menus, statistics or hidden text, and no conversation at all when the page
does not look like one (so no cards are suggested from a profile's words)."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, capture_contexts, contexts_sent, enabled_site


@pytest.fixture(scope="module")
def site(tmp_path_factory, live_server):
    with enabled_site(tmp_path_factory.mktemp("site"), live_server.url,
                      live_server.token_for("sam@vouch.example")) as opened:
        yield opened


def _open(site, name: str):
    browser, origin = site
    capture_contexts(browser)
    page = browser.context.new_page()
    page.goto(f"{origin}/{name}")
    expect(page.locator(SIDEBAR).locator(".suggestions")).to_be_visible(timeout=15000)
    sent = contexts_sent(browser)
    assert sent, "the sidebar sent no context"
    return page, sent[-1]


def test_a_profile_of_menus_forms_and_figures_asks_for_no_suggestions(site):
    page, context = _open(site, "generic-profile.html")
    assert context["emails"] == ["maria.santos@northwind.example"]
    assert context["text"] == "" and context["subject"] == ""
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders")
    expect(sidebar.locator(".suggestions li.result")).to_have_count(0)
    page.close()


def test_a_conversation_sends_its_text_and_nothing_else(site):
    page, context = _open(site, "desk.html")
    assert context["text"] == ("We would like to request a refund for the duplicate charge on our invoice "
                               "last week.")
    assert context["subject"] == "Ticket #4411: Seats for the new team"
    expect(page.locator(SIDEBAR).locator(".suggestions")).to_contain_text("Handling a refund request")
    page.close()


def test_without_a_main_landmark_the_articles_are_the_conversation(site):
    page, context = _open(site, "generic-thread.html")
    assert "charged twice for our subscription" in context["text"]
    assert "asked finance to look at the duplicate invoice" in context["text"]
    assert "premium plan" not in context["text"]
    assert context["emails"] == ["maria.santos@northwind.example"]
    page.close()
