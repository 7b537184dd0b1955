"""A collection's access page in a real Chromium: reached from the admin's collections list,
people and a group added with their roles, the collection restricted; it fits 1280 and 800
pixels (docs/screenshots/access.png is its screenshot)."""

from __future__ import annotations

from playwright.sync_api import expect

ADMIN = "admin@vouch.example"


def test_an_admin_restricts_a_collection_to_its_list(browser):
    page = browser.sign_in(browser.page(), ADMIN, then="/admin/groups")
    page.get_by_label("Name").fill("Billing team")
    page.get_by_role("button", name="Create group").click()
    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Collections").click()
    page.get_by_role("link", name="who can see Escalations").click()
    expect(page.get_by_role("heading", name="Who can see Escalations")).to_be_visible()
    expect(page.get_by_text("An admin is not a reader of a restricted collection unless listed here.")).to_be_visible()
    for email, role in (("sam@vouch.example", "Read and edit"), ("jo@vouch.example", "Read, edit and verify"),
                        (ADMIN, "Read")):
        page.get_by_label("A person's email").fill(email)
        page.get_by_label("Role for the person").select_option(label=role)
        page.get_by_role("button", name="Add person").click()
        expect(page.get_by_role("status")).to_contain_text("may now")
    page.get_by_label("A group").select_option("Billing team")
    page.get_by_role("button", name="Add group").click()
    expect(page.get_by_role("status")).to_contain_text("The group Billing team may now read")
    page.once("dialog", lambda dialog: dialog.accept())  # "Restrict …? Cards whose verifier is not on it …"
    page.get_by_role("button", name="Restrict to this list").click()
    expect(page.get_by_role("status")).to_contain_text("is restricted")
    expect(page.locator("table.access-list tr", has_text="Jo Rivera")).to_contain_text("Read, edit and verify")
    browser.shoot(page, "access")
    narrow = browser.sign_in(browser.page(width=800), ADMIN, then=page.url.removeprefix(browser.base_url))
    expect(narrow.get_by_role("button", name="Open to every member")).to_be_visible()
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 800  # nothing overflows sideways
    browser.shoot(narrow, "access-800")
