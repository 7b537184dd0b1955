"""A collection's access list: whether it is open or restricted, and which users and groups
read, edit, verify or own it. Its owners and admins manage it (can_manage_access); every change
is audited, and a change that takes read access away hands the cards of whoever lost it to
the collection's owner in the same transaction (server/cards/handover.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from server.accounts.models import Group, User
from server.accounts.service import normalize_email
from server.audit.service import record
from server.cards.handover import hand_over_unreadable
from server.cards.models import ROLES, Collection, CollectionGrant
from server.cards.service import get_collection
from server.db import begin_write
from server.errors import Forbidden, Invalid, NotFound
from server.policies.access import access_of
from server.policies.collections import can_manage_access, may_read


@dataclass(frozen=True)
class GrantLine:
    """One line of the list, with the user or group it names."""

    grant: CollectionGrant
    user: User | None
    group: Group | None


@dataclass(frozen=True)
class AccessList:
    collection: Collection
    owner: User | None  # the default verifier, who owns the collection whatever the list says
    lines: list[GrantLine]


def _managed(session: Session, actor: User, collection_id: int, *, lock: bool = False,
             missing: str = "") -> Collection:
    """The collection, if `actor` manages its list. One they cannot read answers as if it did
    not exist (`missing`: that answer's words); one they read but do not own, with a refusal."""
    statement = select(Collection).where(Collection.id == collection_id)
    # Locked while its list changes: on PostgreSQL two grants for one person wait for each other
    # (SQLite's write lock does that already), so grant's check for an existing line holds.
    collection = session.exec(statement.with_for_update() if lock else statement).first()
    access = access_of(session, actor) if collection else None
    if collection is None or not (can_manage_access(access, collection) or may_read(access, collection)):
        raise NotFound(missing or f"There is no collection {collection_id}.")
    if not can_manage_access(access, collection):
        raise Forbidden(f"Only an admin or an owner of “{collection.name}” decides who may read it.")
    return collection


def collection_named(session: Session, *, actor: User, slug: str) -> Collection:
    """The collection whose list `actor` manages, by its slug (as the API names it); one they
    cannot read answers exactly as a slug that names none."""
    return _managed(session, actor, get_collection(session, slug).id,
                    missing=f"There is no collection '{slug[:100]}'.")


def manages(session: Session, *, actor: User, collection_id: int) -> bool:
    collection = session.get(Collection, collection_id)
    return collection is not None and can_manage_access(access_of(session, actor), collection)


def list_access(session: Session, *, actor: User, collection_id: int) -> AccessList:
    collection = _managed(session, actor, collection_id)
    grants = session.exec(select(CollectionGrant).where(CollectionGrant.collection_id == collection.id)
                          .order_by(CollectionGrant.id)).all()
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(
        [g.user_id for g in grants if g.user_id] + [collection.default_verifier_id or 0])))}
    group_ids = [g.group_id for g in grants if g.group_id]
    groups = {g.id: g for g in session.exec(select(Group).where(Group.id.in_(group_ids)))}
    lines = [GrantLine(g, users.get(g.user_id), groups.get(g.group_id)) for g in grants]
    return AccessList(collection, users.get(collection.default_verifier_id), lines)


def group_choices(session: Session) -> list[Group]:
    """Every group, by name, for the form that adds one to a list."""
    return list(session.exec(select(Group).order_by(func.lower(Group.name), Group.id)))


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise Invalid(f"A role is one of {', '.join(ROLES)}.", code="invalid_role")
    return role


def _grantee(session: Session, user_id: int | None, group_id: int | None) -> tuple[User | None, Group | None]:
    if (user_id is None) == (group_id is None):
        raise Invalid("Name either a user or a group.", code="invalid_grantee")
    if user_id is not None:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise Invalid(f"There is no active user {user_id}.", code="unknown_user")
        return user, None
    group = session.get(Group, group_id)
    if group is None:
        raise Invalid(f"There is no group {group_id}.", code="unknown_group")
    return None, group


def check_owned(session: Session, collection: Collection, message: str, *, without_group: int | None = None) -> None:
    """A restricted collection keeps someone who owns it: its default verifier, or an 'own'
    grant to an active user or to a group. Else its cards would have no one to go to.
    `without_group`: as if that group were gone (asked before deleting it, so a refusal writes nothing)."""
    if not collection.restricted:
        return
    owner = session.get(User, collection.default_verifier_id) if collection.default_verifier_id else None
    if owner is not None and owner.active:
        return
    owns = select(CollectionGrant.id).outerjoin(User, User.id == CollectionGrant.user_id).where(
        CollectionGrant.collection_id == collection.id, CollectionGrant.role == "own",
        (CollectionGrant.group_id != None) | (User.active == True))  # noqa: E711,E712
    if without_group is not None:
        others = (CollectionGrant.group_id == None) | (CollectionGrant.group_id != without_group)  # noqa: E711
        owns = owns.where(others)
    if session.exec(owns).first() is None:
        raise Invalid(message, code="no_owner")


