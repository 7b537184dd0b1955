"""The sidebar in the agent's own language: a browser set to Turkish, Chinese or Estonian
shows the words of its _locales file around the server's data. Its own module, so its Chromium is the only one running
(Playwright's sync API allows one per thread)."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import CONVERSATION, SIDEBAR, Browser, PageServer


# The browser's language → what the sidebar says around Maria's conversation.
SAID = {
    "tr": ("Müşteri", "Önerilen kartlar", "maria.santos@northwind.example adresinden tanındı", "Bu müşteri değil"),
    "zh-CN": ("客户", "推荐卡片", "通过邮箱地址 maria.santos@northwind.example 识别", "不是这个客户"),
    "et": ("Klient", "Soovitatud kaardid", "Tuvastatud aadressi maria.santos@northwind.example järgi", "Pole see klient"),
}


@pytest.mark.parametrize("language", SAID)
def test_the_sidebar_speaks_the_browsers_language(tmp_path, live_server, language):
    """A Turkish, Chinese or Estonian browser gets its own words (_locales/tr, zh_CN, et)
    around the server's data, which stays as it is."""
    heading, suggested, matched, not_this = SAID[language]
    pages = PageServer(tmp_path, ["mail.google.com"])
    browser = Browser(tmp_path, pages.port, ["mail.google.com"], language=language)
    try:
        browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
        page = browser.context.new_page()
        page.goto(CONVERSATION)
        sidebar = page.locator(SIDEBAR)
        expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
        expect(sidebar.locator("section.customer h2")).to_have_text(heading)
        expect(sidebar.locator(".suggestions h2")).to_have_text(suggested)
        expect(sidebar.locator(".matched-by")).to_contain_text(matched)
        expect(sidebar.get_by_role("button", name=not_this)).to_be_visible()
    finally:
        browser.close()
        pages.stop()
