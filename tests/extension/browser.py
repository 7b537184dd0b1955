"""The real extension in Debian's Chromium, with pages served locally under their real
host names (a self-signed certificate and --host-resolver-rules): nothing leaves the machine."""

from __future__ import annotations

import http.server
import os
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, sync_playwright

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
PAGES = Path(__file__).resolve().parent / "pages"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "mail.google.com"}
# Maria Santos (Northwind Traders) asks for a refund; served locally as mail.google.com.
CONVERSATION = "https://mail.google.com/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind"
INBOX = "https://mail.google.com/mail/u/0/gmail-inbox.html#inbox"
SIDEBAR = "#vouch-sidebar-host"


# A help desk page after a release renamed its markup: the page we have, with the renames
# applied as it is served, so the "changed" page is exactly the page and nothing else.
CHANGED_PAGES = {
    "zendesk-changed.html": ("zendesk-conversation.html", (  # the comments' bodies were renamed
        ('data-test-id="omni-log-item-message"', 'data-test-id="omni-log-item-body"'),
        ('data-test-id="omni-log-message-content" class="zd-comment"',
         'data-test-id="omni-log-body" class="zd-comment-body"'),
        ("/zendesk-conversation.html`", "/zendesk-changed.html`"))),
    "zammad-changed.html": ("zammad-ticket-real.html", (  # the article bubbles were renamed
        ('class="textBubble"', 'class="bubble"'), ('class="textBubble-content"', 'class="bubble-content"'),
        ('class="article-text"', 'class="article-body"'))),
    "slack-changed.html": ("slack-conversation.html", (  # the messages' text blocks were renamed
        ('data-qa="message-text"', 'data-qa="message-content"'), ("c-message_kit__blocks", "c-message_kit__content"),
        ("p-rich_text_section", "p-rt_section"))),
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a page by its file name, whatever the path before it (/mail/u/0/x.html → x.html)."""

    def translate_path(self, path):
        name = urlsplit(path).path.rsplit("/", 1)[-1] or "index.html"
        return str(PAGES / name)

    def do_GET(self):
        name = urlsplit(self.path).path.rsplit("/", 1)[-1]
        if name not in CHANGED_PAGES:
            return super().do_GET()
        original, renames = CHANGED_PAGES[name]
        text = (PAGES / original).read_text(encoding="utf-8")
        for before, after in renames:
            assert before in text, f"{original} no longer has {before}"
            text = text.replace(before, after)
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class PageServer:
    """Serves tests/extension/pages over HTTPS as the hosts it pretends to be."""

    def __init__(self, workdir: Path, hosts: list[str]):
        self.port = free_port()
        cert, key = workdir / "cert.pem", workdir / "key.pem"
        names = ",".join(f"DNS:{h}" for h in hosts)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={hosts[0]}",
                        "-addext", f"subjectAltName={names},IP:127.0.0.1"], check=True, capture_output=True)
        handler = partial(_QuietHandler, directory=str(PAGES))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class PlainServer(PageServer):
    """The same pages over plain HTTP on 127.0.0.1 (for the generic adapter)."""

    def __init__(self):
        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port),
                                                     partial(_QuietHandler, directory=str(PAGES)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()


def _only(hosts: set[str]):
    """A route handler that lets through this machine and the hosts served from it."""
    def route_handler(route):
        scheme, host = urlsplit(route.request.url)[:2]
        if scheme in ("chrome-extension", "data", "blob") or host.split(":")[0] in hosts:
            route.continue_()
        else:
            route.abort()
    return route_handler


class Browser:
    def __init__(self, workdir: Path, https_port: int, hosts: list[str], language: str | None = None):
        """`language`: the browser's own language ("tr"), which the extension's words follow."""
        self._playwright = sync_playwright().start()
        rules = ",".join(f"MAP {h}:443 127.0.0.1:{https_port}" for h in hosts)
        posix = (language or "").replace("-", "_")  # zh-CN is zh_CN to the C library
        speaks = {"env": {**os.environ, "LANGUAGE": posix, "LANG": f"{posix}.UTF-8"},
                  "locale": language} if language else {}
        self.context: BrowserContext = self._playwright.chromium.launch_persistent_context(
            str(workdir / "profile"), executable_path=CHROMIUM, headless=True, ignore_https_errors=True,
            viewport={"width": 1280, "height": 900}, **speaks,
            args=[*([f"--lang={language}"] if language else []),
                  f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}",
                  f"--host-resolver-rules={rules}", "--ignore-certificate-errors", "--no-sandbox",
                  "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"])
        self.context.route("**/*", _only(LOCAL_HOSTS | set(hosts)))
        workers = self.context.service_workers
        self.worker = workers[0] if workers else self.context.wait_for_event("serviceworker", timeout=30000)
        self.extension_id = self.worker.url.split("/")[2]

    def configure(self, server_url: str, token: str, sites: list[str] | None = None, open_shadow: bool = True):
        """Settings as the options page saves them (open shadow root so the test can look in)."""
        self.worker.evaluate(
            """async ([serverUrl, token, sites, open]) => {
                await chrome.storage.local.set({ serverUrl, token, sites, debugOpenShadow: open });
                // The worker registers the generic adapter when `sites` changes; wait for it.
                const want = sites.length ? 1 : 0;
                for (let i = 0; i < 100; i++) {
                    const found = await chrome.scripting.getRegisteredContentScripts();
                    if (found.length === want) return;
                    await new Promise((r) => setTimeout(r, 50));
                }
                throw new Error('the generic adapter was not registered');
            }""", [server_url, token, sites or [], open_shadow])

    def close(self):
        self.context.close()
        self._playwright.stop()


@contextmanager
def enabled_site(workdir: Path, server_url: str, token: str) -> Iterator[tuple[Browser, str]]:
    """A Chromium with the extension connected to `server_url`, and the fixture pages served
    on a plain 127.0.0.1 origin that the user enabled (self-hosted desks, the generic reader)."""
    pages = PlainServer()
    browser = Browser(workdir, pages.port, [])
    origin = f"http://127.0.0.1:{pages.port}"
    try:
        browser.configure(server_url, token, sites=[origin])
        yield browser, origin
    finally:
        browser.close()
        pages.stop()


def toolbar_badge(browser: Browser) -> str:
    """The count on the toolbar button: cards waiting for the signed-in user to verify."""
    return browser.worker.evaluate("chrome.action.getBadgeText({})")


# Wraps the service worker's fetch to keep each context the sidebar sends to the server.
_CAPTURE = """() => {
    self.vouchSent = [];
    if (self.vouchRealFetch) return;
    self.vouchRealFetch = self.fetch;
    self.fetch = (url, init = {}) => {
        if (String(url).endsWith('/api/context')) self.vouchSent.push(JSON.parse(init.body));
        return self.vouchRealFetch.call(self, url, init);
    };
}"""


def capture_contexts(browser: Browser) -> None:
    """From now on, keep what the sidebar sends to POST /api/context (read with contexts_sent)."""
    browser.worker.evaluate(_CAPTURE)


def contexts_sent(browser: Browser) -> list[dict]:
    return browser.worker.evaluate("self.vouchSent || []")
