"""Debian's Chromium driving the web app (no extension), with what a test needs: sign-in,
screenshots kept as artifacts, and every console error and CSP violation collected."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "vouch-demo"  # the starter users' password (content/users.yaml)


class WebBrowser:
    def __init__(self, base_url: str, shots: Path):
        self.base_url = base_url
        self.shots = shots
        self.shots.mkdir(parents=True, exist_ok=True)
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"])
        self.problems: list[str] = []
        self.allowed: set[int] = set()  # statuses a test expects a page to answer with

    def allow(self, *statuses: int) -> None:
        self.allowed.update(statuses)

    def _console(self, page: Page, message) -> None:
        if message.type != "error":
            return
        answered = re.search(r"responded with a status of (\d+)", message.text)
        if answered and int(answered.group(1)) in self.allowed:
            return
        self.problems.append(f"{page.url}: {message.text}")

    def page(self, width: int = 1280, height: int = 900) -> Page:
        """A new tab in its own cookie jar (a separate user, or a second window)."""
        context = self._browser.new_context(base_url=self.base_url, viewport={"width": width, "height": height})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(self.base_url)
                      else route.abort())
        page = context.new_page()
        page.on("console", lambda m: self._console(page, m))
        page.on("pageerror", lambda e: self.problems.append(f"{page.url}: {e}"))
        page.set_default_timeout(10_000)
        return page

    def second_tab(self, page: Page) -> Page:
        """Another tab of the same signed-in browser (shares cookies and localStorage)."""
        tab = page.context.new_page()
        tab.on("console", lambda m: self._console(tab, m))
        tab.on("pageerror", lambda e: self.problems.append(f"{tab.url}: {e}"))
        tab.set_default_timeout(10_000)
        return tab

    def sign_in(self, page: Page, email: str, password: str = PASSWORD, then: str = "/cards") -> Page:
        page.goto(f"/sign-in?next={then}")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**{then}*")
        return page

    def shoot(self, page: Page, name: str, full_page: bool = True) -> Path:
        path = self.shots / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self):
        self._browser.close()
        self._playwright.stop()
