"""The sidebar's features beside Maria's conversation: search, quick facts, flags, the
verifier's queue, and a save that lost a race."""

import re
import sqlite3
from datetime import datetime, timezone

from playwright.sync_api import expect

from tests.extension.browser import CONVERSATION, INBOX, SIDEBAR, toolbar_badge


def test_search_in_the_sidebar(sam_page):
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    sidebar.locator("input.search").fill("refund")
    expect(sidebar.locator(".search-results li.result").first).to_be_visible()
    expect(sidebar.locator(".search-results")).to_contain_text("Handling a refund request")


def test_add_a_quick_fact_from_the_sidebar(sam_page, live_server):
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    sidebar.locator(".add-fact input").fill("Prefers calls after <b>3 pm</b> CET")
    sidebar.locator(".add-fact input").press("Enter")
    expect(sidebar.locator("li.fact", has_text="Prefers calls after")).to_be_visible()
    # Typed HTML is shown as text, never as markup.
    expect(sidebar.locator("li.fact", has_text="<b>3 pm</b>")).to_be_visible()
    with live_server.api("sam@vouch.example") as api:
        customer = api.get("/api/customers", params={"q": "northwind"}).json()[0]
        texts = [f["text"] for f in api.get(f"/api/customers/{customer['id']}/facts").json()]
    assert "Prefers calls after <b>3 pm</b> CET" in texts


def test_opening_and_searching_are_recorded_for_analytics(sam_page, live_server):
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    sidebar.locator("input.search").fill("chargebacks")
    sidebar.locator(".search-results button.card-title", has_text="Chargebacks").click()
    expect(sidebar.locator("article.card")).to_be_visible()
    with live_server.api("admin@vouch.example") as api:
        def recorded():
            top = api.get("/api/analytics/top-cards").json()
            return any(row["title"] == "Chargebacks and disputed payments" for row in top)

        for _ in range(50):  # the use event is sent after the card shows
            if recorded():
                break
            sam_page.wait_for_timeout(100)
        assert recorded()
        queries = [row["query"] for row in api.get("/api/analytics/top-queries").json()]
    assert "chargebacks" in queries


def test_flag_a_card_from_the_sidebar(sam_page, live_server):
    sidebar = sam_page.locator(SIDEBAR)
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    sidebar.locator("button.flag").click()
    sidebar.locator(".flag-form select").select_option("outdated")
    sidebar.locator(".flag-form input.flag-reason").fill("The bank now takes 3 to 5 days.")
    sidebar.locator(".flag-form button[type=submit]").click()
    expect(sidebar.locator(".flag-slot .notice.info")).to_contain_text("you will hear back")
    with live_server.api("ada@vouch.example") as api:
        flags = api.get("/api/flags").json()
    assert any(f["reason"] == "The bank now takes 3 to 5 days." and f["kind"] == "outdated" for f in flags)


def test_verifier_opens_the_queue_from_the_sidebar_and_the_count_drops(browser, live_server):
    # An agent's edit puts one of Ada's cards in her queue; verifying it takes it out.
    with live_server.api("sam@vouch.example") as sam:
        found = sam.get("/api/search", params={"q": "GDPR deletion"}).json()["results"][0]
        card = sam.get(f"/api/cards/{found['id']}").json()
        saved = sam.put(f"/api/cards/{card['id']}", headers={"If-Match": f'"{card["version"]}"'},
                        json={"title": card["title"], "body": card["body"] + "\n\nConfirm the request in writing.",
                              "tags": card["tags"], "origin": {"kind": "api"}})
        assert saved.json()["status"] == "unverified"
    browser.configure(live_server.url, live_server.token_for("ada@vouch.example"))
    page = browser.context.new_page()
    page.goto(CONVERSATION)
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator("button.queue")).to_contain_text("to verify", timeout=15000)
    before = int(sidebar.locator("button.queue").inner_text().split()[0])
    assert int(toolbar_badge(browser)) == before
    sidebar.locator("button.queue").click()
    item = sidebar.locator(".queue-list li.result", has_text=card["title"])
    expect(item.locator(".meta")).to_contain_text("edited")
    item.locator("button.card-title").click()
    expect(sidebar.locator("article.card h3.card-title")).to_have_text(card["title"])
    sidebar.locator("button.verify").click()
    expect(sidebar.locator("article.card .badge")).to_have_text("Verified")
    if before > 1:
        expect(sidebar.locator("button.queue")).to_have_text(f"{before - 1} to verify")
    else:
        expect(sidebar.locator("button.queue")).to_be_hidden()
    assert int(toolbar_badge(browser) or 0) == before - 1
    page.close()


