"""Every bad answer from a provider is refused: ID tokens forged against a small fake
provider on 127.0.0.1 (its JWKS holds one key), a tampered or replayed state. Each refusal
is the sign-in page with a message, audited, with no session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc.jwk import RSAKey
from sqlmodel import select

from server.accounts.models import OidcLogin, User
from server.accounts.sessions import PER_CLIENT
from tests.accounts.oidc_servers import CLIENT_ID, FakeProvider, audit_events, vouch_signing_in_with
from tests.web.pages import HTML, csrf_token


@pytest.fixture(scope="module")
def fake():
    provider = FakeProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def vouch(settings, fake):
    fake.token_requests.clear()
    with vouch_signing_in_with(settings, fake.issuer, "fake-secret") as client:
        yield client


def start(vouch) -> dict[str, str]:
    """Start a sign-in; what Vouch sent to the provider (state, nonce, code_challenge, ...)."""
    response = vouch.get("/sign-in/oidc", params={"next": "/queue"}, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def claims(fake: FakeProvider, sent: dict, **changes) -> dict:
    now = int(time.time())
    good = {"iss": fake.issuer, "sub": "ada-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300,
            "nonce": sent["nonce"], "email": "ada@example.com", "email_verified": True, "name": "Ada"}
    return {k: v for k, v in (good | changes).items() if v is not None}


def back(vouch, sent: dict, **params):
    return vouch.get("/sign-in/oidc/callback", params={"state": sent["state"], "code": "the-code", **params},
                     headers=HTML, follow_redirects=False)


def _b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def assert_refused(vouch, response, reason: str) -> None:
    assert response.status_code == 401, response.text[:300]
    assert "Sign in to Vouch" in response.text and "Traceback" not in response.text
    assert "vouch_session=" not in response.headers.get("set-cookie", "")
    with vouch.app.state.db.session() as session:
        assert session.exec(select(User)).all() == []
    assert [e.details["reason"] for e in audit_events(vouch, "sign_in_failed")][-1].startswith(reason)


def test_a_good_token_signs_in_and_the_verifier_matches_the_challenge(vouch, fake):
    sent = start(vouch)
    fake.id_token = fake.sign(claims(fake, sent))
    response = back(vouch, sent)
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    [request] = fake.token_requests
    assert sent["code_challenge_method"] == "S256"
    assert create_s256_code_challenge(request["code_verifier"]) == sent["code_challenge"]
    assert request["authorization"].startswith("Basic ") and "client_secret" not in request


def test_a_tampered_state_is_refused(vouch, fake):
    sent = start(vouch)
    fake.id_token = fake.sign(claims(fake, sent))
    assert_refused(vouch, back(vouch, {**sent, "state": sent["state"][:-2] + "xx"}), "unknown_state")
    assert fake.token_requests == []  # refused before the code was spent


def test_a_callback_started_in_another_browser_is_refused(vouch, fake):
    """Login CSRF: someone starts a sign-in as themselves and sends the callback link on; the
    browser that opens it never started that sign-in (it lacks the state cookie)."""
    sent = start(vouch)
    fake.id_token = fake.sign(claims(fake, sent))
    vouch.cookies.clear()  # another browser
    response = back(vouch, sent)
    assert_refused(vouch, response, "other_browser")
    assert "another browser" in response.text
    assert fake.token_requests == []


def test_a_callback_used_twice_is_refused(vouch, fake):
    sent = start(vouch)
    fake.id_token = fake.sign(claims(fake, sent))
    assert back(vouch, sent).status_code == 303
    vouch.cookies.clear()
    replayed = back(vouch, sent)
    assert replayed.status_code == 401 and "used already" in replayed.text


def test_a_token_with_the_nonce_of_another_sign_in_is_refused(vouch, fake):
    earlier, sent = start(vouch), start(vouch)
    fake.id_token = fake.sign(claims(fake, earlier))  # replayed from the earlier sign-in
    assert_refused(vouch, back(vouch, sent), "invalid_id_token")
    assert back(vouch, sent).status_code == 401  # and the refused sign-in is used up


def test_an_expired_sign_in_is_refused(vouch, fake):
    from datetime import timedelta

    from server import clock

    sent = start(vouch)
    clock.freeze(clock.now() + timedelta(minutes=11))
    assert_refused(vouch, back(vouch, sent), "unknown_state")


def _none_token(fake, sent) -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims(fake, sent))}."


def _hs256_with_the_public_key(fake, sent) -> str:
    """The HS/RS confusion: the provider's public key, which anyone can fetch, as an HMAC secret."""
    secret = fake.key.as_pem(private=False)
    signing_input = f"{_b64({'alg': 'HS256', 'kid': 'good'})}.{_b64(claims(fake, sent))}"
    return f"{signing_input}.{_b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


