"""From a customer's email in Gmail to a verified card, end to end, in a real Chromium:
the adapter under Gmail's real address, the sidebar, and what it says when it cannot work."""

from playwright.sync_api import expect

from tests.extension.browser import CONVERSATION, INBOX, SIDEBAR, toolbar_badge
from tests.live import free_port


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


def test_single_page_navigation_refreshes_the_sidebar(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(INBOX)
    # The inbox list is no conversation: only search is offered, and no customer.
    expect(page.locator(f"{SIDEBAR} .idle")).to_contain_text("Open a conversation", timeout=15000)
    expect(page.locator(f"{SIDEBAR} input.search")).to_be_visible()
    assert page.locator(f"{SIDEBAR} .customer-name").count() == 0
    page.goto(CONVERSATION)
    expect(page.locator(f"{SIDEBAR} .customer-name")).to_have_text("Northwind Traders", timeout=15000)
    page.locator(f"{SIDEBAR} input.search").fill("chargeback")
    expect(page.locator(f"{SIDEBAR} .search-results")).to_contain_text("Chargebacks")
    # Gmail swaps the conversation in place: the subject and sender change without a reload.
    page.evaluate("""() => {
        const view = document.getElementById('in-view');
        view.querySelector('h2.hP').textContent = 'Lunch next week?';
        for (const s of view.querySelectorAll('span[email]')) { s.setAttribute('email', 'friend@elsewhere.example'); }
        for (const b of view.querySelectorAll('div.a3s')) { b.textContent = 'Shall we try the noodle place?'; }
        location.hash = '#inbox/OtherThread';
    }""")
    expect(page.locator(f"{SIDEBAR} .customer .empty")).to_contain_text("No known customer", timeout=15000)
    # What the agent was searching for stays, results and all.
    expect(page.locator(f"{SIDEBAR} input.search")).to_have_value("chargeback")
    expect(page.locator(f"{SIDEBAR} .search-results")).to_contain_text("Chargebacks")
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
    page.goto(CONVERSATION)
    page.wait_for_selector(SIDEBAR, state="attached", timeout=15000)
    assert page.evaluate("window.sidebarReadable()") is False
    page.close()


def test_unreachable_server_is_said_plainly(browser, live_server):
    browser.configure(f"http://127.0.0.1:{free_port()}", "vch_whatever")
    page = browser.context.new_page()
    page.goto(CONVERSATION)
    error = page.locator(f"{SIDEBAR} .notice.error")
    expect(error).to_contain_text("Cannot reach the Vouch server", timeout=20000)
    expect(error.locator("button", has_text="Open options")).to_be_visible()
    page.close()


def test_signed_out_is_said_plainly(browser, live_server):
    browser.configure(live_server.url, "vch_revoked-or-wrong")
    page = browser.context.new_page()
    page.goto(CONVERSATION)
    expect(page.locator(f"{SIDEBAR} .notice.error")).to_contain_text("signed out", timeout=15000)
    page.close()


def test_the_toggle_hides_and_shows_the_sidebar(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    page = browser.context.new_page()
    page.goto(CONVERSATION + "#toggle")
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
