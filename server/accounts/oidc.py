"""Sign-in with the company's OpenID Connect provider: the rules. A sign-in started here is
kept in the database (state hashed, nonce, PKCE verifier, the page to return to) so the
callback may reach any node; the callback uses it once, checks the ID token, then finds or
creates the user, keeps their groups in step with the group claim, and opens the same web
session as a local sign-in. Every outcome is audited; no token is ever written down."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, delete, select

from server.accounts import oidc_provider
from server.accounts.models import Group, GroupMember, OidcLogin, User
from server.accounts.oidc_provider import ProviderRefused
from server.accounts.sessions import note_failure, refuse_busy_client, start_session
from server.accounts.service import normalize_email
from server.audit.service import record
from server.cards.handover import collections_naming_group, hand_over_unreadable
from server.cards.models import Card
from server.clock import now
from server.db import begin_write, one_action, release
from server.errors import Invalid, NotAuthenticated, TooManyAttempts
from server.settings import Settings

LOGIN_MINUTES = 10
CALLBACK_PATH = "/sign-in/oidc/callback"
SCOPE = "openid email profile"

# What the sign-in page says for each refusal (the audit log keeps the exact reason).
_MESSAGES = {
    "not_configured": "Sign-in with your company's account is not set up on this server.",
    "insecure_issuer": "Sign-in with your company's account is misconfigured here: its provider must use https.",
    "unknown_state": "This sign-in was used already, expired or was not started here: please start again.",
    "other_browser": "This sign-in was started in another browser: please start again here.",
    "provider_error": "Your company's sign-in did not complete (it was cancelled or refused): please try again.",
    "wrong_issuer": "The answer came from another sign-in service than the one this server trusts.",
    "no_email": "Your company's account did not share an email address, which Vouch needs.",
    "email_not_verified": "Your company's account has an email address that is not verified.",
    "domain_not_allowed": "Accounts of that email domain may not sign in to Vouch.",
    "deactivated": "This Vouch account is deactivated: ask an admin.",
    "provider_unreachable": "Your company's sign-in service could not be reached: please try again later.",
    "too_many_from_client": "Too many failed sign-ins from your network: try again in a few minutes.",
}
# Refusals that say nothing about the browser's tries (the server's set-up, the provider's
# health, a limit already reached): they do not count towards the per-client limit.
_NOT_COUNTED = ("not_configured", "insecure_issuer", "provider_unreachable", "too_many_from_client")
_UNTRUSTED = "The sign-in could not be verified with your company's sign-in service: please try again."


class OidcSignInRefused(NotAuthenticated):
    """A refused company sign-in; `reason` goes to the audit log, the message to the page."""

    code = "oidc_sign_in_refused"

    def __init__(self, reason: str, *, email: str | None = None, user_id: int | None = None):
        super().__init__(_MESSAGES.get(reason.split(":")[0], _UNTRUSTED))
        self.reason, self.email, self.user_id = reason, email, user_id


@dataclass(frozen=True)
class Started:
    provider_url: str  # where to send the browser
    state: str  # for a short-lived cookie only: the callback must come back to this browser


@dataclass(frozen=True)
class SignedIn:
    user: User
    session_token: str  # for the cookie only
    next_page: str


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _audit_refusal(session: Session, refused: OidcSignInRefused, *, state_hash: str | None = None,
                   client: str = "") -> None:
    """The refusal in the audit log, counted against the client's failed sign-ins, and the
    sign-in it ends used up; one transaction."""
    with one_action(session):
        if state_hash:
            session.exec(delete(OidcLogin).where(OidcLogin.state_hash == state_hash))
        if client and refused.reason.split(":")[0] not in _NOT_COUNTED:
            note_failure(session, email=refused.email or "", client=client)
        details = {"email": refused.email} if refused.email else {}
        record(session, actor_id=None, action="sign_in_failed", target_type="user", target_id=refused.user_id,
               method="oidc", reason=refused.reason, **details)


def _provider(settings: Settings) -> oidc_provider.Provider:
    if not settings.oidc_enabled:
        raise OidcSignInRefused("not_configured")
    if settings.environment == "production" and not settings.oidc_issuer.startswith("https://"):
        raise OidcSignInRefused("insecure_issuer")  # the client secret and the tokens would cross in clear
    try:
        return oidc_provider.discover(issuer=settings.oidc_issuer, client_id=settings.oidc_client_id,
                                      client_secret=settings.oidc_client_secret)
    except ProviderRefused as refused:
        raise OidcSignInRefused(refused.reason) from None


def _not_busy(session: Session, client: str) -> None:
    try:
        refuse_busy_client(session, client)
    except TooManyAttempts:
        raise OidcSignInRefused("too_many_from_client") from None


def start_sign_in(session: Session, *, settings: Settings, next_page: str, client: str = "") -> Started:
    """Where to send the browser; the sign-in waits in the database. A client address with
    too many failed sign-ins (of either kind) lately is refused before anything is written."""
    try:
        _not_busy(session, client)
        provider = _provider(settings)
    except OidcSignInRefused as refused:
        _audit_refusal(session, refused)
        raise
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    begin_write(session)
    session.exec(delete(OidcLogin).where(OidcLogin.expires_at < now()))
    session.add(OidcLogin(state_hash=_hash(state), nonce=nonce, code_verifier=verifier, next_page=next_page,
                          expires_at=now() + timedelta(minutes=LOGIN_MINUTES)))
    session.commit()
    claim = settings.oidc_group_claim
    scope = SCOPE + (f" {claim}" if claim and claim in provider.scopes else "")  # some providers want it asked for
    return Started(provider_url=oidc_provider.authorization_url(
        provider, redirect_uri=settings.base_url + CALLBACK_PATH, state=state, nonce=nonce, code_verifier=verifier,
        scope=scope), state=state)


def finish_sign_in(session: Session, *, settings: Settings, params: dict[str, str],
                   browser_state: str | None, client: str = "") -> SignedIn:
    """The callback: one transaction that uses up the sign-in and opens the session, or a
    refusal (OidcSignInRefused) that uses it up and is audited. `browser_state` is the state
    the starting browser kept in a cookie: a callback link someone else started and sent
    here (to sign this browser in as them, a login CSRF) is refused."""
    state = params.get("state") or ""
    login = session.get(OidcLogin, _hash(state)) if 0 < len(state) <= 200 else None
    release(session)  # no transaction waits on the provider
    state_hash = login.state_hash if login else None
    try:
        _not_busy(session, client)
        if login is None or login.expires_at <= now():
            raise OidcSignInRefused("unknown_state")
        if not browser_state or not hmac.compare_digest(_hash(browser_state), login.state_hash):
            raise OidcSignInRefused("other_browser")
        next_page = login.next_page
        claims = _claims(settings, login, params)
        with one_action(session):
            if session.exec(delete(OidcLogin).where(OidcLogin.state_hash == state_hash)).rowcount != 1:
                raise OidcSignInRefused("unknown_state")  # another callback used it meanwhile
            user = _user_for(session, settings, claims)
            token = start_session(session, user)
            record(session, actor_id=user.id, action="sign_in", target_type="user", target_id=user.id,
                   method="oidc", email=user.email)
        return SignedIn(user=user, session_token=token, next_page=next_page)
    except OidcSignInRefused as refused:
        _audit_refusal(session, refused, state_hash=state_hash, client=client)
        raise


def _claims(settings: Settings, login: OidcLogin, params: dict[str, str]) -> dict:
    provider = _provider(settings)
    if params.get("error") or not params.get("code"):
        # The provider's error code goes to the audit log, so only as the code it should be.
        code = re.sub(r"[^a-z0-9_]", "", (params.get("error") or "no_code").lower())[:50]
        raise OidcSignInRefused(f"provider_error:{code}")
    if "iss" in params and params["iss"] != provider.issuer:  # RFC 9207: a mix-up of providers
        raise OidcSignInRefused("wrong_issuer")
    try:
        tokens = oidc_provider.exchange_code(provider, code=params["code"][:2000],
                                             redirect_uri=settings.base_url + CALLBACK_PATH,
                                             code_verifier=login.code_verifier)
        access_token = tokens.get("access_token") if isinstance(tokens.get("access_token"), str) else None
        claims = oidc_provider.verified_claims(provider, id_token=tokens["id_token"], nonce=login.nonce,
                                               access_token=access_token, now=int(now().timestamp()))
        wanted = ("email", settings.oidc_group_claim) if settings.oidc_group_claim else ("email",)
        if any(name not in claims for name in wanted):
            extra = oidc_provider.userinfo(provider, access_token=access_token, subject=claims["sub"])
            claims = {**extra, **claims}  # the signed ID token wins where both speak
    except ProviderRefused as refused:
        raise OidcSignInRefused(refused.reason) from None
    return claims


def _user_for(session: Session, settings: Settings, claims: dict) -> User:
    """The signed-in user, created on first sign-in; their claimed groups kept in step."""
    try:
        email = normalize_email(claims.get("email") if isinstance(claims.get("email"), str) else "")
    except Invalid:
        raise OidcSignInRefused("no_email") from None
    if "email_verified" in claims and claims["email_verified"] is not True:
        raise OidcSignInRefused("email_not_verified", email=email)
    if email.rpartition("@")[2] not in settings.oidc_domains:
        raise OidcSignInRefused("domain_not_allowed", email=email)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None and not user.active:
        raise OidcSignInRefused("deactivated", email=email, user_id=user.id)
    if user is None:
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        user = User(email=email, name=(name.strip() or email.partition("@")[0])[:200])
        session.add(user)
        session.flush()
        record(session, actor_id=user.id, action="user_created", target_type="user", target_id=user.id,
               method="oidc")
    if settings.oidc_group_claim:
        _keep_groups_in_step(session, user, claims.get(settings.oidc_group_claim))
    return user


def _keep_groups_in_step(session: Session, user: User, claimed) -> None:
    """Groups named by the claim are created if missing and joined; memberships the claim
    made before and no longer names end. Memberships admins made are left alone."""
    if isinstance(claimed, str):
        claimed = [claimed]
    if not isinstance(claimed, list):
        claimed = []  # no claim (or a malformed one) names no group: the claim's memberships end
    names = {n.strip()[:200] for n in claimed if isinstance(n, str) and n.strip()}
    memberships = {m.group_id: m for m in session.exec(select(GroupMember).where(GroupMember.user_id == user.id))}
    wanted: set[int] = set()
    for name in sorted(names):
        group = session.exec(select(Group).where(Group.name == name)).first()
        if group is None:
            group = Group(name=name)
            session.add(group)
            session.flush()
            record(session, actor_id=None, action="group_created", target_type="group", target_id=group.id,
                   name=name, method="oidc")
        wanted.add(group.id)
        if group.id not in memberships:
            session.add(GroupMember(group_id=group.id, user_id=user.id, from_claim=True))
            record(session, actor_id=None, action="group_member_added", target_type="group", target_id=group.id,
                   user_id=user.id, method="oidc")
    affected: set[int] = set()  # collections whose lists name a group they left
    for group_id, membership in memberships.items():
        if membership.from_claim and group_id not in wanted:
            session.delete(membership)
            # As when an admin removes a member: their turns on the group's cards go back to the rotation.
            for card in session.exec(select(Card).where(Card.verifier_group_id == group_id,
                                                        Card.assignee_id == user.id)):
                card.assignee_id = None
                session.add(card)
            record(session, actor_id=None, action="group_member_removed", target_type="group",
                   target_id=group_id, user_id=user.id, method="oidc")
            affected.update(collections_naming_group(session, group_id))
    # Where they read only through a group they left, the cards they verify go to the owner.
    hand_over_unreadable(session, actor=None, collection_ids=affected)
