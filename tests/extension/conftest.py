"""A Chromium with the extension and the Gmail fixture pages, shared by a test module
(a launch costs 1–2 s); the server is the root conftest's `live_server`."""

import pytest

from tests.extension.browser import CONVERSATION, Browser, PageServer


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("gmail")
    pages = PageServer(workdir, ["mail.google.com"])
    chromium = Browser(workdir, pages.port, ["mail.google.com"])
    chromium.workdir = workdir
    yield chromium
    chromium.close()
    pages.stop()


@pytest.fixture
def sam_page(browser, live_server):
    """Maria's refund conversation in Gmail, seen by Sam, an agent."""
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(CONVERSATION)
    yield page
    page.close()


# A reply template, as a team writes one: filled from the conversation when inserted, with one
# value Northwind does not have (no quick fact says "Renewal date: …").
TEMPLATE = ("Hi {{customer.first_name}},\n\nThe refund for {{ company }} is on its way. "
            "Your renewal date stays {{fact:Renewal date}}.\n\nBest,\n{{agent.first_name}}")


@pytest.fixture
def template(live_server):
    """Made for the test and archived after it: other tests expect the starter cards alone."""
    with live_server.api("ada@vouch.example") as api:
        made = api.post("/api/cards", json={"collection": "policies", "title": "Refund on its way (template)",
                                            "body": TEMPLATE, "tags": ["refunds"]})
        assert made.status_code == 201, made.text
        yield made.json()["title"]
        assert api.post(f"/api/cards/{made.json()['id']}/archive").status_code == 200
