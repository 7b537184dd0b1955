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
