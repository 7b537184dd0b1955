"""The card pages in a real Chromium against a real server: write, edit, verify, resolve a
conflict between two tabs, restore, keep a draft. Screenshots land in `browser.shots`."""

from __future__ import annotations

import re

from playwright.sync_api import expect

EXPERT, AGENT = "ada@vouch.example", "sam@vouch.example"  # Ada verifies the Policies collection


def _write_card(browser, page, title: str, body: str) -> str:
    page.goto("/cards/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Collection").select_option(label="Policies")
    page.get_by_label("Body").fill(body)
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url(re.compile(r"/cards/\d+\?saved=new$"))
    return page.url.split("?")[0]


def test_an_agent_edits_an_expert_card_and_the_expert_verifies_it_from_her_queue(browser):
    ada = browser.sign_in(browser.page(), EXPERT)
    ada.goto("/cards/new")
    ada.get_by_label("Title").fill("Replacing a damaged shipment")
    ada.get_by_label("Collection").select_option(label="Policies")
    ada.get_by_label("Body").fill("**Ship a replacement** within 2 business days.\n\n- Ask for a photo")
    expect(ada.locator("#preview strong")).to_have_text("Ship a replacement")  # rendered by the server
    browser.shoot(ada, "editor")
    ada.get_by_role("button", name="Save", exact=True).click()
    expect(ada.get_by_role("status").filter(has_text="Card created (verified)")).to_be_visible()
    expect(ada.locator(".page-head .status")).to_have_text("Verified")
    card_url = ada.url.split("?")[0]
    browser.shoot(ada, "card")

    sam = browser.sign_in(browser.page(), AGENT)
    sam.goto(card_url)
    expect(sam.get_by_role("button", name="Verify")).to_have_count(0)  # not his card to verify
    sam.keyboard.press("e")  # the edit shortcut
    sam.wait_for_url(f"{card_url}/edit")
    expect(sam.get_by_role("button", name="Save & verify")).to_have_count(0)
    sam.get_by_label("Body").fill("**Ship a replacement** within 3 business days.\n\n- Ask for a photo")
    sam.get_by_role("button", name="Save", exact=True).click()
    expect(sam.locator(".page-head .status")).to_have_text("Unverified")
    expect(sam.get_by_text("Edited since it was last verified by Sam Agent")).to_be_visible()

    sam.get_by_role("link", name="See what changed").click()
    expect(sam.locator(".diff del")).to_have_text("2")
    expect(sam.locator(".diff ins")).to_have_text("3")
    browser.shoot(sam, "history")

    ada.goto("/queue")
    badge = ada.locator("header .count")
    waiting = int(badge.text_content())  # the starter content leaves her some work too
    row = ada.locator("tr", has_text="Replacing a damaged shipment")
    expect(row).to_contain_text("Edited since verified")
    browser.shoot(ada, "queue")
    row.get_by_role("button", name="Verify").click()
    expect(ada.get_by_text("“Replacing a damaged shipment” is verified.")).to_be_visible()
    expect(ada.locator("tr", has_text="Replacing a damaged shipment")).to_have_count(0)
    expect(badge).to_have_text(str(waiting - 1)) if waiting > 1 else expect(badge).to_have_count(0)
    sam.goto(card_url)
    expect(sam.locator(".page-head .status")).to_have_text("Verified")


def test_two_tabs_saving_the_same_card_get_a_conflict_view_and_nothing_is_lost(browser):
    ada = browser.sign_in(browser.page(), EXPERT)
    card_url = _write_card(browser, ada, "Changing the billing email", "Billing email changes take effect at once.")
    first, second = ada, browser.second_tab(ada)
    first.goto(f"{card_url}/edit")
    second.goto(f"{card_url}/edit")

    first.get_by_label("Body").fill("Billing email changes take effect on the next invoice.")
    first.get_by_role("button", name="Save & verify").click()
    first.wait_for_url(re.compile(r"\?saved="))

    second.get_by_label("Body").fill("Billing email changes take effect at once. Admins only.")
    browser.allow(409)  # the conflict view answers 409 Conflict
    second.get_by_role("button", name="Save & verify").click()
    expect(second.get_by_role("heading", name="Someone saved this card while you were editing")).to_be_visible()
    expect(second.locator(".conflict .card-body")).to_contain_text("on the next invoice")
    expect(second.get_by_label("Body")).to_have_value("Billing email changes take effect at once. Admins only.")
    expect(second.locator(".conflict .diff ins").first).to_be_visible()
    browser.shoot(second, "conflict")

    second.get_by_label("Body").fill("Billing email changes take effect on the next invoice. Admins only.")
    second.get_by_role("button", name="Save & verify").click()
    second.wait_for_url(re.compile(r"\?saved="))
    expect(second.locator(".card-body")).to_have_text("Billing email changes take effect on the next invoice. Admins only.")


