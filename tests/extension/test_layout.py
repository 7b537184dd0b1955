"""Where the sidebar sits beside a real page (the Gmail conversation, served as
mail.google.com): it makes room on a wide window and gives it back on close; on a narrow one
it lies over the page but never over the reply box; its width and whether it is open are
remembered for the site; it follows the system's theme and reduced motion, and works from
the keyboard."""

import pytest
from playwright.sync_api import expect

from tests.extension.browser import CONVERSATION, SIDEBAR

PANEL = f"{SIDEBAR} .panel"
REPLY = "#reply"


def box(page, selector):
    return page.locator(selector).bounding_box()


def overlaps(a, b):
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.fixture
def page(browser, live_server):
    browser.configure(live_server.url, live_server.token_for("sam@vouch.example"))
    browser.worker.evaluate("chrome.storage.local.remove(['layouts', 'choices'])")
    page = browser.context.new_page()
    yield page
    page.close()


def toggle(browser):
    """The toolbar button or Alt+Shift+V: the service worker tells the tab's sidebar."""
    browser.worker.evaluate("""async () => {
        const [tab] = await chrome.tabs.query({ url: 'https://mail.google.com/*' });
        await chrome.tabs.sendMessage(tab.id, { type: 'sidebar.toggle' }); }""")


def shown(page):
    page.goto(CONVERSATION)
    expect(page.locator(f"{SIDEBAR} .customer-name")).to_have_text("Northwind Traders", timeout=15000)
    return page.locator(PANEL)


def test_a_wide_window_makes_room_and_closing_gives_it_back(page):
    page.set_viewport_size({"width": 1400, "height": 900})
    panel = shown(page)
    expect(panel).to_have_attribute("data-mode", "push")
    sidebar, reply = box(page, PANEL), box(page, REPLY)
    assert reply["x"] + reply["width"] <= sidebar["x"] + 1  # the reply box ends where the sidebar starts
    assert page.evaluate("document.documentElement.style.marginRight") == f"{round(sidebar['width'])}px"
    page.locator(f"{SIDEBAR} button.close").click()
    expect(panel).to_be_hidden()
    assert page.evaluate("document.documentElement.getAttribute('style')") in (None, "")  # the host's own styles, as they were
    assert box(page, REPLY)["width"] > reply["width"]


def test_an_app_shell_fixed_to_the_window_moves_aside(page):
    # Single-page help desks draw their whole app in a frame fixed to the window: a margin on
    # the page would not move it, so the sidebar moves the frame itself.
    page.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
        const style = document.createElement('style');
        style.textContent = '#in-view { position: fixed; top: 0; left: 0; right: 0; bottom: 0; overflow: auto; }';
        document.head.append(style);
    });""")
    page.set_viewport_size({"width": 1400, "height": 900})
    panel = shown(page)
    expect(panel).to_have_attribute("data-mode", "push")
    shell, sidebar = box(page, "#in-view"), box(page, PANEL)
    assert shell["x"] + shell["width"] <= sidebar["x"] + 1
    page.locator(f"{SIDEBAR} button.close").click()
    expect(panel).to_be_hidden()
    assert page.evaluate("document.getElementById('in-view').getAttribute('style')") in (None, "")
    assert box(page, "#in-view")["width"] == 1400


def test_a_narrow_window_overlays_but_never_covers_the_reply_box(page):
    page.set_viewport_size({"width": 1000, "height": 800})
    panel = shown(page)
    expect(panel).to_have_attribute("data-mode", "overlay")
    page.locator(REPLY).click()
    # Either the sidebar ends above the reply box, or it tucks into a tab at the edge.
    tab = page.locator(f"{SIDEBAR} button.tab")
    if panel.is_visible():
        assert not overlaps(box(page, PANEL), box(page, REPLY))
    else:
        expect(tab).to_be_visible()
    # A reply box the sidebar cannot end above (taller than the room below 40 % of the window).
    page.evaluate("""() => { const r = document.getElementById('reply');
        r.style.position = 'fixed'; r.style.top = '60px'; r.style.right = '0'; r.style.width = '700px';
        r.style.height = '600px'; }""")
    page.locator(f"{SIDEBAR} .search").focus()
    page.locator(REPLY).click()
    expect(tab).to_be_visible()
    expect(panel).to_be_hidden()
    tab.click()  # the agent brings it back when they want it
    expect(panel).to_be_visible()


def test_width_and_closed_are_remembered_for_the_site(page, browser):
    page.set_viewport_size({"width": 1400, "height": 900})
    panel = shown(page)
    handle = page.locator(f"{SIDEBAR} .resize")
    handle.focus()
    for _ in range(5):
        handle.press("ArrowLeft")
    expect(handle).to_have_attribute("aria-valuenow", "440")
    assert round(box(page, PANEL)["width"]) == 440
    page.reload()
    expect(page.locator(f"{SIDEBAR} .customer-name")).to_be_visible(timeout=15000)
    assert round(box(page, PANEL)["width"]) == 440
    # Dragging the edge works too, within bounds.
    sidebar = box(page, PANEL)
    page.mouse.move(sidebar["x"] + 1, 300)
    page.mouse.down()
    page.mouse.move(sidebar["x"] - 500, 300, steps=5)
    page.mouse.up()
    assert round(box(page, PANEL)["width"]) == 640
    page.locator(f"{SIDEBAR} button.close").click()
    page.reload()
    page.wait_for_timeout(1500)  # the conversation is read and the panel loaded, still closed
    expect(panel).to_be_hidden()
    assert page.evaluate("document.documentElement.style.marginRight") == ""
    toggle(browser)
    expect(panel).to_be_visible()
    assert round(box(page, PANEL)["width"]) == 640


def test_it_follows_the_dark_theme_and_reduced_motion(page):
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    panel = shown(page)
    assert panel.evaluate("(p) => getComputedStyle(p).backgroundColor") == "rgb(13, 17, 23)"
    assert panel.evaluate("(p) => getComputedStyle(p).animationName") == "none"
    page.emulate_media(color_scheme="light", reduced_motion="no-preference")
    assert panel.evaluate("(p) => getComputedStyle(p).backgroundColor") == "rgb(255, 255, 255)"
    assert panel.evaluate("(p) => getComputedStyle(p).animationName") == "vouch-in"


def test_escape_closes_it_and_gives_the_focus_back(page, browser):
    panel = shown(page)
    page.locator(REPLY).click()
    page.locator(f"{SIDEBAR} input.search").focus()
    page.keyboard.type("refund")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "reply"
    # Every control in it is reached with Tab, and shows where the focus is.
    toggle(browser)
    expect(panel).to_be_visible()
    focused = page.evaluate("() => document.getElementById('vouch-sidebar-host').shadowRoot.activeElement.className")
    assert "search" in focused
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate("""() => { const a = document.getElementById('vouch-sidebar-host').shadowRoot.activeElement;
        return [a.className, getComputedStyle(a).outlineStyle]; }""")
    assert outline[1] == "solid", outline

