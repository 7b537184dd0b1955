"""Who may do what in which collection: the one place a person's role in each collection is
worked out. Every other rule about cards and collections asks `Access` for it.

A collection is open (every active member reads and edits it, and admins own it) or
restricted (only the users and groups its access list names, with their role there). Its
owner, the default verifier, owns it either way. An admin is not a reader of a restricted
collection unless the list names them; admins still manage every access list."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import event, or_
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from server.accounts.models import GroupMember, User
from server.cards.models import ROLES, CollectionGrant, Collection
from server.db import rows

RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}


@dataclass(frozen=True)
class Access:
    """A person, their groups, and their role in every collection they may read."""

    user: User
    group_ids: frozenset[int] = field(default_factory=frozenset)
    roles: dict[int, str] = field(default_factory=dict)  # collection id → role; absent: cannot read

    def role(self, collection_id: int | None) -> str | None:
        return self.roles.get(collection_id) if self.user.active else None

    def has(self, collection_id: int | None, role: str) -> bool:
        held = self.role(collection_id)
        return held is not None and RANK[held] >= RANK[role]

    @property
    def readable(self) -> list[int]:
        return sorted(self.roles) if self.user.active else []


def strongest(*roles: str | None) -> str | None:
    held = [r for r in roles if r]
    return max(held, key=RANK.__getitem__) if held else None


def role_in(collection: Collection, user: User, granted: str | None) -> str | None:
    """The rule itself: a person's role in one collection, from what its list grants them."""
    if not user.active:
        return None
    if collection.default_verifier_id == user.id:
        return "own"
    if collection.restricted:
        return granted
    return strongest(granted, "own" if user.is_admin else "edit")


_COLLECTIONS = select(Collection.id, Collection.restricted, Collection.default_verifier_id)  # built once


_MEMO = "vouch_access"  # a session's info: the Access it worked out, until it writes or ends


@event.listens_for(OrmSession, "after_flush")
@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_soft_rollback")
def _forget(session, *_args) -> None:
    """Any write (a grant, a membership, a collection) may change anyone's Access."""
    session.info.pop(_MEMO, None)


def access_of(session: Session, user: User) -> Access:
    """`user`'s Access: three small queries, kept by the session until it writes or its
    transaction ends (a request asks for it from several places: search, the queue badge)."""
    key = (user.id, user.role, user.active)
    memo = session.info.setdefault(_MEMO, {})
    if key not in memo:
        memo[key] = _work_out(session, user)
    return memo[key]


def _work_out(session: Session, user: User) -> Access:
    if not user.active:
        return Access(user)
    groups = frozenset(session.exec(select(GroupMember.group_id).where(GroupMember.user_id == user.id)).all())
    who = CollectionGrant.user_id == user.id
    grants = session.exec(select(CollectionGrant.collection_id, CollectionGrant.role).where(
        or_(who, CollectionGrant.group_id.in_(groups)) if groups else who)).all()
    granted: dict[int, str] = {}
    for collection_id, role in grants:
        granted[collection_id] = strongest(granted.get(collection_id), role)
    roles = {}
    for row in rows(session, _COLLECTIONS):
        role = role_in(row, user, granted.get(row.id))
        if role:
            roles[row.id] = role
    return Access(user, groups, roles)


def group_may_read(collection: Collection, named: bool) -> bool:
    """A group (as a card's verifier) reads an open collection, or a restricted one whose
    access list names it (`named`). A group has no Access of its own: this is its rule."""
    return not collection.restricted or named


def group_reads(session: Session, collection: Collection, group_id: int) -> bool:
    """group_may_read, with what it needs looked up."""
    named = collection.restricted and session.exec(select(CollectionGrant.id).where(
        CollectionGrant.collection_id == collection.id, CollectionGrant.group_id == group_id)).first() is not None
    return group_may_read(collection, named)
