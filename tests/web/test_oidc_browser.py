"""Company sign-in in a real Chromium: the button on Vouch's sign-in page, the real
provider's login form (oidc-provider under Node), and back to the page asked for, signed in."""

from __future__ import annotations

import pytest

from tests.accounts.oidc_servers import live_vouch_with_provider
from tests.web.browser import WebBrowser


@pytest.fixture(scope="module")
def provider_and_server(tmp_path_factory):
    with live_vouch_with_provider(tmp_path_factory.mktemp("oidc-web")) as both:
        yield both


@pytest.fixture(scope="module")
def browser(tmp_path_factory, provider_and_server):
    _, server = provider_and_server
    chromium = WebBrowser(server.url, tmp_path_factory.mktemp("screenshots"))
    yield chromium
    chromium.close()


def test_signing_in_with_the_company_provider_in_chromium(browser, provider_and_server):
    provider, server = provider_and_server
    page = browser.page()
    # This test's pages come from two servers on 127.0.0.1: Vouch's and the provider's.
    page.context.unroute("**/*")
    page.context.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith((server.url, provider.issuer)) else route.abort())

    page.goto("/sign-in?next=/queue")
    page.get_by_role("link", name="Sign in with Example Corp").click()
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.locator("input[name=login]").fill("ada")
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{server.url}/queue")
    assert "Ada Lovelace" in page.content()
    browser.shoot(page, "signed-in-with-the-company-provider")
    # The provider's development login page asks for web fonts off this machine, which the
    # route above refuses; only Vouch's own pages must be free of errors.
    browser.problems[:] = [problem for problem in browser.problems if not problem.startswith(provider.issuer)]
