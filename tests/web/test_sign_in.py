"""Signing in and out of the web pages with a local account, CSRF on the form, safe redirects."""

from __future__ import annotations

import os
import stat

import pytest

from server.accounts import service
from server.accounts.sessions import authenticate
from server.errors import NotAuthenticated
from tests.web.pages import HTML, csrf_token, sign_in


def test_a_page_sends_a_signed_out_visitor_to_sign_in_and_back(client):
    client.factory.user("Ada", email="ada@example.test", password="correct horse")
    response = client.get("/queue", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/queue"

    response = client.post("/sign-in", data={"email": "ADA@example.test", "password": "correct horse",
                                             "next": "/queue", "_csrf_token": csrf_token(client)},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    assert "httponly" in response.headers["set-cookie"].lower()


def test_a_wrong_password_says_so_without_telling_which_part_was_wrong(client):
    client.factory.user("Ada", email="ada@example.test", password="correct horse")
    for email, password in (("ada@example.test", "wrong"), ("nobody@example.test", "correct horse"),
                            ("not an email", "x"), ("ada@example.test", "")):
        response = client.post("/sign-in", data={"email": email, "password": password,
                                                 "_csrf_token": csrf_token(client)}, headers=HTML)
        assert response.status_code == 401
        assert "do not match an active account" in response.text
        assert 'value="' + email.replace("@", "@") in response.text or not email


def test_sign_in_without_the_csrf_token_is_refused(client):
    client.factory.user("Ada", email="ada@example.test", password="correct horse")
    client.get("/sign-in", headers=HTML)  # the cookie half of the pair is set
    response = client.post("/sign-in", data={"email": "ada@example.test", "password": "correct horse"},
                           headers=HTML, follow_redirects=False)
    assert response.status_code == 403
    assert "reload the page" in response.text


def test_next_never_leads_off_the_site(client):
    client.factory.user("Ada", email="ada@example.test", password="correct horse")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        client.cookies.delete("vouch_session")
        response = client.post("/sign-in", data={"email": "ada@example.test", "password": "correct horse",
                                                 "next": target, "_csrf_token": csrf_token(client)},
                               follow_redirects=False)
        assert response.headers["location"] == "/cards"


def test_sign_out_ends_the_session_on_the_server(client):
    client.factory.user("Ada", email="ada@example.test", password="correct horse")
    sign_in(client, "ada@example.test", "correct horse")
    stolen = client.cookies.get("vouch_session")
    response = client.post("/sign-out", data={"_csrf_token": csrf_token(client, "/queue")},
                           follow_redirects=False)
    assert response.status_code == 303
    client.cookies.set("vouch_session", stolen)  # a copy of the old cookie no longer works
    assert client.get("/queue", headers=HTML, follow_redirects=False).status_code == 303


def test_a_deactivated_user_is_signed_out_of_the_web_pages(client):
    admin = client.factory.user("Admin", role="admin")
    ada = client.factory.user("Ada", email="ada@example.test", password="correct horse")
    sign_in(client, "ada@example.test", "correct horse")
    assert client.get("/queue", headers=HTML, follow_redirects=False).status_code == 200
    client.post(f"/api/users/{ada.id}/deactivate", headers=client.factory.headers(admin))
    assert client.get("/queue", headers=HTML, follow_redirects=False).status_code == 303


def test_guessing_a_password_is_slowed_down_for_every_address_alike(client):
    from datetime import datetime, timedelta, timezone

    from server import clock

    start = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    clock.freeze(start)
    client.factory.user("Ada", email="ada@example.test", password="correct horse")
    for address in ("ada@example.test", "nobody@example.test"):
        for _ in range(5):
            wrong = client.post("/sign-in", data={"email": address, "password": "guess",
                                                  "_csrf_token": csrf_token(client)}, headers=HTML)
            assert wrong.status_code == 401
        blocked = client.post("/sign-in", data={"email": address, "password": "correct horse",
                                                "_csrf_token": csrf_token(client)}, headers=HTML)
        assert blocked.status_code == 429 and "try again in 15 minutes" in blocked.text
    clock.freeze(start + timedelta(minutes=16))
    sign_in(client, "ada@example.test", "correct horse")  # the window passed


def test_an_unknown_address_costs_the_same_password_hash_as_a_wrong_password(services, factory, monkeypatch):
    """No timing tells which addresses have accounts: the hash runs either way (counted, not timed)."""
    factory.user("Lee", email="lee@example.test", password="right-password")
    factory.user("Kim", email="kim@example.test")  # no password: signs in by company sign-in only
    verified = []

    class Counting:
        def hash(self, password):
            return plain.hash(password)

        def verify(self, stored, password):
            verified.append(stored)
            return plain.verify(stored, password)

    plain = service._hasher
    monkeypatch.setattr(service, "_hasher", Counting())
    db, _ = services
    for email in ("lee@example.test", "nobody@example.test", "kim@example.test"):
        with db.session() as s, pytest.raises(NotAuthenticated):
            authenticate(s, email=email, password="wrong-password")
    assert len(verified) == 3


def test_the_data_directory_is_readable_by_its_owner_only(settings, factory):
    factory.card(factory.collection("faq"), factory.user("Ada", role="admin"), title="Opening hours")
    factory.index.apply_pending()
    data = settings.data_dir
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files) or settings.database_url  # SQLite keeps a WAL
    assert files and all(stat.S_IMODE(os.stat(p).st_mode) & 0o077 == 0 for p in files), \
        [(p.name, oct(os.stat(p).st_mode)) for p in files if os.stat(p).st_mode & 0o077]
