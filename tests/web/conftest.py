"""A seeded server and a Chromium for the web app's browser tests, shared by a module;
screenshots go to the module's temporary directory (`browser.shots`)."""

from __future__ import annotations

import pytest

from tests.live import LiveServer
from tests.web.browser import WebBrowser


@pytest.fixture(scope="module")
def web_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("web")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory, web_server):
    chromium = WebBrowser(web_server.url, tmp_path_factory.mktemp("screenshots"))
    yield chromium
    chromium.close()


@pytest.fixture(autouse=True)
def _no_browser_errors(request):
    """Every browser test ends with no script error and no CSP violation in any tab."""
    if "browser" not in request.fixturenames:
        yield
        return
    chromium = request.getfixturevalue("browser")
    chromium.problems.clear()
    chromium.allowed.clear()
    yield
    assert chromium.problems == [], chromium.problems
