"""The help desks the extension reads, each as its fixture page under the product's real
address (or, for a self-hosted desk, on a site the user enabled), and a Chromium to open it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from tests.extension.browser import Browser, PageServer, PlainServer


@dataclass(frozen=True)
class Desk:
    name: str
    path: str                          # the conversation's address after the host
    switch: Callable[[Page], None]     # what the agent does to open Bluefin's conversation
    reply: str                         # the reply box a card is inserted into
    hosts: tuple[str, ...] = ()        # served under these names; none: self-hosted on an enabled site
    open_reply: str | None = None      # clicked first where the reply box opens on demand

    @property
    def self_hosted(self) -> bool:
        return not self.hosts


def click(selector: str) -> Callable[[Page], None]:
    return lambda page: page.locator(selector).click()


def choose(role: str, name: str) -> Callable[[Page], None]:
    return lambda page: page.get_by_role(role, name=name).click()


def run(script: str) -> Callable[[Page], None]:
    """Some fixture pages switch conversation by calling what the product's app would."""
    return lambda page: page.evaluate(script)


# Maria Santos (Northwind Traders) asks for a refund in each; Priya Nair (Bluefin) is in a
# hidden earlier view or the list beside it, and is what `switch` opens.
DESKS = [
    Desk("outlook", "/mail/outlook-conversation.html", choose("option", "Priya Nair"), "#reply",
         hosts=("outlook.office.com", "outlook.office365.com", "outlook.live.com")),
    Desk("slack", "/client/slack-conversation.html", choose("treeitem", "ext-bluefin"), "#composer",
         hosts=("app.slack.com",)),
    Desk("front", "/inboxes/teams/folders/41/cnv_7kq2n1/front-conversation.html", click("#open-bluefin"),
         "#in-view #reply", hosts=("app.frontapp.com",)),
    Desk("zendesk", "/agent/tickets/1203/zendesk-conversation.html", click("#tab-1187"), "#reply",
         hosts=("vouchdemo.zendesk.com",)),
    Desk("intercom", "/a/inbox/vch7x2/inbox/shared/all/conversation/215467/intercom-conversation.html",
         click("#open-bluefin"), "#in-view #reply",
         hosts=("app.intercom.com", "app.eu.intercom.com", "app.au.intercom.com")),
    Desk("helpscout", "/conversation/2718281/1024/helpscout-conversation.html?folderId=471644",
         run("openConversation('bluefin')"), "#reply", hosts=("secure.helpscout.net",)),
    Desk("freshdesk", "/a/tickets/1024/freshdesk-conversation.html", run("openTicket()"), "#reply",
         hosts=("vouchdemo.freshdesk.com",)),
    # Self-hosted: no fixed address, known by their markup (Zammad draws its ticket late).
    Desk("zammad", "/zammad-conversation.html#ticket/zoom/42", click("#other-tab"),
         "#content_permanent_Ticket-42 .articleNewEdit-body"),
    Desk("freescout", "/conversation/1024/freescout-conversation.html?folder_id=3", click("#older"), "#reply",
         open_reply="#reply-action"),
]


class DeskBrowser:
    """A Chromium with the extension, the desk's pages served locally, and a way to open
    the conversation as a signed-in agent."""

    def __init__(self, desk: Desk, workdir: Path):
        self.spec = desk
        self.pages = PlainServer() if desk.self_hosted else PageServer(workdir, list(desk.hosts))
        self.browser = Browser(workdir, self.pages.port, list(desk.hosts))
        self.site = f"http://127.0.0.1:{self.pages.port}"

    def open(self, server, email: str = "sam@vouch.example", host: str | None = None) -> Page:
        sites = [self.site] if self.spec.self_hosted else None
        self.browser.configure(server.url, server.token_for(email), sites=sites)
        page = self.browser.context.new_page()
        base = self.site if self.spec.self_hosted else f"https://{host or self.spec.hosts[0]}"
        page.goto(base + self.spec.path)
        return page

    def close(self) -> None:
        self.browser.close()
        self.pages.stop()


@contextmanager
def desk_browser(desk: Desk, workdir: Path) -> Iterator[DeskBrowser]:
    opened = DeskBrowser(desk, workdir)
    try:
        yield opened
    finally:
        opened.close()
