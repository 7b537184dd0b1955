"""The admin pages and the tokens page through real form posts: admins only (members get a
403 page on every page and action), CSRF required, hostile names shown as text."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from server.accounts.models import ApiToken, User
from server.cards.models import Collection
from tests.html_checks import runnable_parts
from tests.web.pages import HTML, csrf_token, post_form, sign_in

PASSWORD = "correct horse"
HOSTILE = '<script>alert("x")</script>'
ADMIN_PAGES = ["/admin", "/admin/groups", "/admin/collections", "/admin/collections/1", "/admin/tokens"]
ADMIN_POSTS = {
    "/admin/users": {"name": "Eve", "email": "eve@example.test", "role": "admin", "password": "long password"},
    "/admin/users/1/role": {"role": "member"}, "/admin/users/1/deactivate": {}, "/admin/users/1/reactivate": {},
    "/admin/users/1/password": {"password": "long password"}, "/admin/groups": {"name": "Billing"},
    "/admin/groups/1/members": {"email": "sam@example.test"}, "/admin/groups/1/members/1/remove": {},
    "/admin/collections": {"slug": "kb2", "name": "KB", "default_interval_days": "30"},
    "/admin/collections/1": {"name": "KB", "default_interval_days": "30"},
}


@pytest.fixture
def people(client):
    f = client.factory
    boss = f.user("Boss", email="boss@example.test", password=PASSWORD, role="admin")
    sam = f.user("Sam", email="sam@example.test", password=PASSWORD)
    kb = f.collection("kb", verifier=sam)
    f.card(kb, sam, title="Refunds")
    f.card(kb, sam, title="Seats")
    return {"boss": boss, "sam": sam, "kb": kb}


def row_of(html: str, text: str) -> str:
    return next(r for r in html.split("<tr") if text in r)


def test_a_member_gets_403_on_every_admin_page_and_action(client, people):
    sign_in(client, "sam@example.test", PASSWORD)
    for path in ADMIN_PAGES:
        response = client.get(path, headers=HTML)
        assert response.status_code == 403, path
        assert "Not allowed" in response.text and "Only admins" in response.text
    for path, data in ADMIN_POSTS.items():
        response = post_form(client, path, data)
        assert response.status_code == 403, path
    with client.factory.db.session() as s:
        assert s.get(User, people["boss"].id).active and s.get(User, people["boss"].id).role == "admin"
        assert s.get(Collection, people["kb"].id).default_interval_days == 30
    assert 'href="/admin"' not in client.get("/cards", headers=HTML).text


def test_posts_without_the_csrf_token_are_refused(client, people):
    sign_in(client, "boss@example.test", PASSWORD)
    for path, data in ADMIN_POSTS.items():
        response = client.post(path, data=data, headers=HTML, follow_redirects=False)
        assert response.status_code == 403 and "reload the page" in response.text, path
    assert client.post("/tokens", data={"name": "x"}, headers=HTML).status_code == 403
    with client.factory.db.session() as s:
        assert s.get(User, people["sam"].id).active


def test_an_admin_adds_a_user_changes_the_role_deactivates_and_reactivates(client, people):
    sign_in(client, "boss@example.test", PASSWORD)
    page = client.get("/admin", headers=HTML).text
    assert "Sam" in page and 'for="new-password"' in page and runnable_parts(page.split("<main")[1]) == []
    done = post_form(client, "/admin/users", {"name": HOSTILE, "email": "Eve@Example.test", "role": "member",
                                              "password": "a long password"}, page="/admin")
    assert done.status_code == 303 and done.headers["location"] == "/admin"
    page = client.get("/admin", headers=HTML).text
    assert "&lt;script&gt;alert(" in page and HOSTILE not in page  # in the flash and the table
    with client.factory.db.session() as s:
        eve = s.exec(select(User).where(User.email == "eve@example.test")).one()
    short = post_form(client, "/admin/users", {"name": "X", "email": "x@example.test", "role": "member",
                                               "password": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.text

    assert post_form(client, f"/admin/users/{eve.id}/role", {"role": "admin"}).status_code == 303
    assert 'value="admin" selected' in row_of(client.get("/admin", headers=HTML).text, "eve@example.test")
    own = post_form(client, f"/admin/users/{people['boss'].id}/role", {"role": "member"})
    assert own.status_code == 400 and "your own admin role" in own.text

    sam = people["sam"]
    done = post_form(client, f"/admin/users/{sam.id}/deactivate", {})
    page = client.get(done.headers["location"], headers=HTML).text
    assert "Sam is deactivated and signed out everywhere; 2 cards moved" in page
    assert "Deactivated" in row_of(page, "sam@example.test") and "Reactivate" in row_of(page, "sam@example.test")
    post_form(client, f"/admin/users/{sam.id}/reactivate", {})
    assert "Active" in row_of(client.get("/admin", headers=HTML).text, "sam@example.test")

    assert post_form(client, f"/admin/users/{sam.id}/password", {"password": "brand new password"}).status_code == 303
    client.cookies.delete("vouch_session")
    sign_in(client, "sam@example.test", "brand new password")


def test_groups_are_created_and_members_added_and_removed_by_email(client, people):
    sign_in(client, "boss@example.test", PASSWORD)
    assert post_form(client, "/admin/groups", {"name": HOSTILE}).status_code == 303
    page = client.get("/admin/groups", headers=HTML).text
    assert "&lt;script&gt;" in page and HOSTILE not in page
    group_id = re.search(r'action="/admin/groups/(\d+)/members"', page).group(1)
    assert post_form(client, f"/admin/groups/{group_id}/members", {"email": "SAM@example.test"}).status_code == 303
    page = client.get("/admin/groups", headers=HTML).text
    assert "1 member" in page and f"/members/{people['sam'].id}/remove" in page
    missing = post_form(client, f"/admin/groups/{group_id}/members", {"email": "nobody@example.test"})
    assert missing.status_code == 404 and "No user with the email address" in missing.text
    post_form(client, f"/admin/groups/{group_id}/members/{people['sam'].id}/remove", {})
    assert "No members yet." in client.get("/admin/groups", headers=HTML).text


def test_collections_are_created_and_edited(client, people):
    sign_in(client, "boss@example.test", PASSWORD)
    page = client.get("/admin/collections", headers=HTML).text
    assert '<option value="never">Never</option>' in page and "Sam (sam@example.test)" in page
    bad = post_form(client, "/admin/collections", {"slug": "Bad Slug", "name": "X", "default_interval_days": "30"})
    assert bad.status_code == 400 and "slug" in bad.text
    taken = post_form(client, "/admin/collections", {"slug": "kb", "name": "X", "default_interval_days": "30"})
    assert taken.status_code == 409
    odd = post_form(client, "/admin/collections", {"slug": "odd", "name": "X", "default_interval_days": "45"})
    assert odd.status_code == 400
    made = post_form(client, "/admin/collections", {"slug": "billing-faq", "name": HOSTILE, "description": "Money",
                                                    "default_verifier_id": str(people["sam"].id),
                                                    "default_interval_days": "never"})
    assert made.status_code == 303
    with client.factory.db.session() as s:
        billing = s.exec(select(Collection).where(Collection.slug == "billing-faq")).one()
    assert (billing.default_verifier_id, billing.default_interval_days) == (people["sam"].id, None)
    form = client.get(f"/admin/collections/{billing.id}", headers=HTML).text
    assert '<option value="never" selected>' in form and "&lt;script&gt;" in form and HOSTILE not in form
    saved = post_form(client, f"/admin/collections/{billing.id}", {"name": "Billing", "description": "",
                                                                   "default_verifier_id": "",
                                                                   "default_interval_days": "365"})
    assert saved.status_code == 303
    assert "365 days" in row_of(client.get("/admin/collections", headers=HTML).text, "billing-faq")
    assert client.get("/admin/collections/99999", headers=HTML).status_code == 404


def test_tokens_page_shows_a_new_token_once_and_revoking_stops_it(client, people):
    sign_in(client, "sam@example.test", PASSWORD)
    assert "No API tokens yet." in client.get("/tokens", headers=HTML).text
    created = post_form(client, "/tokens", {"name": HOSTILE}, page="/tokens")
    assert created.status_code == 200 and created.headers["cache-control"] == "no-store"
    token = re.search(r'id="new-token-value"[^>]*value="(vch_[^"]+)"', created.text).group(1)
    assert "readonly" in created.text and "&lt;script&gt;" in created.text and HOSTILE not in created.text
    listing = client.get("/tokens", headers=HTML).text
    assert token not in listing and token[:10] in listing  # the prefix only, from now on
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert "Never" not in row_of(client.get("/tokens", headers=HTML).text, token[:10])  # last used now

    with client.factory.db.session() as s:
        token_id = s.exec(select(ApiToken.id).where(ApiToken.prefix == token[:10])).one()
    boss_token = client.factory.token(people["boss"])
    with client.factory.db.session() as s:
        boss_id = s.exec(select(ApiToken.id).where(ApiToken.prefix == boss_token[:10])).one()
    assert post_form(client, f"/tokens/{boss_id}/revoke", {}).status_code == 404  # not hers to revoke
    done = post_form(client, f"/tokens/{token_id}/revoke", {"back": "https://evil.example/"})
    assert done.status_code == 303 and done.headers["location"] == "/tokens"
    assert "Revoked" in row_of(client.get("/tokens", headers=HTML).text, token[:10])
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/me", headers={"Authorization": f"Bearer {boss_token}"}).status_code == 200
    empty = post_form(client, "/tokens", {"name": "  "})
    assert empty.status_code == 400 and "name" in empty.text


def test_an_admin_sees_and_revokes_everyones_tokens(client, people):
    sam_token = client.factory.token(people["sam"])
    sign_in(client, "boss@example.test", PASSWORD)
    page = client.get("/admin/tokens", headers=HTML).text
    row = row_of(page, sam_token[:10])
    assert "sam@example.test" in row and sam_token not in page
    token_id = re.search(r'action="/tokens/(\d+)/revoke"', row).group(1)
    done = post_form(client, f"/tokens/{token_id}/revoke", {"back": "/admin/tokens"})
    assert done.headers["location"] == "/admin/tokens"
    assert client.get("/api/me", headers={"Authorization": f"Bearer {sam_token}"}).status_code == 401


def test_signed_out_visitors_go_to_sign_in(client):
    for path in ("/admin", "/tokens"):
        response = client.get(path, headers=HTML, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == f"/sign-in?next={path}"
    assert csrf_token(client)  # the sign-in form itself still works
