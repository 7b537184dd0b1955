"""The options page: paste the server URL and a token, test the connection, enable a site."""

import httpx
import pytest
from playwright.sync_api import expect

from tests.extension.browser import Browser, PlainServer
from tests.live import free_port


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("options")
    pages = PlainServer()
    chromium = Browser(workdir, pages.port, ["mail.google.com"])
    yield chromium, pages
    chromium.close()
    pages.stop()


@pytest.fixture
def options(setup):
    browser, _ = setup
    page = browser.context.new_page()
    page.goto(f"chrome-extension://{browser.extension_id}/options.html")
    expect(page.locator("#server")).not_to_have_value("")  # the saved settings have loaded
    yield page
    page.close()


def paste_token(options, token):
    """The token field sits under "Or paste an API token" (connecting is the usual way)."""
    if not options.locator("#token").is_visible():
        options.get_by_text("Or paste an API token").click()
    options.fill("#token", token)


def stored(browser, key):
    return browser.worker.evaluate("async (key) => (await chrome.storage.local.get(key))[key]", key)


def test_test_connection_shows_who_is_signed_in(options, live_server):
    options.fill("#server", live_server.url)
    paste_token(options, live_server.token_for("sam@vouch.example"))
    options.click("#test")
    expect(options.locator("#status")).to_have_text("Connected as Sam Agent <sam@vouch.example>.")


def test_a_wrong_token_or_a_closed_port_is_said_plainly(options, live_server):
    options.fill("#server", live_server.url)
    paste_token(options, "vch_not-a-real-token")
    options.click("#test")
    expect(options.locator("#status")).to_contain_text("unknown or has been revoked")
    options.fill("#server", f"http://127.0.0.1:{free_port()}")
    options.click("#test")
    expect(options.locator("#status")).to_contain_text("Cannot reach the Vouch server")


def test_save_keeps_the_token_out_of_the_page_and_enables_a_site(setup, options, live_server):
    browser, pages = setup
    site = f"http://127.0.0.1:{pages.port}"
    token = live_server.token_for("sam@vouch.example")
    options.fill("#server", live_server.url + "/")
    paste_token(options, token)
    options.fill("#sites", site)
    options.click("button[type=submit]")
    expect(options.locator("#status")).to_have_text("Saved.")
    expect(options.locator("#token")).to_have_value("")
    assert (stored(browser, "serverUrl"), stored(browser, "token")) == (live_server.url, token)

    options.reload()
    expect(options.locator("#token")).to_have_attribute("placeholder", "A token is saved (hidden)")
    expect(options.locator("#sites")).to_have_value(site)

    # The site now gets the sidebar (the generic adapter reads the mailto: link). The
    # test hook opens the shadow root so the test can look inside.
    browser.worker.evaluate("chrome.storage.local.set({ debugOpenShadow: true })")
    registered = "async () => (await chrome.scripting.getRegisteredContentScripts()).flatMap((s) => s.matches)"
    for _ in range(100):
        if browser.worker.evaluate(registered):
            break
        options.wait_for_timeout(50)
    assert browser.worker.evaluate(registered) == [f"{site}/*"]
    page = browser.context.new_page()
    page.goto(f"{site}/desk.html")
    expect(page.locator("#vouch-sidebar-host .customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.close()


def test_connect_signs_in_on_the_server_and_the_extension_gets_its_own_token(setup, options, live_server):
    browser, _ = setup
    options.fill("#server", live_server.url)
    with browser.context.expect_page() as opened:
        options.click("#connect")
    tab = opened.value
    tab.wait_for_url("**/sign-in?next=/connect")
    tab.get_by_label("Email").fill("jo@vouch.example")
    tab.get_by_label("Password").fill("vouch-demo")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url("**/connect")
    expect(tab.get_by_role("strong")).to_have_text("Jo Rivera")
    with tab.expect_event("close"):
        tab.get_by_role("button", name="Connect").click()
    expect(options.locator("#status")).to_have_text("Connected as Jo Rivera <jo@vouch.example>.")
    token = stored(browser, "token")
    assert token.startswith("vch_") and stored(browser, "serverUrl") == live_server.url
    me = httpx.get(f"{live_server.url}/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == "jo@vouch.example"


def test_a_token_on_another_site_is_never_picked_up(setup, options, live_server):
    """Only the server's own /connect page, in the tab the extension opened, hands over a token."""
    browser, pages = setup
    before = stored(browser, "token")
    options.fill("#server", live_server.url)
    with browser.context.expect_page() as opened:
        options.click("#connect")
    tab = opened.value
    tab.wait_for_load_state()  # the sign-in page, or the connect page if signed in already
    tab.goto(f"http://127.0.0.1:{pages.port}/connect/fake-connect.html")
    expect(tab.locator("#vouch-extension-token")).to_be_attached()
    tab.wait_for_timeout(500)
    assert not tab.is_closed() and stored(browser, "token") == before
    tab.close()