def test_resolving_a_flag_tells_the_flagger_in_the_sidebar(browser, live_server):
    with live_server.api("sam@vouch.example") as sam, live_server.api("ada@vouch.example") as ada:
        card = sam.get("/api/search", params={"q": "refund"}).json()["results"][0]
        flag = sam.post(f"/api/cards/{card['id']}/flags", json={"kind": "unclear", "reason": "Which bank days?"}).json()
        assert ada.post(f"/api/flags/{flag['id']}/resolve",
                        json={"resolution": "Now says business days.", "fixed": True}).status_code == 200
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(CONVERSATION)
    note = page.locator(f"{SIDEBAR} .notifications .note", has_text="Now says business days.")
    expect(note).to_be_visible(timeout=15000)
    note.locator("button").click()
    expect(note).to_have_count(0)
    page.close()


def test_a_stale_save_shows_the_newer_text_and_lets_the_agent_reapply(sam_page, live_server):
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    sidebar.locator("input.search").fill("chargebacks")
    sidebar.locator(".search-results button.card-title", has_text="Chargebacks").click()
    card = sidebar.locator("article.card")
    card_id = int(card.get_attribute("data-card-id"))
    card.locator("button.edit").click()
    body = sidebar.locator("textarea.edit-body")
    body.fill(body.input_value() + "\n\nAsk for the bank's dispute letter.")
    # Meanwhile the card's expert saves a change of her own.
    with live_server.api("ada@vouch.example") as ada:
        current = ada.get(f"/api/cards/{card_id}").json()
        theirs = current["body"] + "\n\nDisputes over 500 EUR go to finance."
        assert ada.put(f"/api/cards/{card_id}", headers={"If-Match": f'"{current["version"]}"'},
                       json={"title": current["title"], "body": theirs, "tags": current["tags"]}).status_code == 200
    sidebar.locator("button.save").click()
    conflict = sidebar.locator(".conflict")
    expect(conflict).to_contain_text("This card changed since you opened it")
    expect(conflict.locator("pre.current-body")).to_contain_text("Disputes over 500 EUR go to finance.")
    expect(body).to_have_value(re.compile("Ask for the bank's dispute letter"))  # nothing the agent typed is lost
    # Reapply the edit on top of the newer text, then save.
    conflict.locator("button.use-current").click()
    body.fill(body.input_value() + "\n\nAsk for the bank's dispute letter.")
    sidebar.locator("button.save").click()
    expect(sidebar.locator(".notice.info")).to_contain_text("unverified")
    with live_server.api("sam@vouch.example") as api:
        saved = api.get(f"/api/cards/{card_id}").json()
    assert saved["version"] == current["version"] + 2
    assert "500 EUR go to finance" in saved["body"] and "dispute letter" in saved["body"]
    assert saved["status"] == "unverified"


def test_expired_facts_are_marked_and_pinned_ones_lead(browser, live_server):
    with live_server.api("sam@vouch.example") as api:
        customer = api.get("/api/customers", params={"q": "northwind"}).json()[0]
        created = api.post(f"/api/customers/{customer['id']}/facts",
                           json={"text": "Autumn promo code NW-AUTUMN applies.", "expires_at": "2020-01-01T00:00:00Z"})
        assert created.status_code == 201
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(CONVERSATION)
    facts = page.locator(f"{SIDEBAR} li.fact")
    expect(facts.first).to_contain_text("120 seats", timeout=15000)
    expired = page.locator(f"{SIDEBAR} li.fact", has_text="NW-AUTUMN")
    expect(expired.locator(".tag-expired")).to_have_text("expired")
    expect(page.locator(f"{SIDEBAR} li.fact", has_text="numbered steps").locator(".tag-expired")).to_have_count(0)
    page.close()


def _uses_of(live_server, title: str) -> int:
    with live_server.api("admin@vouch.example") as api:
        rows = api.get("/api/analytics/top-cards", params={"days": 1}).json()
    return next((row["uses"] for row in rows if row["title"] == title), 0)


def test_insert_puts_the_card_into_the_reply_being_written(sam_page, live_server):
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    before = _uses_of(live_server, "Handling a refund request")
    reply = sam_page.locator("#reply")
    reply.click()
    sam_page.keyboard.press("End")
    sidebar.locator("input.search").fill("refund")
    sidebar.locator(".search-results button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Inserted into your reply.")
    expect(reply).to_contain_text("Hi Maria,")
    expect(reply.locator("strong", has_text="full refund within 30 days")).to_be_visible()
    expect(reply.locator("ol li")).to_have_count(3)
    assert reply.locator("script, [onerror]").count() == 0
    for _ in range(50):  # opened, then inserted: both count as uses
        if _uses_of(live_server, "Handling a refund request") >= before + 2:
            break
        sam_page.wait_for_timeout(100)
    assert _uses_of(live_server, "Handling a refund request") >= before + 2


