"""Each help desk's adapter in a real Chromium, under the product's real address (or on the
company's own domain, enabled on the options page): the customer of the conversation in
view and never one hidden beside it, a conversation switched in place, and a card inserted
into the reply being written, its placeholders filled from the conversation."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR
from tests.extension.desks import DESKS, desk_browser


@pytest.fixture(scope="module", params=DESKS, ids=lambda desk: desk.name)
def desk(request, tmp_path_factory, live_server):
    """One browser per desk; the tests of one desk run together."""
    with desk_browser(request.param, tmp_path_factory.mktemp(request.param.name)) as opened:
        yield opened


@pytest.fixture
def page(desk, live_server):
    page = desk.open(live_server)
    yield page
    page.close()


def test_sidebar_shows_the_customer_in_view_and_the_refund_card(desk, live_server):
    for host in desk.spec.hosts or (None,):  # every address the product answers on
        page = desk.open(live_server, host=host)
        sidebar = page.locator(SIDEBAR)
        expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
        expect(sidebar.locator("li.fact.pinned").first).to_contain_text("120 seats")
        expect(sidebar.locator(".suggestions li.result", has_text="Handling a refund request")).to_be_visible()
        # Bluefin's conversation is in the DOM too, hidden or in the list: not the one in view.
        expect(sidebar.locator(".customer")).not_to_contain_text("Bluefin")
        page.close()


def test_switching_conversation_in_place_refreshes_the_sidebar(desk, page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    desk.spec.switch(page)
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    expect(sidebar.locator(".suggestions")).not_to_contain_text("Handling a refund request")


def test_insert_puts_the_card_into_the_reply_being_written(desk, page):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    if desk.spec.open_reply:
        page.locator(desk.spec.open_reply).click()
    # The agent never clicked into the reply: the adapter knows where the product's is.
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    reply = page.locator(desk.spec.reply)
    expect(reply).to_contain_text("Hi Maria,")  # what the agent had written stays
    expect(reply.locator("strong", has_text="full refund within 30 days")).to_be_visible()
    expect(reply.locator("ol li")).to_have_count(3)


def test_insert_fills_placeholders_and_marks_what_it_could_not(desk, page, template, live_server):
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    if desk.spec.open_reply:
        page.locator(desk.spec.open_reply).click()
    sidebar.locator("input.search").fill("refund on its way template")
    sidebar.locator(".search-results button.card-title", has_text=template).click()
    expect(sidebar.locator(".card-body .placeholder").first).to_be_visible()  # chips in the sidebar
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Fill in before sending: {{fact:Renewal date}}")
    reply = page.locator(desk.spec.reply)
    # The page's name for the customer, Vouch's name for their company, the agent's own name.
    expect(reply).to_contain_text("Hi Maria,")
    expect(reply).to_contain_text("The refund for Northwind Traders is on its way.")
    expect(reply).to_contain_text("Sam")
    # What had no value stays in the reply, visible (highlighted where the box takes HTML).
    expect(reply).to_contain_text("{{fact:Renewal date}}")
    if reply.evaluate("(box) => box.isContentEditable"):
        expect(reply.locator("mark", has_text="{{fact:Renewal date}}")).to_be_visible()
    # Analytics follow this conversation: searched, opened, inserted.
    with live_server.api("admin@vouch.example") as api:
        rows = [row for row in api.get("/api/analytics/conversations").json()
                if row["host"] == urlsplit(page.url).netloc and row["inserts"]]
    assert rows and rows[0]["searches"] >= 1 and rows[0]["opens"] >= 1 and rows[0]["customer"] == "Northwind Traders"
