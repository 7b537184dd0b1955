"""Web sign-in: checking a password, and the browser sessions that follow."""

from __future__ import annotations

import hashlib
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
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
_WRONG = "That email address and password do not match an active account."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The user behind a local account's email and password; one message for every failure,
    so the form does not reveal which addresses have accounts. After MAX_FAILURES wrong
    passwords for an address within FAILURE_WINDOW, it is refused until the window passes,
    whether or not the address has an account (kept in the database: every node agrees)."""
    try:
        email = normalize_email(email)
    except Invalid:
        raise NotAuthenticated(_WRONG, code="wrong_password") from None
    user = session.exec(select(User).where(User.email == email)).first()
    try:
        _refuse_if_guessing(session, email)
    except TooManyAttempts:
        _audit_failure(session, email, user, "too many wrong passwords")
        raise
    matches = len(password) <= 1000 and check_password(user, password)  # hashed even for no account
    if not password or not matches or user is None or not user.active:
        begin_write(session)
        session.add(SignInFailure(email=email))
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


def _refuse_if_guessing(session: Session, email: str) -> None:
    since = now() - FAILURE_WINDOW
    failures = list(session.exec(select(SignInFailure.created_at).where(
        SignInFailure.email == email, SignInFailure.created_at > since).order_by(SignInFailure.created_at)))
    if len(failures) >= MAX_FAILURES:
        oldest = failures[-MAX_FAILURES]
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=timezone.utc)
        minutes = max(1, math.ceil((oldest + FAILURE_WINDOW - now()).total_seconds() / 60))
        raise TooManyAttempts(f"Too many wrong passwords for this address: try again in {minutes} minute"
                              f"{'s' if minutes != 1 else ''}, or ask an admin to set a new password.")


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
