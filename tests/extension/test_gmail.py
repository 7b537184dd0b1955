"""From a customer's email in Gmail to a verified card, end to end, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.extension.browser import Browser, PageServer

GMAIL = "https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWDsKmNorthwind"
SIDEBAR = "#vouch-sidebar-host"


def toolbar_badge(browser) -> str:
    """The count on the toolbar button: cards waiting for the signed-in user to verify."""
    return browser.worker.evaluate("chrome.action.getBadgeText({})")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, live_server):
    workdir = tmp_path_factory.mktemp("gmail")
    pages = PageServer(workdir, ["mail.google.com"])
    chromium = Browser(workdir, pages.port, ["mail.google.com"])
    chromium.workdir = workdir
    yield chromium
    chromium.close()
    pages.stop()


@pytest.fixture
def sam_page(browser, live_server):
    browser.server_url = live_server.url
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind")
    yield page
    page.close()


def test_sidebar_shows_customer_facts_and_the_refund_card(sam_page, browser):
    sidebar = sam_page.locator(SIDEBAR)
    expect(sidebar.locator(".customer-name")).to_have_text("Northwind Traders", timeout=15000)
    facts = sidebar.locator("li.fact")
    expect(facts.first).to_contain_text("Enterprise")  # the pinned fact comes first
    expect(sidebar.locator("li.fact.pinned").first).to_contain_text("120 seats")
    suggestion = sidebar.locator(".suggestions li.result", has_text="Handling a refund request")
    expect(suggestion).to_be_visible()
    expect(suggestion.locator(".badge")).to_have_text("Verified")
    # The host page's hostile CSS hides every <button>; the sidebar's own stay visible.
    expect(suggestion.locator("button.card-title")).to_be_visible()
    font = suggestion.locator("button.card-title").evaluate("(b) => getComputedStyle(b).fontFamily")
    assert "Comic Sans" not in font
    # The customer in the hidden inbox list (Bluefin) is not the one in view.
    expect(sidebar.locator(".customer-name")).not_to_contain_text("Bluefin")
    sam_page.screenshot(path=str(browser.workdir / "gmail-sidebar.png"))


def test_agent_edits_inline_then_expert_verifies(sam_page, browser, live_server):
    sidebar = sam_page.locator(SIDEBAR)
    sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    card = sidebar.locator("article.card")
    expect(card.locator(".card-body")).to_contain_text("full refund within 30 days")
    card_id = int(card.get_attribute("data-card-id"))
    with live_server.api("sam@vouch.example") as api:
        before = api.get(f"/api/cards/{card_id}").json()
    card.locator("button.edit").click()
    body = sidebar.locator("textarea.edit-body")
    body.fill(before["body"] + "\n\nDuplicate charges are refunded at once, whatever their age.")
    sidebar.locator("button.save").click()
    expect(sidebar.locator(".notice.info")).to_contain_text("waits for its expert")
    expect(sidebar.locator("article.card .badge")).to_have_text("Unverified")

    with live_server.api("sam@vouch.example") as api:
        after = api.get(f"/api/cards/{card_id}").json()
        revisions = api.get(f"/api/cards/{card_id}/revisions").json()
    assert after["status"] == "unverified"
    assert after["version"] == before["version"] + 1
    assert "whatever their age" in after["body"]
    newest = revisions[0]
    assert (newest["version"], newest["origin"], newest["origin_host"]) == (after["version"], "sidebar", "mail.google.com")
    assert newest["author"]["email"] == "sam@vouch.example"

    # The expert opens the same conversation and verifies the card from the sidebar.
    browser.configure(live_server.url, live_server.token_for("ada@vouch.example"))
    expert = browser.context.new_page()
    expert.goto(sam_page.url)
    expert_sidebar = expert.locator(SIDEBAR)
    expect(expert_sidebar.locator("button.queue")).to_contain_text("to verify", timeout=15000)
    before_count = int(toolbar_badge(browser))
    assert before_count >= 1
    expert_sidebar.locator(".suggestions button.card-title", has_text="Handling a refund request").click()
    expert_sidebar.locator("button.verify").click()
    expect(expert_sidebar.locator("article.card .badge")).to_have_text("Verified")
    assert int(toolbar_badge(browser) or 0) == before_count - 1  # the toolbar count drops
    with live_server.api("ada@vouch.example") as api:
        verified = api.get(f"/api/cards/{card_id}").json()
    assert verified["status"] == "verified" and verified["verified_by"]["email"] == "ada@vouch.example"
    expert.close()


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


def test_single_page_navigation_refreshes_the_sidebar(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto("https://mail.google.com/mail/u/0/gmail-inbox.html#inbox")
    # The inbox list is no conversation: only search is offered, and no customer.
    expect(page.locator(f"{SIDEBAR} .idle")).to_contain_text("Open a conversation", timeout=15000)
    expect(page.locator(f"{SIDEBAR} input.search")).to_be_visible()
    assert page.locator(f"{SIDEBAR} .customer-name").count() == 0
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind")
    expect(page.locator(f"{SIDEBAR} .customer-name")).to_have_text("Northwind Traders", timeout=15000)
    # Gmail swaps the conversation in place: the subject and sender change without a reload.
    page.evaluate("""() => {
        const view = document.getElementById('in-view');
        view.querySelector('h2.hP').textContent = 'Lunch next week?';
        for (const s of view.querySelectorAll('span[email]')) { s.setAttribute('email', 'friend@elsewhere.example'); }
        for (const b of view.querySelectorAll('div.a3s')) { b.textContent = 'Shall we try the noodle place?'; }
        location.hash = '#inbox/OtherThread';
    }""")
    expect(page.locator(f"{SIDEBAR} .customer .empty")).to_contain_text("No known customer", timeout=15000)
    # Which cards fit lunch depends on the starter content; the refund card does not.
    expect(page.locator(f"{SIDEBAR} .suggestions")).not_to_contain_text("Handling a refund request")
    # And on to another customer's thread.
    page.evaluate("""() => {
        const view = document.getElementById('in-view');
        view.querySelector('h2.hP').textContent = 'Delivery delayed again';
        for (const s of view.querySelectorAll('span[email]')) { s.setAttribute('email', 'priya.nair@bluefin-logistics.example'); }
        location.hash = '#inbox/BluefinThread';
    }""")
    expect(page.locator(f"{SIDEBAR} .customer-name")).to_have_text("Bluefin Logistics", timeout=15000)
    page.close()


def test_page_scripts_cannot_read_a_closed_sidebar(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"), open_shadow=False)
    page = browser.context.new_page()
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind")
    page.wait_for_selector(SIDEBAR, state="attached", timeout=15000)
    assert page.evaluate("window.sidebarReadable()") is False
    page.close()


def test_unreachable_server_is_said_plainly(browser, live_server):
    from tests.live import free_port

    browser.configure(f"http://127.0.0.1:{free_port()}", "vch_whatever")
    page = browser.context.new_page()
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind")
    error = page.locator(f"{SIDEBAR} .notice.error")
    expect(error).to_contain_text("Cannot reach the Vouch server", timeout=20000)
    expect(error.locator("button", has_text="Open options")).to_be_visible()
    page.close()


def test_signed_out_is_said_plainly(browser, live_server):
    browser.configure(live_server.url, "vch_revoked-or-wrong")
    page = browser.context.new_page()
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind")
    expect(page.locator(f"{SIDEBAR} .notice.error")).to_contain_text("signed out", timeout=15000)
    page.close()


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
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind")
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
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind")
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
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind")
    facts = page.locator(f"{SIDEBAR} li.fact")
    expect(facts.first).to_contain_text("120 seats", timeout=15000)
    expired = page.locator(f"{SIDEBAR} li.fact", has_text="NW-AUTUMN")
    expect(expired.locator(".tag-expired")).to_have_text("expired")
    expect(page.locator(f"{SIDEBAR} li.fact", has_text="numbered steps").locator(".tag-expired")).to_have_count(0)
    page.close()


def test_the_toggle_hides_and_shows_the_sidebar(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto("https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind#toggle")
    panel = page.locator(f"{SIDEBAR} .panel")
    expect(panel.locator(".customer-name")).to_be_visible(timeout=15000)
    # What the toolbar button and the keyboard shortcut send to the tab.
    toggle = """async () => {
        const [tab] = (await chrome.tabs.query({})).filter((t) => (t.url || '').endsWith('#toggle'));
        await chrome.tabs.sendMessage(tab.id, { type: 'sidebar.toggle' });
    }"""
    browser.worker.evaluate(toggle)
    expect(panel).to_be_hidden()
    browser.worker.evaluate(toggle)
    expect(panel).to_be_visible()
    page.close()
