"""Users and API tokens: creating them, and finding the user behind a token."""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import bindparam
from sqlmodel import Session, select

from server.accounts.models import ApiToken, GroupMember, User
from server.audit.service import record
from server.clock import now
from server.db import begin_write
from server.errors import Conflict, Invalid, NotAuthenticated, NotFound

TOKEN_PREFIX = "vch_"
ROLES = ("member", "admin")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_hasher = PasswordHasher()


def normalize_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 320 or not _EMAIL.match(email):
        raise Invalid(f"'{email[:80]}' is not an email address.", code="invalid_email")
    return email


def user_by_email(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == normalize_email(email))).first()
    if user is None:
        raise NotFound(f"No user with the email address {email}.")
    return user


def create_user(session: Session, *, email: str, name: str, role: str = "member",
                password: str | None = None) -> User:
    email = normalize_email(email)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise Invalid("A user needs a name of at most 200 characters.", code="invalid_name")
    if role not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.", code="invalid_role")
    begin_write(session)
    if session.exec(select(User).where(User.email == email)).first():
        raise Conflict(f"A user with the email address {email} exists already.", code="user_exists")
    user = User(email=email, name=name, role=role, password_hash=_hasher.hash(password) if password else None)
    session.add(user)
    session.commit()
    return user


def hash_password(password: str) -> str:
    return _hasher.hash(password)


_STAND_IN: list[str] = []  # a hash no password matches, made once


def check_password(user: User | None, password: str) -> bool:
    """Whether `password` is the user's. The hash runs whether or not there is an account with
    a password, so a wrong address takes as long as a wrong password (no timing tells which
    addresses have accounts)."""
    if not _STAND_IN:
        _STAND_IN.append(_hasher.hash(secrets.token_urlsafe(32)))
    stored = user.password_hash if user is not None and user.password_hash else None
    try:
        return _hasher.verify(stored or _STAND_IN[0], password) and stored is not None
    except VerificationError:
        return False


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, user: User, name: str, kind: str = "personal") -> str:
    """A new API token for `user`; the token itself is returned once and never stored."""
    name = (name or "").strip()[:200] or "token"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    begin_write(session)
    row = ApiToken(user_id=user.id, name=name, token_hash=_hash_token(token), prefix=token[:10], kind=kind)
    session.add(row)
    session.flush()
    record(session, actor_id=user.id, action="token_created", target_type="api_token", target_id=row.id, name=name)
    session.commit()
    return token


# One query for the token and its user, built once: every API request starts here, and
# building the statement cost more than running it.
_TOKEN_AND_USER = (select(ApiToken.id, ApiToken.revoked_at, ApiToken.last_used_at, ApiToken.kind, User)
                   .join(User, User.id == ApiToken.user_id)
                   .where(ApiToken.token_hash == bindparam("token_hash")))


def user_for_token(session: Session, token: str) -> tuple[User, str]:
    """The user behind an API token, and the token's kind (see ApiToken.kind)."""
    if not token or len(token) > 200:
        raise NotAuthenticated("Sign in: this request has no valid API token.")
    found = session.exec(_TOKEN_AND_USER, params={"token_hash": _hash_token(token)}).first()
    if found is None or found.revoked_at is not None:
        raise NotAuthenticated("This API token is unknown or has been revoked.")
    user = found.User
    if not user.active:
        raise NotAuthenticated("The account behind this token is deactivated.")
    moment = now()
    if found.last_used_at is None or (moment - found.last_used_at).total_seconds() > 60:
        # Recorded at most once a minute, so reads do not turn into writes.
        begin_write(session)
        row = session.get(ApiToken, found.id)
        row.last_used_at = moment
        session.commit()
    return user, found.kind


def group_ids_of(session: Session, user: User) -> set[int]:
    return set(session.exec(select(GroupMember.group_id).where(GroupMember.user_id == user.id)).all())


def users_by_id(session: Session, ids) -> dict[int, User]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(ids)))}
