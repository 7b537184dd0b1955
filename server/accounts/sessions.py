"""Web sign-in: checking a password, and the browser sessions that follow."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import math
from datetime import timedelta, timezone

from sqlmodel import Session, delete, select

from server.accounts.models import SignInFailure, User, WebSession
from server.accounts.service import check_password, normalize_email
from server.audit.service import record
from server.clock import now
from server.db import begin_write
from server.errors import Invalid, NotAuthenticated, TooManyAttempts

SESSION_DAYS = 14
PER_ACCOUNT = 5   # wrong passwords for one address, from browsers it never signed in on
PER_CLIENT = 20   # failed sign-ins from one client address, whatever the accounts
FAILURE_WINDOW = timedelta(minutes=15)
_WRONG = "That email address and password do not match an active account."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, *, email: str, password: str, client: str = "",
                 known_browser: bool = False) -> User:
    """The user behind a local account's email and password; one message for every failure,
    so the form does not reveal which addresses have accounts. Guessing is slowed down
    (kept in the database: every node agrees) two ways, within FAILURE_WINDOW:
    - one client address with PER_CLIENT failed sign-ins, for any accounts, is refused;
    - an account with PER_ACCOUNT wrong passwords is refused to browsers it has never been
      signed in on (`known_browser`): its owner, on their own browser, still gets in,
      so nobody can lock a person out of their account by guessing at it."""
    try:
        email = normalize_email(email)
    except Invalid:
        raise NotAuthenticated(_WRONG, code="wrong_password") from None
    user = session.exec(select(User).where(User.email == email)).first()
    try:
        _refuse_if_guessing(session, email, client, known_browser)
    except TooManyAttempts as refused:
        _audit_failure(session, email, user, refused.code)
        raise
    matches = len(password) <= 1000 and check_password(user, password)  # hashed even for no account
    if not password or not matches or user is None or not user.active:
        begin_write(session)
        note_failure(session, email=email, client=client)
        reason = "no such account" if user is None else "deactivated" if not user.active else "wrong password"
        _audit_failure(session, email, user, reason)
        raise NotAuthenticated(_WRONG, code="wrong_password")
    begin_write(session)
    forget_failures(session, email)
    record(session, actor_id=user.id, action="sign_in", target_type="user", target_id=user.id, method="password")
    session.commit()
    return user


def _audit_failure(session: Session, email: str, user: User | None, reason: str) -> None:
    """A refused sign-in in the audit log, with what was tried (never the password); commits."""
    begin_write(session)
    record(session, actor_id=None, action="sign_in_failed", target_type="user", target_id=user.id if user else None,
           method="password", email=email, reason=reason)
    session.commit()


def forget_failures(session: Session, email: str) -> None:
    """After a successful sign-in or a new password; the caller commits."""
    session.exec(delete(SignInFailure).where(SignInFailure.email == email))


def refuse_busy_client(session: Session, client: str) -> None:
    """TooManyAttempts when `client` failed PER_CLIENT sign-ins (of either kind) within
    FAILURE_WINDOW: the company sign-in is slowed down by the same count as passwords."""
    if client:
        _refuse_at(session, SignInFailure.client == client, now() - FAILURE_WINDOW, PER_CLIENT,
                   "too_many_from_client", "Too many failed sign-ins from your network: try again in {wait}.")


def note_failure(session: Session, *, email: str, client: str) -> None:
    """One failed sign-in to count; the caller commits."""
    session.add(SignInFailure(email=email, client=client[:45]))


def _refuse_if_guessing(session: Session, email: str, client: str, known_browser: bool) -> None:
    since = now() - FAILURE_WINDOW
    refuse_busy_client(session, client)
    if not known_browser:
        _refuse_at(session, SignInFailure.email == email, since, PER_ACCOUNT, "too_many_for_account",
                   "Too many wrong passwords for this address: try again in {wait}, sign in from a browser you "
                   "have signed in on before, or ask an admin to set a new password.")


def _refuse_at(session: Session, which, since, limit: int, code: str, message: str) -> None:
    failures = list(session.exec(select(SignInFailure.created_at).where(which, SignInFailure.created_at > since)
                                 .order_by(SignInFailure.created_at.desc()).limit(limit)))
    if len(failures) >= limit:
        oldest = failures[-1]
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=timezone.utc)
        minutes = max(1, math.ceil((oldest + FAILURE_WINDOW - now()).total_seconds() / 60))
        raise TooManyAttempts(message.format(wait=f"{minutes} minute{'s' if minutes != 1 else ''}"), code=code)


def browser_mark(secret: str, email: str) -> str:
    """What a browser keeps (a cookie) to show it has signed in as `email` before: a keyed
    hash, so it cannot be made without the server's secret and names nobody."""
    return hmac.new(secret.encode(), f"known-browser:{email.strip().lower()}".encode(), "sha256").hexdigest()[:32]


def start_session(session: Session, user: User) -> str:
    """A new browser session for `user`; the returned token goes in the cookie only."""
    token = secrets.token_urlsafe(32)
    begin_write(session)
    session.exec(delete(WebSession).where(WebSession.expires_at < now()))
    session.exec(delete(SignInFailure).where(SignInFailure.created_at < now() - FAILURE_WINDOW))
    session.add(WebSession(token_hash=_hash(token), user_id=user.id, expires_at=now() + timedelta(days=SESSION_DAYS)))
    session.commit()
    return token


def user_for_session(session: Session, token: str | None) -> User | None:
    if not token or len(token) > 200:
        return None
    row = session.get(WebSession, _hash(token))
    if row is None or row.expires_at <= now():
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def end_session(session: Session, token: str | None) -> None:
    if not token or len(token) > 200:
        return
    begin_write(session)
    session.exec(delete(WebSession).where(WebSession.token_hash == _hash(token)))
    session.commit()


def end_sessions_of(session: Session, user_id: int) -> None:
    """Signs a user out everywhere; the caller commits (used when an account is deactivated)."""
    session.exec(delete(WebSession).where(WebSession.user_id == user_id))
