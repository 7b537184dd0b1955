"""The Zammad adapter on pages in the markup of Zammad's own agent templates (not written for
Vouch): what the server receives is the customer the agent sees in the customer panel (never a
hidden meta line's sender, the agent or a no-reply robot), every visible article's text, the
chat view's conversation, and from a customer's profile no conversation at all."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR, capture_contexts, contexts_sent, enabled_site

@pytest.fixture(scope="module")
def zammad(tmp_path_factory, live_server):
    with enabled_site(tmp_path_factory.mktemp("zammad"), live_server.url,
                      live_server.token_for("sam@vouch.example")) as opened:
        yield opened


def sent_for(zammad, path: str):
    """Opens `path` as Sam, an agent, and returns the page and the last context sent."""
    browser, site = zammad
    capture_contexts(browser)
    page = browser.context.new_page()
    page.goto(site + path)
    expect(page.locator(SIDEBAR).locator(".suggestions")).to_be_visible(timeout=15000)
    sent = contexts_sent(browser)
    assert sent, "the sidebar sent no context"
    return page, sent[-1]


def test_ticket_customer_comes_from_the_panel_and_every_article_is_read(zammad):
    page, context = sent_for(zammad, "/zammad-ticket-real.html#ticket/zoom/42")
    assert context["emails"] == ["maria.santos@northwind.example"]
    assert context["names"] == ["Maria Santos"]
    assert context["subject"] == "Refund for last week's charge"
    for article in ("charged twice for our subscription", "Checking the duplicate invoice",
                    "invoice INV-2231", "Any news on the refund?"):
        assert article in context["text"]
    # Hidden meta lines, the hidden earlier tab, the ticket form and the fold button are not read.
    for hidden in ("globex-billing", "Accounts Payable", "Priya", "pallets", "pending reminder", "See more"):
        assert hidden not in str(context)
    expect(page.locator(SIDEBAR).locator(".customer-name")).to_have_text("Northwind Traders")
    page.close()


def test_social_ticket_never_names_the_agent_from_hidden_meta(zammad):
    page, context = sent_for(zammad, "/zammad-social.html#ticket/zoom/77")
    assert context["names"] == ["Maria Santos"]
    assert context["emails"] == []
    assert context["handles"] == ["@mariasantos_nw"]  # the customer panel's Twitter line
    assert "Sam Agent" not in str(context)
    for tweet in ("our 120 seats vanished", "send us a DM", "the account is Northwind Traders"):
        assert tweet in context["text"]
    page.close()


def test_a_social_customer_without_an_address_is_known_by_their_handle(zammad, live_server):
    with live_server.api("admin@vouch.example") as api:
        (northwind,) = [c for c in api.get("/api/customers", params={"q": "Northwind"}).json()
                        if c["name"] == "Northwind Traders"]
        def handles(values, version):
            answer = api.put(f"/api/customers/{northwind['id']}", json={"handles": values},
                             headers={"If-Match": f'"{version}"'})
            assert answer.status_code == 200, answer.text
            return answer.json()["version"]
        version = handles([*northwind["handles"], "@MariaSantos_NW"], northwind["version"])
        try:
            page, _ = sent_for(zammad, "/zammad-social.html#ticket/zoom/77")
            sidebar = page.locator(SIDEBAR)
            expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders")
            expect(sidebar.locator(".matched-by")).to_contain_text("Recognised by the handle @mariasantos_nw")
            page.close()
        finally:
            handles(northwind["handles"], version)


def test_chat_view_sends_the_chat_and_not_the_form_beside_it(zammad):
    page, context = sent_for(zammad, "/zammad-chat.html#customer_chat")
    assert context["names"] == ["Maria Santos"]
    assert context["emails"] == []  # no-reply@ is a robot, never the customer
    assert "charged twice" in context["text"] and "Which invoice?" in context["text"]
    assert "INV-2231" in context["text"]
    for label in ("Text *", "pending reminder", "Waiting Customers", "Active Agents"):
        assert label not in context["text"]
    page.close()


def test_profile_page_yields_the_customer_and_no_suggestions(zammad):
    page, context = sent_for(zammad, "/zammad-profile.html#user/profile/7")
    assert context["emails"] == ["maria.santos@northwind.example"]
    assert context["names"] == ["Maria Santos"]
    assert context["handles"] == ["zammad:7"]  # Zammad's id for her, as a CRM import keeps it
    assert context["text"] == "" and context["subject"] == ""
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders")
    expect(sidebar.locator(".suggestions li.result")).to_have_count(0)
    page.close()


def test_a_zammad_upgrade_that_renames_the_articles_is_said_and_reported(zammad, live_server):
    browser, site = zammad
    page = browser.context.new_page()
    page.goto(f"{site}/zammad-changed.html#ticket/zoom/42")
    expect(page.locator(SIDEBAR).locator(".notice.unreadable")).to_have_text(
        "Vouch cannot read this Zammad page; your admin has been told.", timeout=15000)
    host = site.split("//", 1)[1]  # a self-hosted desk: the host and its port
    with live_server.api("admin@vouch.example") as api:
        for _ in range(50):
            failures = api.get("/api/adapter-health").json()["failures"]
            if failures:
                break
            page.wait_for_timeout(100)
    assert [(f["adapter"], f["host"], f["check"]) for f in failures] == [("zammad", host, "messages")]
    page.close()
