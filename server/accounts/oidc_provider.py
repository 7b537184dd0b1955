"""Talking to the company's OpenID Connect provider: discovery, the authorization URL, the
code-for-tokens exchange and checking the ID token. Authlib's ID token rules
(authlib.oidc.core) over joserfc, the JOSE library Authlib itself now uses (its own
authlib.jose is deprecated): no JWT code of our own."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

# Signatures made with the provider's private key only: never "none", never HS* (whose
# "key" would be the public key anyone can fetch, the HS/RS confusion).
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LEEWAY_SECONDS = 60  # clocks of two machines disagree a little
DISCOVERY_SECONDS = 3600
_TIMEOUT = httpx.Timeout(10.0)


class ProviderRefused(Exception):
    """The provider could not be reached, or its answer cannot be trusted; `reason` is a
    short code for the audit log, never a token."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    """What discovery says about the provider, and Vouch's client there."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    algorithms: tuple[str, ...]
    scopes: tuple[str, ...]
    client_id: str
    client_secret: str
    basic_auth: bool


_discovered: dict[str, tuple[float, dict]] = {}
_jwks: dict[str, dict] = {}
_lock = threading.Lock()


def _get_json(url: str, **kwargs) -> dict:
    try:
        response = httpx.get(url, timeout=_TIMEOUT, **kwargs)
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError):
        raise ProviderRefused("provider_unreachable") from None
    if not isinstance(body, dict):
        raise ProviderRefused("provider_unreachable")
    return body


def discover(*, issuer: str, client_id: str, client_secret: str) -> Provider:
    """The provider's endpoints from its discovery document (kept an hour: a cache of public
    facts, not state). Its issuer must be the one configured (OpenID Connect Discovery 4.3)."""
    with _lock:
        fetched_at, document = _discovered.get(issuer, (0.0, {}))
    if time.monotonic() - fetched_at > DISCOVERY_SECONDS:
        document = _get_json(f"{issuer}/.well-known/openid-configuration")
        with _lock:
            _discovered[issuer] = (time.monotonic(), document)
            _jwks.pop(issuer, None)
    if document.get("issuer") != issuer or not all(
            isinstance(document.get(k), str) for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")):
        raise ProviderRefused("bad_discovery_document")
    announced = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(alg for alg in ASYMMETRIC if alg in announced)
    if not algorithms:
        raise ProviderRefused("no_asymmetric_signing_algorithm")
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Provider(issuer=issuer, authorization_endpoint=document["authorization_endpoint"],
                    token_endpoint=document["token_endpoint"], jwks_uri=document["jwks_uri"],
                    userinfo_endpoint=document.get("userinfo_endpoint"), algorithms=algorithms,
                    scopes=tuple(s for s in document.get("scopes_supported") or () if isinstance(s, str)),
                    client_id=client_id, client_secret=client_secret,
                    basic_auth="client_secret_basic" in methods or "client_secret_post" not in methods)


def authorization_url(provider: Provider, *, redirect_uri: str, state: str, nonce: str, code_verifier: str,
                      scope: str) -> str:
    query = urlencode({"response_type": "code", "client_id": provider.client_id, "redirect_uri": redirect_uri,
                       "scope": scope, "state": state, "nonce": nonce,
                       "code_challenge": create_s256_code_challenge(code_verifier), "code_challenge_method": "S256"})
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return f"{provider.authorization_endpoint}{separator}{query}"


def exchange_code(provider: Provider, *, code: str, redirect_uri: str, code_verifier: str) -> dict:
    """The tokens for an authorization code, sent with the PKCE verifier."""
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": code_verifier}
    auth = None
    if provider.basic_auth:  # RFC 6749 2.3.1: id and secret are form-encoded before Basic
        auth = httpx.BasicAuth(quote(provider.client_id, safe=""), quote(provider.client_secret, safe=""))
    else:
        form |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
    try:
        response = httpx.post(provider.token_endpoint, data=form, auth=auth, timeout=_TIMEOUT,
                              headers={"Accept": "application/json"})
        tokens = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        raise ProviderRefused("provider_unreachable") from None
    if not isinstance(tokens, dict) or not isinstance(tokens.get("id_token"), str):
        raise ProviderRefused("token_exchange_failed")
    return tokens


def _key_set(provider: Provider, *, fresh: bool) -> KeySet:
    with _lock:
        keys = None if fresh else _jwks.get(provider.issuer)
    if keys is None:
        keys = _get_json(provider.jwks_uri)
        with _lock:
            _jwks[provider.issuer] = keys
    try:
        return KeySet.import_key_set(keys)
    except (JoseError, ValueError, TypeError, KeyError):
        raise ProviderRefused("bad_jwks") from None


def verified_claims(provider: Provider, *, id_token: str, nonce: str, access_token: str | None, now: int) -> dict:
    """The ID token's claims once its signature (by a key of the provider's JWKS, with an
    announced asymmetric algorithm), issuer, audience, expiry and nonce are checked."""
    try:
        try:
            token = jwt.decode(id_token, _key_set(provider, fresh=False), algorithms=list(provider.algorithms))
        except InvalidKeyIdError:  # the provider rotated its keys since we fetched them
            token = jwt.decode(id_token, _key_set(provider, fresh=True), algorithms=list(provider.algorithms))
        claims = CodeIDToken(token.claims, token.header,
                             {"iss": {"essential": True, "value": provider.issuer},
                              "aud": {"essential": True, "value": provider.client_id}},
                             {"nonce": nonce, "client_id": provider.client_id, "access_token": access_token})
        claims.validate(now=now, leeway=LEEWAY_SECONDS)
    except JoseError as error:
        # Which claim, for a claim: a wrong audience (a token for another app) and a wrong
        # issuer (another provider) are different stories in the audit log.
        claim = getattr(error, "claim", None)
        named = f":{claim}" if isinstance(claim, str) and re.fullmatch(r"[a-z_]{1,30}", claim) else ""
        raise ProviderRefused(f"invalid_id_token:{error.error}{named}") from None
    except (ValueError, TypeError, KeyError):
        raise ProviderRefused("invalid_id_token") from None
    return dict(claims)


def userinfo(provider: Provider, *, access_token: str | None, subject: str) -> dict:
    """Claims the ID token left out (providers may send email or groups only here); the
    answer must be about the same subject (OpenID Connect Core 5.3.2)."""
    if not provider.userinfo_endpoint or not access_token:
        return {}
    claims = _get_json(provider.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if claims.get("sub") != subject:
        raise ProviderRefused("userinfo_subject_mismatch")
    return claims
