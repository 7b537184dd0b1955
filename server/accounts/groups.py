"""Groups (a card's verifier may be a group): made, renamed and joined here, deleted in
group_deletion.py; and deactivating users without orphaning cards."""

from __future__ import annotations

from sqlmodel import Session, func, select

from server.accounts.models import ApiToken, Group, GroupMember, User
from server.accounts.sessions import end_sessions_of
from server.accounts.service import user_by_email
from server.audit.service import record
from server.cards.handover import collections_naming_group, hand_over_unreadable, heir_of
from server.cards.models import Card, Collection
from server.clock import now
from server.db import begin_write
from server.errors import Conflict, Invalid, NotFound
from server.policies.accounts import require_admin
from server.text import required_line


def _group_name(name: str) -> str:
    problem = "A group needs a name of at most 200 characters."
    return required_line(name, max_chars=200, code="invalid_name", missing=problem, too_long=problem)


def _check_name_free(session: Session, name: str, besides: int | None = None) -> None:
    taken = session.exec(select(Group.id).where(Group.name == name)).first()
    if taken is not None and taken != besides:
        raise Conflict(f"A group named {name} exists already.", code="group_exists")


def create_group(session: Session, *, actor: User, name: str) -> Group:
    require_admin(actor)
    name = _group_name(name)
    begin_write(session)
    _check_name_free(session, name)
    group = Group(name=name)
    session.add(group)
    session.commit()
    return group


def claimed_group_ids(session: Session) -> set[int]:
    """The groups the company's sign-in manages: someone is in them because its group claim
    says so (server/accounts/oidc.py), and each sign-in finds the group by its name."""
    claimed = select(GroupMember.group_id).where(GroupMember.from_claim == True).distinct()  # noqa: E712
    return set(session.exec(claimed))


def check_not_claimed(session: Session, group: Group, doing: str) -> None:
    """A group the sign-in manages is renamed or deleted at the identity provider, not here:
    the next sign-in would make a new, empty group by the old name and move the claim's
    members into it, so its access lists and key accounts would silently lose them."""
    claimed = session.exec(select(func.count()).select_from(GroupMember).where(
        GroupMember.group_id == group.id, GroupMember.from_claim == True)).one()  # noqa: E712
    if claimed:
        raise Invalid(f"The company's sign-in manages the group {group.name} ({claimed} of its members are in it "
                      f"because the identity provider says so): {doing} it there. Here it would come back by its "
                      "old name at their next sign-in.", code="group_from_sign_in", detail={"members": claimed})


def locked_group(session: Session, group_id: int) -> Group:
    """The group, locked until the action commits (PostgreSQL; SQLite's write lock does it already)."""
    group = session.exec(select(Group).where(Group.id == group_id).with_for_update()).first()
    if group is None:
        raise NotFound(f"There is no group {group_id}.")
    return group


def rename_group(session: Session, *, actor: User, group_id: int, name: str) -> Group:
    """A new name, as unique as a new group's; audited with the names before and after.
    Collections' lists and key accounts name the group by id, so they follow it."""
    require_admin(actor)
    name = _group_name(name)
    begin_write(session)
    group = locked_group(session, group_id)
    if group.name == name:
        session.commit()  # nothing written: only ends the transaction and its lock
        return group
    check_not_claimed(session, group, "rename")
    _check_name_free(session, name, besides=group.id)
    record(session, actor_id=actor.id, action="group_renamed", target_type="group", target_id=group.id,
           before=group.name, after=name, name=name)
    group.name = name
    session.add(group)
    session.commit()
    return group


def members_of(session: Session, group_id: int) -> list[User]:
    return list(session.exec(select(User).join(GroupMember, GroupMember.user_id == User.id)
                             .where(GroupMember.group_id == group_id, User.active == True)  # noqa: E712
                             .order_by(User.id)))


def add_member(session: Session, *, actor: User, group_id: int, email: str) -> None:
    require_admin(actor)
    begin_write(session)
    if session.get(Group, group_id) is None:
        raise NotFound(f"There is no group {group_id}.")
    user = user_by_email(session, email)
    if session.get(GroupMember, (group_id, user.id)) is None:
        session.add(GroupMember(group_id=group_id, user_id=user.id))
        record(session, actor_id=actor.id, action="group_member_added", target_type="group", target_id=group_id,
               user_id=user.id)
    session.commit()


def remove_member(session: Session, *, actor: User, group_id: int, user_id: int) -> None:
    """Their turns on the group's cards go back into the rotation; the cards they verify in a
    collection they read only through the group go to its owner."""
    require_admin(actor)
    begin_write(session)
    member = session.get(GroupMember, (group_id, user_id))
    if member is None:
        raise NotFound("That user is not in the group.")
    session.delete(member)
    for card in session.exec(select(Card).where(Card.verifier_group_id == group_id, Card.assignee_id == user_id)):
        card.assignee_id = None
        session.add(card)
    record(session, actor_id=actor.id, action="group_member_removed", target_type="group", target_id=group_id,
           user_id=user_id)
    hand_over_unreadable(session, actor=actor, collection_ids=collections_naming_group(session, group_id))
    session.commit()


def _first_admin(session: Session, besides: int) -> User | None:
    return session.exec(select(User).where(User.role == "admin", User.active == True, User.id != besides)  # noqa: E712
                        .order_by(User.id)).first()


def deactivate_user(session: Session, *, actor: User, user_id: int) -> int:
    """Sign the user out everywhere and give their cards to each collection's default
    verifier (or an admin), logged: a card is never left without a verifier."""
    require_admin(actor)
    begin_write(session)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    if user.id == actor.id:
        raise Invalid("You cannot deactivate yourself.", code="self_deactivation")
    user.active = False
    session.add(user)
    for token in session.exec(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at == None)):  # noqa: E711
        token.revoked_at = now()
        session.add(token)
    end_sessions_of(session, user.id)
    fallback = _first_admin(session, user.id)
    for collection in session.exec(select(Collection).where(Collection.default_verifier_id == user.id)):
        collection.default_verifier_id = fallback.id if fallback else None
        session.add(collection)
    moved = 0
    for card in session.exec(select(Card).where(Card.verifier_id == user.id)):
        collection = session.get(Collection, card.collection_id)
        # An admin does not read a restricted collection unless listed: there only its owners take over.
        heir = heir_of(session, collection) if collection.restricted else \
            collection.default_verifier_id or (fallback.id if fallback else None)
        card.verifier_id = heir
        session.add(card)
        record(session, actor_id=actor.id, action="reassign", target_type="card", target_id=card.id,
               reason="verifier deactivated", from_user=user.id, to_user=heir)
        moved += 1
    for card in session.exec(select(Card).where(Card.assignee_id == user.id)):
        card.assignee_id = None
        session.add(card)
    record(session, actor_id=actor.id, action="deactivate", target_type="user", target_id=user.id, cards_moved=moved)
    session.commit()
    return moved


def set_digest(session: Session, *, user: User, digest: str) -> User:
    """How often reminders come: 'daily' or 'weekly'."""
    if digest not in ("daily", "weekly"):
        raise Invalid("digest is daily or weekly.", code="invalid_digest")
    begin_write(session)
    me = session.get(User, user.id)
    me.digest = digest
    session.add(me)
    session.commit()
    return me
