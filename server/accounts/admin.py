"""What admins do to accounts: list people, add local users, change roles, reactivate,
set passwords. Deactivating lives in groups.py (it moves cards)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from server.accounts.groups import deactivate_user, members_of
from server.accounts.models import ApiToken, Group, User, WebSession
from server.accounts.service import ROLES, create_user, hash_password
from server.accounts.sessions import SESSION_DAYS, end_sessions_of, forget_failures
from server.audit.service import record
from server.db import as_one_action, begin_write
from server.errors import Invalid, NotFound
from server.policies.accounts import require_admin

MIN_PASSWORD = 10
MAX_PASSWORD = 1000



@dataclass
class Person:
    user: User
    last_sign_in: datetime | None  # the newest live web session; sessions end at sign-out, so "if known"
    tokens: int


def list_people(session: Session, *, actor: User) -> list[Person]:
    require_admin(actor)
    started = dict(session.exec(select(WebSession.user_id, func.max(WebSession.expires_at))
                                .group_by(WebSession.user_id)).all())
    tokens = dict(session.exec(select(ApiToken.user_id, func.count()).where(ApiToken.revoked_at == None)  # noqa: E711
                               .group_by(ApiToken.user_id)).all())
    users = session.exec(select(User).order_by(User.active.desc(), func.lower(User.name), User.id))
    # A session's start is its expiry minus its lifetime.
    return [Person(u, started[u.id] - timedelta(days=SESSION_DAYS) if u.id in started else None, tokens.get(u.id, 0))
            for u in users]


def active_users(session: Session) -> list[User]:
    """Who can be chosen as a verifier."""
    return list(session.exec(select(User).where(User.active == True).order_by(func.lower(User.name), User.id)))  # noqa: E712


def groups_with_members(session: Session, *, actor: User) -> list[tuple[Group, list[User]]]:
    require_admin(actor)
    return [(g, members_of(session, g.id)) for g in session.exec(select(Group).order_by(func.lower(Group.name)))]


def check_password_rules(password: str) -> str:
    if len(password or "") < MIN_PASSWORD or len(password) > MAX_PASSWORD:
        raise Invalid(f"A password needs at least {MIN_PASSWORD} characters.", code="weak_password")
    return password


@as_one_action
def add_local_user(session: Session, *, actor: User, email: str, name: str, role: str, password: str) -> User:
    """A user who signs in with a password (installs without a company sign-in), and its audit
    record, together."""
    require_admin(actor)
    user = create_user(session, email=email, name=name, role=role, password=check_password_rules(password))
    begin_write(session)
    record(session, actor_id=actor.id, action="user_created", target_type="user", target_id=user.id, role=role)
    session.commit()
    return user


def _other_user(session: Session, actor: User, user_id: int) -> User:
    require_admin(actor)
    begin_write(session)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    return user


def set_role(session: Session, *, actor: User, user_id: int, role: str) -> User:
    """An admin cannot demote themselves, so there is always an admin who can undo a mistake."""
    if role not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.", code="invalid_role")
    user = _other_user(session, actor, user_id)
    if user.id == actor.id and role != "admin":
        raise Invalid("You cannot take away your own admin role; ask another admin.", code="self_demotion")
    if user.role != role:
        record(session, actor_id=actor.id, action="role_changed", target_type="user", target_id=user.id,
               before=user.role, after=role)
        user.role = role
        session.add(user)
    session.commit()
    return user


def deactivate(session: Session, *, actor: User, user_id: int) -> tuple[User, int]:
    """groups.deactivate_user, plus who it was, for the page that says how many cards moved."""
    moved = deactivate_user(session, actor=actor, user_id=user_id)
    return session.get(User, user_id), moved


def reactivate_user(session: Session, *, actor: User, user_id: int) -> User:
    """They can sign in again; their old tokens stay revoked and their cards stay with their heirs."""
    user = _other_user(session, actor, user_id)
    if not user.active:
        user.active = True
        session.add(user)
        record(session, actor_id=actor.id, action="reactivate", target_type="user", target_id=user.id)
    session.commit()
    return user


def set_password(session: Session, *, actor: User, user_id: int, password: str) -> User:
    """A new password signs the user out of every browser, so a leaked session ends with it
    (except the admin's own, who is setting it right now)."""
    check_password_rules(password)
    user = _other_user(session, actor, user_id)
    user.password_hash = hash_password(password)
    session.add(user)
    if user.id != actor.id:
        end_sessions_of(session, user.id)
    forget_failures(session, user.email)  # the new password works at once
    record(session, actor_id=actor.id, action="password_set", target_type="user", target_id=user.id)
    session.commit()
    return user