def test_restoring_a_revision_makes_a_new_version_under_the_verification_rules(browser):
    ada = browser.sign_in(browser.page(), EXPERT)
    card_url = _write_card(browser, ada, "Trial extensions", "Extend a trial once, by 14 days.")
    sam = browser.sign_in(browser.page(), AGENT)
    sam.goto(f"{card_url}/edit")
    sam.get_by_label("Body").fill("Extend a trial as often as the customer asks.")
    sam.get_by_role("button", name="Save", exact=True).click()
    sam.wait_for_url(re.compile(r"\?saved="))

    ada.goto(f"{card_url}/history")
    ada.on("dialog", lambda dialog: dialog.accept())
    ada.locator("tr", has=ada.locator("td.num", has_text=re.compile(r"^1$"))).get_by_role("button", name="Restore").click()
    expect(ada.get_by_text("Version 1 restored as version 3 (verified).")).to_be_visible()
    expect(ada.locator("tbody tr").first).to_contain_text("Restored version 1.")
    ada.goto(card_url)
    expect(ada.locator(".card-body")).to_have_text("Extend a trial once, by 14 days.")


def test_an_unsaved_draft_survives_a_reload_and_can_be_discarded(browser):
    sam = browser.sign_in(browser.page(), AGENT)
    sam.goto("/cards/new")
    sam.get_by_label("Title").fill("Half-written card")
    sam.get_by_label("Body").fill("Notes I must not lose")
    sam.reload()
    expect(sam.get_by_text("Your unsaved draft from")).to_be_visible()
    expect(sam.get_by_label("Title")).to_have_value("Half-written card")
    expect(sam.get_by_label("Body")).to_have_value("Notes I must not lose")
    sam.get_by_role("button", name="Discard the draft").click()
    sam.wait_for_load_state()
    expect(sam.get_by_label("Body")).to_have_value("")


def test_search_as_you_type_and_a_card_for_a_search_with_no_answer(browser):
    sam = browser.sign_in(browser.page(), AGENT, then="/queue")
    sam.keyboard.press("/")
    expect(sam.locator("#top-q")).to_be_focused()
    sam.goto("/cards")
    sam.get_by_label("Search", exact=True).fill("refund")
    expect(sam.locator(".card-list a.card-title").first).to_have_text("Handling a refund request")
    expect(sam).to_have_url(re.compile(r"q=refund"))
    browser.shoot(sam, "cards")
    sam.get_by_label("Search", exact=True).fill("parrot insurance")
    sam.get_by_role("link", name="Write a card for “parrot insurance”").click()
    expect(sam.get_by_label("Title")).to_have_value("parrot insurance")


def test_the_pages_work_at_800_pixels(browser):
    ada = browser.sign_in(browser.page(width=800), EXPERT)
    for path, name in (("/cards", "cards-800"), ("/cards/21", "card-800"), ("/cards/21/edit", "editor-800")):
        ada.goto(path)
        assert ada.evaluate("document.documentElement.scrollWidth") <= 800, path
        browser.shoot(ada, name)


def test_a_script_hidden_in_a_card_never_runs(browser, web_server):
    hostile = ("<script>window.pwned = 'script'</script>\n\n<img src=x onerror=\"window.pwned = 'img'\">\n\n"
               "[click me](javascript:window.pwned='link')\n\n<a href=\"javascript:window.pwned='a'\">a link</a>")
    with web_server.api(AGENT) as api:
        card = api.post("/api/cards", json={"collection": "policies", "title": "<script>window.pwned='t'</script>",
                                            "body": hostile}).json()
    sam = browser.sign_in(browser.page(), AGENT)
    for path in (f"/cards/{card['id']}", f"/cards/{card['id']}/edit", f"/cards/{card['id']}/history",
                 "/cards?q=pwned"):
        sam.goto(path)
        sam.wait_for_load_state("networkidle")
        assert sam.evaluate("window.pwned") is None, path
    sam.goto(f"/cards/{card['id']}")
    expect(sam.get_by_role("heading", level=1)).to_have_text("<script>window.pwned='t'</script>")
    sam.get_by_text("[click me]").click()
    assert sam.evaluate("window.pwned") is None


def test_a_search_nobody_could_answer_shows_in_analytics_and_becomes_a_card(browser):
    sam = browser.sign_in(browser.page(), AGENT)
    sam.get_by_label("Search", exact=True).fill("pallet insurance claims")
    expect(sam.get_by_text("No card matches “pallet insurance claims”.")).to_be_visible()

    ada = browser.sign_in(browser.page(), EXPERT, then="/analytics")
    write = ada.get_by_role("link", name="Write a card for this: pallet insurance claims")
    expect(write).to_be_visible()
    browser.shoot(ada, "analytics")
    write.click()
    expect(ada.get_by_label("Title")).to_have_value("pallet insurance claims")
    ada.get_by_label("Title").fill("Insurance claims for damaged pallets")
    ada.get_by_label("Collection").select_option(label="Policies")
    ada.get_by_label("Body").fill("File the claim with the carrier within **7 days** of delivery.")
    ada.get_by_role("button", name="Save", exact=True).click()
    expect(ada.get_by_role("heading", level=1)).to_have_text("Insurance claims for damaged pallets")

    sam.goto("/cards")
    sam.get_by_label("Search", exact=True).fill("pallet insurance claims")
    expect(sam.locator(".card-list a.card-title").first).to_have_text("Insurance claims for damaged pallets")
