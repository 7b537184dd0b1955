"""Web sign-in: checking a password, and the browser sessions that follow."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, delete, select

from server.accounts.models import User, WebSession
from server.accounts.service import check_password, normalize_email
from server.clock import now
from server.db import begin_write
from server.errors import Invalid, NotAuthenticated

SESSION_DAYS = 14
_WRONG = "That email address and password do not match an active account."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The user behind a local account's email and password; one message for every failure,
    so the form does not reveal which addresses have accounts."""
    try:
        email = normalize_email(email)
    except Invalid:
        raise NotAuthenticated(_WRONG, code="wrong_password") from None
    if not password or len(password) > 1000:
        raise NotAuthenticated(_WRONG, code="wrong_password")
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not user.active or not check_password(user, password):
        raise NotAuthenticated(_WRONG, code="wrong_password")
    return user


def start_session(session: Session, user: User) -> str:
    """A new browser session for `user`; the returned token goes in the cookie only."""
    token = secrets.token_urlsafe(32)
    begin_write(session)
    session.exec(delete(WebSession).where(WebSession.expires_at < now()))
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
