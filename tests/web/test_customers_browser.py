"""The customers and transfer pages in a real Chromium against the seeded server: find a
customer as you type, keep a quick fact across a reload, export a collection and import it
back. Screenshots land in `browser.shots` (customer*, transfer*)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

AGENT, ADMIN = "sam@vouch.example", "admin@vouch.example"


def test_an_agent_finds_northwind_and_keeps_a_quick_fact(browser):
    sam = browser.sign_in(browser.page(), AGENT)
    sam.get_by_role("link", name="Customers").click()
    sam.wait_for_url("**/customers")
    search = sam.get_by_label("Find a customer")
    expect(search).to_be_focused()
    search.press_sequentially("northw", delay=30)
    results = sam.locator("#customer-results")
    expect(results.get_by_role("link")).to_have_count(1)  # filtered as she types, without a reload
    expect(sam).to_have_url(re.compile(r"/customers\?q=northw$"))
    browser.shoot(sam, "customers")
    results.get_by_role("link", name="Northwind Traders").click()
    sam.wait_for_url(re.compile(r"/customers/\d+$"))
    expect(sam.get_by_role("heading", name="Northwind Traders", level=1)).to_be_visible()

    fact = "Maria prefers a call before noon <b>CET</b>; javascript:alert(1) stays text."
    sam.get_by_label("New quick fact").fill(fact)
    sam.get_by_role("button", name="Add fact").click()
    expect(sam.get_by_role("status").filter(has_text="Quick fact added.")).to_be_visible()
    listed = sam.locator(".fact-text", has_text="Maria prefers a call before noon")
    expect(listed).to_have_text(fact)
    sam.reload()
    expect(listed).to_have_text(fact)
    expect(sam.locator(".fact-text b")).to_have_count(0)
    browser.shoot(sam, "customer")

    # Two tabs edit the same fact: the later save shows the newer text and keeps what was typed.
    item = sam.locator(".fact", has_text="Maria prefers a call before noon")
    item.get_by_text("Edit text").click()
    other = browser.second_tab(sam)
    other.goto(sam.url)
    other_item = other.locator(".fact", has_text="Maria prefers a call before noon")
    other_item.get_by_text("Edit text").click()
    other_item.get_by_label("Text").fill("Maria prefers a call before 11:00 CET.")
    other_item.get_by_role("button", name="Save").click()
    expect(other.get_by_role("status").filter(has_text="Quick fact saved.")).to_be_visible()
    browser.allow(409)
    item.get_by_label("Text").fill("Maria prefers email now.")
    item.get_by_role("button", name="Save").click()
    expect(sam.get_by_role("alert")).to_contain_text("Someone changed this fact after you opened the page")
    conflicted = sam.locator(".fact", has_text="Maria prefers a call before 11:00 CET.")
    expect(conflicted.get_by_label("Your text")).to_have_value("Maria prefers email now.")
    browser.shoot(sam, "customer-conflict")
    conflicted.get_by_role("button", name="Save mine over theirs").click()
    expect(sam.locator(".fact-text", has_text="Maria prefers email now.")).to_be_visible()
    other.close()

    narrow = browser.sign_in(browser.page(width=800), AGENT)
    narrow.goto(sam.url.split("#")[0])
    expect(narrow.locator(".fact-text", has_text="Maria prefers email now.")).to_be_visible()
    browser.shoot(narrow, "customer-800")

    sam.goto("/transfer")
    expect(sam.get_by_text("Only an admin or a collection's default verifier")).to_be_visible()
    browser.shoot(sam, "transfer-agent")


def test_an_admin_exports_a_collection_and_imports_it_back_unchanged(browser, tmp_path):
    admin = browser.sign_in(browser.page(), ADMIN)
    admin.goto("/transfer")
    browser.shoot(admin, "transfer")
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Export “Policies” as zip").click()
    archive = tmp_path / "policies.zip"
    download.value.save_as(archive)
    admin.get_by_label("Collection", exact=True).select_option(label="Policies")
    admin.get_by_label("Zip file").set_input_files(archive)
    admin.get_by_role("button", name="Import", exact=True).click()
    expect(admin.get_by_role("heading", name="Imported into Policies")).to_be_visible()
    expect(admin.get_by_text("Every file was imported.")).to_be_visible()
    expect(admin.locator(".counts li").nth(2)).to_contain_text("unchanged")
    assert int(admin.locator(".counts li").nth(2).locator("strong").text_content()) > 0
    browser.shoot(admin, "transfer-result")

    narrow = browser.sign_in(browser.page(width=800), ADMIN)
    narrow.goto("/transfer")
    huge = tmp_path / "huge.zip"
    huge.write_bytes(b"PK" + bytes(1_200_000))
    narrow.get_by_label("Zip file").set_input_files(huge)
    expect(narrow.get_by_role("alert")).to_contain_text("the server accepts at most 1,000,000")
    browser.shoot(narrow, "transfer-800")


def test_an_agent_creates_a_customer_and_fixes_a_mistyped_address(browser):
    sam = browser.sign_in(browser.page(), AGENT)
    sam.goto("/customers?q=Fabrikam")
    sam.get_by_role("link", name="Add a customer named “Fabrikam”").click()
    expect(sam.get_by_label("Name", exact=True)).to_have_value("Fabrikam")
    sam.get_by_label("Email addresses").fill("ops@fabrikam.example\nkai at fabrikam.example")
    sam.get_by_label("Domains").fill("fabrikam.example")
    browser.allow(400)
    sam.get_by_role("button", name="Create customer").click()
    expect(sam.get_by_role("alert")).to_contain_text("is not an email address")
    expect(sam.get_by_label("Domains")).to_have_value("fabrikam.example")  # nothing typed is lost
    browser.shoot(sam, "customer-form")
    sam.get_by_label("Email addresses").fill("ops@fabrikam.example\nkai@fabrikam.example")
    sam.get_by_role("button", name="Create customer").click()
    expect(sam.get_by_role("status").filter(has_text="Customer “Fabrikam” created.")).to_be_visible()
    expect(sam.locator(".customer-addresses")).to_contain_text("kai@fabrikam.example")
