"""Every page carries a strict Content-Security-Policy, and a script hidden in a card never
runs: not in the card page, the list, the editor's preview, the history or a conflict view."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from server.editor.security import CONTENT_SECURITY_POLICY
from tests.web.pages import HTML, post_form, sign_in

HOSTILE = ("<script>window.pwned = 'script'</script>\n\n"
           "<img src=x onerror=\"window.pwned = 'img'\">\n\n"
           "[click me](javascript:window.pwned='link')\n\n"
           "<svg onload=\"window.pwned = 'svg'\"></svg>")


def _page_paths(app) -> list[str]:
    """Every GET page of the web app, with its path parameters filled in."""
    paths = set()
    for route in app.routes:
        if route.path.startswith(("/api", "/schema", "/static")) or "GET" not in getattr(route, "methods", ()):
            continue
        paths.add(route.path)
    return sorted(paths)


@pytest.fixture
def site(client):
    admin = client.factory.user("Admin", role="admin", email="admin@example.test", password="pw-admin-1")
    collection = client.factory.collection("policies", verifier=admin)
    card = client.factory.card(collection, admin, title="Refunds <b>bold</b>", body=HOSTILE)
    customer = client.factory.customer("Northwind", emails=["ops@northwind.example"])
    sign_in(client, "admin@example.test", "pw-admin-1")
    return {"card_id": card.id, "customer_id": customer.id, "slug": collection.slug, "version": 1,
            "notification_id": 1, "flag_id": 1}


def test_every_page_answers_with_the_strict_csp(client, site):
    filled = []
    for path in _page_paths(client.app):
        concrete = re.sub(r"\{(\w+):\w+\}", lambda m: str(site.get(m.group(1), 1)), path)
        response = client.get(concrete, headers=HTML, follow_redirects=False)
        assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, concrete
        assert response.headers.get("x-content-type-options") == "nosniff", concrete
        filled.append((concrete, response.status_code))
    assert len(filled) >= 10
    assert all(status < 500 for _, status in filled), filled
    for extra in ("/no-such-page", "/static/app.css", "/api/health"):
        assert client.get(extra, headers=HTML).headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_the_policy_forbids_inline_and_remote_scripts():
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


class _Elements(HTMLParser):
    """Every element with its attributes, as a browser would parse the page."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_pages_hold_no_inline_script_style_or_handler(client, site):
    for path in ("/cards", f"/cards/{site['card_id']}", f"/cards/{site['card_id']}/edit", "/cards/new",
                 f"/cards/{site['card_id']}/history", "/queue", "/flags"):
        elements = _Elements(client.get(path, headers=HTML).text).found
        assert [a for tag, a in elements if tag == "script" and "src" not in a] == [], path
        assert [tag for tag, _ in elements if tag in ("style", "svg", "iframe", "object")] == [], path
        assert [(tag, a) for tag, a in elements if "style" in a or any(k.startswith("on") for k in a)] == [], path
        assert [a for _, a in elements if str(a.get("href", "")).lower().startswith("javascript:")] == [], path


def _live(elements) -> list:
    return [(tag, a) for tag, a in elements if tag in ("script", "img", "svg", "iframe")
            or any(k.startswith("on") for k in a) or str(a.get("href", "")).lower().startswith("javascript:")]


def test_hostile_card_text_is_inert_on_the_card_page_and_in_the_preview(client, site):
    html = client.get(f"/cards/{site['card_id']}", headers=HTML).text
    body = html.split('class="card-body"', 1)[1].split("</article>", 1)[0]
    assert _live(_Elements(body).found) == []
    assert "&lt;script&gt;" in body  # shown as text, so the reader sees what was written
    assert "Refunds &lt;b&gt;bold&lt;/b&gt;" in html  # a title is text
    preview = post_form(client, "/cards/preview", {"body": HOSTILE})
    assert preview.status_code == 200 and _live(_Elements(preview.text).found) == []
