"""Tokens, analytics and admin in a real Chromium: a token is shown once, revoked, and then
refused by the API; the analytics and admin pages look right at 1280 and 800 pixels."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

ADMIN, AGENT = "admin@vouch.example", "sam@vouch.example"


def test_a_token_is_shown_once_and_stops_working_when_revoked(browser, web_server):
    page = browser.sign_in(browser.page(), ADMIN, then="/tokens")
    page.get_by_label("Name").fill("Browser test laptop")
    page.get_by_role("button", name="Create token").click()
    field = page.get_by_label("Your new API token")
    expect(field).to_have_attribute("readonly", "")
    token = field.input_value()
    assert token.startswith("vch_")
    browser.shoot(page, "token-created")
    assert httpx.get(f"{web_server.url}/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    page.get_by_role("link", name="Done").click()
    row = page.locator("tr", has_text="Browser test laptop")
    expect(row).to_contain_text(token[:10])
    assert token not in page.content()  # shown once, then only its first characters
    page.once("dialog", lambda dialog: dialog.accept())  # "Revoke …? Anything using it stops working"
    row.get_by_role("button", name="Revoke Browser test laptop").click()
    expect(page.get_by_role("status").filter(has_text="revoked")).to_be_visible()
    expect(row).to_contain_text("Revoked")
    browser.shoot(page, "tokens")
    answer = httpx.get(f"{web_server.url}/api/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_analytics_and_admin_pages_at_1280_and_800_pixels(browser, web_server):
    with web_server.api(AGENT) as api:  # a few searches, so the reports have rows
        for query in ("refund policy", "zebra quantum teapot", "=cmd|' /C calc'!A0", "<b>bold</b> question"):
            api.get("/api/search", params={"q": query, "source": "editor"})
    for width in (1280, 800):
        page = browser.sign_in(browser.page(width=width), ADMIN, then="/analytics")
        expect(page.get_by_role("heading", name="Analytics")).to_be_visible()
        expect(page.locator("svg[role=img]#trust-trend")).to_be_visible()
        expect(page.get_by_role("img", name="Trust score by collection")).to_be_visible()
        expect(page.get_by_text("<b>bold</b> question").first).to_be_visible()
        link = page.get_by_role("link", name="Write a card for this: zebra quantum teapot")
        expect(link).to_have_attribute("href", "/cards/new?title=zebra%20quantum%20teapot")
        browser.shoot(page, "analytics" if width == 1280 else f"analytics-{width}")
        page.get_by_role("link", name="7 days").click()
        expect(page.get_by_role("link", name="7 days")).to_have_attribute("aria-current", "page")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows sideways

        page.goto("/admin")
        expect(page.get_by_role("heading", name="Users")).to_be_visible()
        expect(page.locator("tr", has_text=AGENT)).to_contain_text("Active")
        browser.shoot(page, "admin" if width == 1280 else f"admin-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for tab, shot in (("Groups", "groups"), ("Collections", "collections"), ("API tokens", "admin-tokens")):
            page.get_by_role("navigation", name="Admin").get_by_role("link", name=tab).click()
            expect(page.get_by_role("link", name=tab)).to_have_attribute("aria-current", "page")
            browser.shoot(page, f"{shot}-{width}")
        page.context.close()


def test_a_member_sees_neither_analytics_nor_admin(browser):
    """Sam owns no collection: analytics (everyone's searches) are for admins and owners."""
    page = browser.sign_in(browser.page(), AGENT)
    main_menu = page.get_by_role("navigation", name="Main")
    expect(main_menu.get_by_role("link", name="Cards", exact=True)).to_be_visible()
    expect(main_menu.get_by_role("link", name="Admin", exact=True)).to_have_count(0)
    expect(main_menu.get_by_role("link", name="Analytics", exact=True)).to_have_count(0)
    browser.allow(403)
    page.goto("/analytics")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    page.goto("/admin")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Only admins")


def test_the_audit_log_filters_and_downloads_in_a_browser(browser, web_server):
    with web_server.api(AGENT) as api:  # something to find: a quick fact with markup in it
        customer = api.get("/api/customers").json()[0]
        api.post(f"/api/customers/{customer['id']}/facts", json={"text": "<b>Renews</b> on 1 March."})
    for width in (1280, 800):
        page = browser.sign_in(browser.page(width=width), ADMIN, then="/admin/audit")
        expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
        page.get_by_label("Object").select_option("fact")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(f"{web_server.url}/admin/audit?action=&target_type=fact&actor=&since=&until=")
        row = page.locator("table.audit-log tbody tr").first
        expect(row).to_contain_text(AGENT)
        expect(row).to_contain_text("<b>Renews</b> on 1 March.")  # shown as text, never as markup
        browser.shoot(page, "audit" if width == 1280 else f"audit-{width}", full_page=False)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV").click()
        assert "Renews" in download.value.path().read_text(encoding="utf-8-sig")
