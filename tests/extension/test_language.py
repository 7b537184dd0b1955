"""The sidebar in the agent's own language: a browser set to Turkish shows the words of
_locales/tr around the server's data. Its own module, so its Chromium is the only one running
(Playwright's sync API allows one per thread)."""

from playwright.sync_api import expect

from tests.extension.browser import CONVERSATION, SIDEBAR, Browser, PageServer


def test_the_sidebar_speaks_the_browsers_language(tmp_path, live_server):
    """A Turkish browser gets the Turkish words (_locales/tr), the server's data unchanged."""
    pages = PageServer(tmp_path, ["mail.google.com"])
    turkish = Browser(tmp_path, pages.port, ["mail.google.com"], language="tr")
    try:
        turkish.configure(live_server.url, live_server.token_for("sam@vouch.example"))
        page = turkish.context.new_page()
        page.goto(CONVERSATION)
        sidebar = page.locator(SIDEBAR)
        expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
        expect(sidebar.locator("section.customer h2")).to_have_text("Müşteri")
        expect(sidebar.locator(".suggestions h2")).to_have_text("Önerilen kartlar")
        expect(sidebar.locator(".matched-by")).to_contain_text("maria.santos@northwind.example adresinden tanındı")
        expect(sidebar.get_by_role("button", name="Bu müşteri değil")).to_be_visible()
    finally:
        turkish.close()
        pages.stop()
