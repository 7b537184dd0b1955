"""Zendesk names the requester: the log's other senders are agents (and CCs), and an agent
who is not a Vouch user may share a customer's name. With the requester shown, only the
requester's name is sent, so the agent's namesake is never taken for the customer."""

from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR
from tests.extension.desks import Desk, desk_browser

HOST = "vouchdemo.zendesk.com"


def test_an_agents_namesake_is_not_taken_for_the_requester(tmp_path, live_server):
    with live_server.api("admin@vouch.example") as api:
        namesake = api.post("/api/customers", json={"name": "Chris Park"})
        assert namesake.status_code == 201, namesake.text
    desk = Desk("zendesk", "/agent/tickets/1310/zendesk-agent-namesake.html", lambda page: None, "#reply",
                hosts=(HOST,))
    with desk_browser(desk, tmp_path) as zendesk:
        page = zendesk.open(live_server, host=HOST)
        sidebar = page.locator(SIDEBAR)
        expect(sidebar.locator("section.customer")).to_contain_text("No known customer in this conversation.",
                                                                    timeout=15000)
        expect(sidebar.locator(".customer-name")).to_have_count(0)