def grant(session: Session, *, actor: User, collection_id: int, role: str, user_id: int | None = None,
          group_id: int | None = None) -> GrantLine:
    """Give a user or a group a role in the collection; one they have already gets the new role
    (one line per user or group: the table cannot say so itself, its NULLs are never equal)."""
    _check_role(role)
    begin_write(session)
    collection = _managed(session, actor, collection_id, lock=True)
    user, group = _grantee(session, user_id, group_id)
    who = CollectionGrant.user_id == user.id if user else CollectionGrant.group_id == group.id
    line = session.exec(select(CollectionGrant).where(CollectionGrant.collection_id == collection.id, who)
                        .order_by(CollectionGrant.id)).first()
    before = line.role if line else None
    if before == role:
        session.commit()  # nothing written: only ends the transaction and its lock
        return GrantLine(line, user, group)
    if line is None:
        line = CollectionGrant(collection_id=collection.id, user_id=user_id, group_id=group_id, role=role)
    else:
        line.role = role
    session.add(line)
    session.flush()
    if before == "own":  # it may have been the last
        check_owned(session, collection, f"“{collection.name}” is restricted and this is its last owner: grant "
                                          "'own' to someone else first, or give it a default verifier.")
    record(session, actor_id=actor.id, action="access_granted", target_type="collection", target_id=collection.id,
           user_id=user_id, group_id=group_id, before=before, after=role)
    session.commit()
    return GrantLine(line, user, group)


def grant_named(session: Session, *, actor: User, collection_id: int, role: str, user_email: str = "",
                group_name: str = "") -> GrantLine:
    """`grant`, naming the user by email address or the group by name (the API and the page)."""
    user_email, group_name = (user_email or "").strip(), " ".join((group_name or "").split())
    if bool(user_email) == bool(group_name):
        raise Invalid("Name either a user (by email address) or a group.", code="invalid_grantee")
    _check_role(role)
    begin_write(session)  # the look-ups and the grant: one transaction
    _managed(session, actor, collection_id)  # no one learns who has an account before that
    if user_email:
        user = session.exec(select(User).where(User.email == normalize_email(user_email))).first()
        if user is None or not user.active:
            raise Invalid(f"No active user has the email address {user_email[:320]}.", code="unknown_user")
        return grant(session, actor=actor, collection_id=collection_id, role=role, user_id=user.id)
    group = session.exec(select(Group).where(Group.name == group_name)).first()
    if group is None:
        raise Invalid(f"There is no group named {group_name[:200]}.", code="unknown_group")
    return grant(session, actor=actor, collection_id=collection_id, role=role, group_id=group.id)


def revoke(session: Session, *, actor: User, grant_id: int, collection_id: int | None = None) -> CollectionGrant:
    """Take a line off the list (`collection_id`: only if it is that collection's). Whoever
    can no longer read the collection hands the cards they verify there to its owner."""
    begin_write(session)
    line = session.get(CollectionGrant, grant_id)
    if line is None or collection_id not in (None, line.collection_id):
        raise NotFound(f"There is no access grant {grant_id}.")
    collection = _managed(session, actor, line.collection_id, lock=True)
    if session.exec(select(CollectionGrant.id).where(CollectionGrant.id == grant_id)).first() is None:
        raise NotFound(f"There is no access grant {grant_id}.")  # removed by someone else while we waited
    session.delete(line)
    session.flush()
    if line.role == "own":
        check_owned(session, collection, f"“{collection.name}” is restricted and this is its last owner: grant "
                                         "'own' to someone else first, or open the collection.")
    record(session, actor_id=actor.id, action="access_revoked", target_type="collection", target_id=collection.id,
           grant_id=grant_id, user_id=line.user_id, group_id=line.group_id, role=line.role)
    if collection.restricted:  # in an open collection every member reads anyway
        hand_over_unreadable(session, actor=actor, collection_ids=[collection.id])
    session.commit()
    return line


def set_restricted(session: Session, *, actor: User, collection_id: int, restricted: bool) -> Collection:
    """Restrict the collection to its list (cards whose verifier is not on it go to its owner),
    or open it to every member again."""
    begin_write(session)
    collection = _managed(session, actor, collection_id, lock=True)
    if collection.restricted == restricted:
        session.commit()  # nothing written: only ends the transaction and its lock
        return collection
    collection.restricted = restricted
    session.add(collection)
    check_owned(session, collection, f"“{collection.name}” would have no owner once restricted: give it a default "
                                     "verifier or grant someone 'own' first.")
    record(session, actor_id=actor.id, action="collection_restricted" if restricted else "collection_opened",
           target_type="collection", target_id=collection.id)
    if restricted:
        hand_over_unreadable(session, actor=actor, collection_ids=[collection.id])
    session.commit()
    return collection
