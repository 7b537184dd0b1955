"""Slack checks its page too: a release that renamed the messages' text blocks gets the plain
notice and one report for app.slack.com, while the channel as it is reads fine."""

from playwright.sync_api import expect

from tests.extension.browser import SIDEBAR
from tests.extension.desks import Desk, desk_browser

HOST = "app.slack.com"


def _noop(page):
    pass


def test_a_slack_release_that_renamed_the_message_text_is_said_and_reported(tmp_path, live_server):
    changed = Desk("slack", "/client/slack-changed.html", _noop, "#composer", hosts=(HOST,))
    with desk_browser(changed, tmp_path) as slack:
        page = slack.open(live_server, host=HOST)
        sidebar = page.locator(SIDEBAR)
        expect(sidebar.locator(".notice.unreadable")).to_have_text(
            "Vouch cannot read this Slack page; your admin has been told.", timeout=15000)
        expect(sidebar.locator(".suggestions")).to_have_count(0)
        with live_server.api("admin@vouch.example") as api:
            for _ in range(50):
                failures = [f for f in api.get("/api/adapter-health").json()["failures"] if f["adapter"] == "slack"]
                if failures:
                    break
                page.wait_for_timeout(100)
        assert [(f["host"], f["check"]) for f in failures] == [(HOST, "messages")]
        # The same channel as Slack draws it today: read, no notice.
        page.goto(f"https://{HOST}/client/slack-conversation.html")
        expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
        expect(sidebar.locator(".notice.unreadable")).to_have_count(0)