def test_insert_without_a_reply_open_says_what_to_do(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(INBOX)
    sidebar = page.locator(SIDEBAR)
    sidebar.locator("input.search").fill("refund")
    sidebar.locator(".search-results button.card-title", has_text="Handling a refund request").click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.error")).to_have_text("Open a reply (or click into the reply box), then press Insert.")
    page.close()


def test_a_fact_is_confirmed_pinned_and_dated_from_the_sidebar(sam_page, live_server):
    """A fact nobody confirmed for longer than the install's setting (180 days) is marked
    "may be stale" with one click to confirm; its pin, reminder and expiry are set in place."""
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    with live_server.api("sam@vouch.example") as api:
        customer = api.get("/api/customers", params={"q": "northwind"}).json()[0]
        fact = api.post(f"/api/customers/{customer['id']}/facts",
                        json={"text": "Renewal handled by Ayla in finance"}).json()
        # Time passes: the fact was last confirmed 200 days ago, by nobody still named.
        with sqlite3.connect(live_server.data_dir / "vouch.db") as db:
            db.execute("UPDATE quickfact SET confirmed_at = datetime('now', '-200 days'), confirmed_by_id = NULL "
                       "WHERE id = ?", (fact["id"],))
        try:
            sam_page.reload()
            item = sidebar.locator("li.fact", has_text="Renewal handled by Ayla")
            expect(item.locator(".tag-stale")).to_have_text("may be stale", timeout=15000)
            item.get_by_role("button", name="Confirm", exact=True).click()
            item = sidebar.locator("li.fact", has_text="Renewal handled by Ayla")
            expect(item.locator(".tag-stale")).to_have_count(0)
            today = datetime.now(timezone.utc).date().isoformat()
            expect(item.locator(".meta")).to_contain_text(f"confirmed {today} by Sam Agent")

            item.get_by_role("button", name="Edit", exact=True).click()
            form = sidebar.locator("form.fact-edit")
            form.locator("input.fact-pinned").check()
            form.locator("input.fact-remind").fill("2027-02-15")
            form.locator("input.fact-expires").fill("2027-03-02")
            form.get_by_role("button", name="Save", exact=True).click()
            item = sidebar.locator("li.fact.pinned", has_text="Renewal handled by Ayla")
            expect(item.locator(".meta")).to_contain_text("reminder 2027-02-15")
            expect(item.locator(".meta")).to_contain_text("expires 2027-03-02")
            saved = next(f for f in api.get(f"/api/customers/{customer['id']}/facts").json() if f["id"] == fact["id"])
            assert saved["pinned"] is True and saved["text"] == "Renewal handled by Ayla in finance"
            assert saved["remind_at"].startswith("2027-02-15") and saved["expires_at"].startswith("2027-03-02")
        finally:
            api.delete(f"/api/facts/{fact['id']}")


def test_not_this_customer_picks_another_and_is_remembered(sam_page, live_server):
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    expect(sidebar.locator(".matched-by")).to_contain_text("Recognised by the address maria.santos@northwind.example")
    sidebar.get_by_role("button", name="Not this customer").click()
    sidebar.locator("input.find-customer").fill("bluefin")
    sidebar.locator(".customer-results button.pick", has_text="Bluefin Logistics").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics")
    expect(sidebar.locator(".matched-by")).to_contain_text("Chosen by you for this conversation")
    expect(sidebar.locator("li.fact").first).to_be_visible()  # Bluefin's facts now
    # Kept for this conversation: the page opened again shows the agent's choice.
    sam_page.reload()
    expect(sidebar.locator(".customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    sidebar.get_by_role("button", name="Not this customer").click()
    sidebar.get_by_role("button", name="Match automatically again").click()
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders")


def test_insert_fills_the_templates_placeholders_in_gmail(sam_page, template):
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_be_visible(timeout=15000)
    sidebar.locator("input.search").fill("refund on its way template")
    sidebar.locator(".search-results button.card-title", has_text=template).click()
    sidebar.get_by_role("button", name="Insert").click()
    expect(sidebar.locator(".notice.info")).to_have_text("Fill in before sending: {{fact:Renewal date}}")
    reply = sam_page.locator("#reply")
    expect(reply).to_contain_text("The refund for Northwind Traders is on its way.")
    expect(reply.locator("mark", has_text="{{fact:Renewal date}}")).to_be_visible()
    # Copy fills the same way: both flavours on the clipboard, the text one plain.
    sam_page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin="https://mail.google.com")
    sidebar.get_by_role("button", name="Copy", exact=True).click()
    copied = {}
    for _ in range(50):  # the copy lands once the server has filled the card
        copied = sam_page.evaluate("""async () => {
            const out = {};
            for (const item of await navigator.clipboard.read()) {
                for (const type of item.types) out[type] = await (await item.getType(type)).text();
            }
            return out; }""")
        if copied:
            break
        sam_page.wait_for_timeout(100)
    expect(sidebar.locator(".notice.info")).to_have_text("Fill in before sending: {{fact:Renewal date}}")
    assert copied["text/plain"].startswith("Hi Maria,") and "{{fact:Renewal date}}" in copied["text/plain"]
    assert "Northwind Traders" in copied["text/html"] and "<mark" in copied["text/html"]
