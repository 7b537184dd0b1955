"""The extension's connect flow on a server whose people sign in with the company's provider:
the real extension in Chromium opens the server's connect page, the sign-in goes through the
real provider (oidc-provider under Node) and back, and the extension gets its own token for
the person the provider named."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.accounts.oidc_servers import live_vouch_with_provider
from tests.extension.browser import Browser, PlainServer
from tests.extension.test_options import stored


@pytest.fixture(scope="module")
def provider_and_server(tmp_path_factory):
    with live_vouch_with_provider(tmp_path_factory.mktemp("oidc-connect")) as both:
        yield both


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    pages = PlainServer()
    browser = Browser(tmp_path_factory.mktemp("connect-oidc"), pages.port, ["mail.google.com"])
    yield browser
    browser.close()
    pages.stop()


def test_connecting_the_extension_with_a_company_sign_in(chromium, provider_and_server):
    provider, server = provider_and_server
    options = chromium.context.new_page()
    options.goto(f"chrome-extension://{chromium.extension_id}/options.html")
    expect(options.locator("#server")).not_to_have_value("")
    options.fill("#server", server.url)
    with chromium.context.expect_page() as opened:
        options.click("#connect")
    tab = opened.value
    tab.wait_for_url("**/sign-in?next=/connect")
    tab.get_by_role("link", name="Sign in with Example Corp").click()
    tab.wait_for_url(f"{provider.issuer}/interaction/**")
    tab.locator("input[name=login]").fill("ada")
    tab.locator("input[name=password]").fill("any password")
    tab.get_by_role("button", name="Sign-in").click()
    tab.wait_for_url(f"{server.url}/connect")  # back from the provider to the page that asked
    expect(tab.get_by_role("strong")).to_have_text("Ada Lovelace")
    with tab.expect_event("close"):
        tab.get_by_role("button", name="Connect").click()
    expect(options.locator("#status")).to_have_text("Connected as Ada Lovelace <ada@example.com>.")
    token = stored(chromium, "token")
    me = httpx.get(f"{server.url}/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == "ada@example.com"
    tokens = httpx.get(f"{server.url}/api/tokens", headers={"Authorization": f"Bearer {token}"}).json()
    assert [t["name"] for t in tokens] == ["Browser extension"]  # made by the connect page, for the extension
    options.close()