FORGED = {
    "missing_nonce": lambda fake, sent: fake.sign(claims(fake, sent, nonce=None)),
    "another_key_same_kid": lambda fake, sent: fake.sign(
        claims(fake, sent), key=RSAKey.generate_key(2048, parameters={"kid": "good"})),
    "another_key_unknown_kid": lambda fake, sent: fake.sign(
        claims(fake, sent), key=RSAKey.generate_key(2048, parameters={"kid": "rotated?"})),
    "alg_none": _none_token,
    "hs256_with_public_key": _hs256_with_the_public_key,
    "wrong_audience": lambda fake, sent: fake.sign(claims(fake, sent, aud="someone-else")),
    "expired": lambda fake, sent: fake.sign(claims(fake, sent, exp=int(time.time()) - 600)),
    "wrong_issuer": lambda fake, sent: fake.sign(claims(fake, sent, iss="http://127.0.0.1:1")),
    "not_a_jwt": lambda fake, sent: "not.a.jwt",
}


# Why each is refused, as the audit log says: the check that caught it, not an accident.
REASONS = {
    "missing_nonce": "missing_claim:nonce", "another_key_same_kid": "bad_signature",
    "another_key_unknown_kid": "invalid_key_id", "alg_none": "unsupported_algorithm",
    "hs256_with_public_key": "unsupported_algorithm", "wrong_audience": "invalid_claim:aud", "expired": "expired_token",
    "wrong_issuer": "invalid_claim:iss", "not_a_jwt": "decode_error",
}


@pytest.mark.parametrize("forgery", sorted(FORGED))
def test_a_forged_or_misdirected_id_token_is_refused(vouch, fake, forgery):
    sent = start(vouch)
    fake.id_token = FORGED[forgery](fake, sent)
    response = back(vouch, sent)
    assert_refused(vouch, response, f"invalid_id_token:{REASONS[forgery]}")
    assert "could not be verified" in response.text
    assert fake.id_token not in str([e.details for e in audit_events(vouch, "sign_in_failed")])


def test_an_answer_naming_another_issuer_or_an_error_is_refused(vouch, fake):
    sent = start(vouch)
    fake.id_token = fake.sign(claims(fake, sent))
    assert_refused(vouch, back(vouch, sent, iss="http://127.0.0.1:1"), "wrong_issuer")
    sent = start(vouch)
    response = vouch.get("/sign-in/oidc/callback", params={"state": sent["state"], "error": "access_denied<b>"},
                         headers=HTML, follow_redirects=False)
    assert_refused(vouch, response, "provider_error:access_denied")
    assert "cancelled or refused" in response.text


def test_an_unreachable_provider_is_a_message_not_a_500(settings):
    with vouch_signing_in_with(settings, "http://127.0.0.1:9", "secret") as vouch:
        response = vouch.get("/sign-in/oidc", headers=HTML, follow_redirects=False)
        assert response.status_code == 401 and "could not be reached" in response.text
        [failed] = audit_events(vouch, "sign_in_failed")
        assert failed.details == {"method": "oidc", "reason": "provider_unreachable"}


def test_a_plain_http_provider_is_refused_in_production(settings, fake):
    production = replace(settings, environment="production", secret_key="a-real-secret-" + "x" * 40)
    with vouch_signing_in_with(production, fake.issuer, "fake-secret") as vouch:
        response = vouch.get("/sign-in/oidc", headers=HTML, follow_redirects=False)
        assert response.status_code == 401 and "must use https" in response.text
        assert [e.details["reason"] for e in audit_events(vouch, "sign_in_failed")] == ["insecure_issuer"]


def test_a_client_that_keeps_failing_is_slowed_down_for_both_kinds_of_sign_in(vouch, fake):
    """Failed company sign-ins count with failed passwords, per client address: after
    PER_CLIENT of them the company button is refused too, before anything is written, and
    so is a password from the same address."""
    for _ in range(PER_CLIENT):
        assert back(vouch, {"state": "forged-state"}).status_code == 401  # a guessed callback
    refused = vouch.get("/sign-in/oidc", headers=HTML, follow_redirects=False)
    assert refused.status_code == 401 and "Too many failed sign-ins from your network" in refused.text
    assert [e.details["reason"] for e in audit_events(vouch, "sign_in_failed")][-1] == "too_many_from_client"
    with vouch.app.state.db.session() as session:
        assert session.exec(select(OidcLogin)).all() == []  # no sign-in was started
    password = vouch.post("/sign-in", data={"email": "ada@example.com", "password": "x" * 12, "next": "/cards",
                                            "_csrf_token": csrf_token(vouch)}, headers=HTML, follow_redirects=False)
    assert password.status_code == 429 and "Too many failed sign-ins from your network" in password.text
