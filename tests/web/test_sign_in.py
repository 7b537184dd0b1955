"""Signing in and out of the web pages with a local account, CSRF on the form, safe redirects."""

from __future__ import annotations

import os
import stat

import pytest

from server.accounts import service
from server.accounts.sessions import authenticate
from server.errors import NotAuthenticated
from tests.web.pages import HTML, csrf_token, post_form, sign_in


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


def _try(client, email, password, **headers):
    return client.post("/sign-in", data={"email": email, "password": password, "next": "/cards",
                                         "_csrf_token": csrf_token(client)}, headers={**HTML, **headers},
                       follow_redirects=False)


def test_guessing_at_an_account_does_not_lock_its_owner_out_of_their_own_browser(client):
    """Wrong passwords for an address stop browsers it never signed in on; the owner's browser,
    marked at its last sign-in, still gets in with the right password."""
    client.factory.user("Lee", email="lee@example.test", password="right-password")
    assert _try(client, "lee@example.test", "right-password").status_code == 303  # Lee's own browser
    known = client.cookies.get("vouch_known")
    assert known and "lee" not in known  # a keyed hash: it names nobody
    client.cookies.clear()
    for _ in range(5):  # someone else, elsewhere
        assert _try(client, "lee@example.test", "guess").status_code == 401
    refused = _try(client, "lee@example.test", "right-password")
    assert refused.status_code == 429 and "browser you have signed in on before" in refused.text
    client.cookies.set("vouch_known", known, path="/sign-in")
    assert _try(client, "lee@example.test", "right-password").status_code == 303


def test_one_client_trying_many_addresses_is_slowed_down(client):
    """Forty addresses tried once each from one address: refused after PER_CLIENT, whatever the account."""
    client.factory.user("Kim", email="kim@example.test", password="right-password")
    answers = [_try(client, f"user{n}@example.test", "guess").status_code for n in range(22)]
    assert answers[:20] == [401] * 20 and answers[20:] == [429, 429]
    refused = _try(client, "kim@example.test", "right-password")
    assert refused.status_code == 429 and "from your network" in refused.text


def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    from server.accounts.clients import client_address, parse_proxies

    proxies = parse_proxies("10.0.0.0/8, 192.168.1.1")
    assert client_address("203.0.113.9", "198.51.100.7", proxies) == "203.0.113.9"  # not a proxy: header ignored
    assert client_address("10.0.0.5", "198.51.100.7", proxies) == "198.51.100.7"
    # The left end is whatever the client wrote: the nearest untrusted hop is the client.
    assert client_address("10.0.0.5", "6.6.6.6, 198.51.100.7, 192.168.1.1", proxies) == "198.51.100.7"
    assert client_address("10.0.0.5", "", proxies) == "10.0.0.5"
    assert client_address("10.0.0.5", "198.51.100.7", ()) == "10.0.0.5"
    with pytest.raises(Exception, match="not an address or network"):
        parse_proxies("10.0.0.1, proxy.example")


def test_a_person_making_tokens_in_a_loop_is_stopped(client):
    client.factory.user("Lee", email="lee@example.test", password="right-password")
    sign_in(client, "lee@example.test", "right-password")
    answers = [post_form(client, "/tokens", {"name": f"laptop {n}"}, page="/tokens") for n in range(11)]
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert "wait a few minutes" in answers[-1].text
    assert post_form(client, "/connect", {}, page="/connect").status_code == 429  # the extension's way too
