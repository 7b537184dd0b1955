"""Who verifies: reassigning a card's verifier, and whose turn it is in a group."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from server.accounts.models import Group, GroupMember, User
from server.audit.service import record
from server.cards.handover import check_verifier_reads
from server.cards.models import Card, Collection
from server.cards.service import check_interval, readable_card
from server.db import begin_write
from server.errors import Forbidden, Invalid, NotFound
from server.policies.access import access_of
from server.policies.cards import can_manage, can_take


def turn_of(card: Card, members: list[int]) -> int | None:
    """A group's cards go to its members in rotation (by card), unless someone took one."""
    if card.assignee_id in members:
        return card.assignee_id
    return members[card.id % len(members)] if members else None


def take_card(session: Session, *, actor: User, card_id: int) -> Card:
    """Anyone in the card's verifier group may take it from the rotation."""
    begin_write(session)
    card = readable_card(session, actor, card_id)
    if card.assignee_id != actor.id and not can_take(access_of(session, actor), card):
        raise Forbidden("Only members of the card's verifier group can take it.")
    card.assignee_id = actor.id
    session.add(card)
    record(session, actor_id=actor.id, action="take", target_type="card", target_id=card.id)
    session.commit()
    return card


def reassign_verifier(session: Session, *, actor: User, card_id: int, user_id: int | None = None,
                      group_id: int | None = None, keep_verified_date: bool = True) -> Card:
    """Give the card another expert. By default it keeps its verified date: the answer did
    not change, only who answers for it."""
    if (user_id is None) == (group_id is None):
        raise Invalid("Name either a user or a group as the verifier.", code="invalid_verifier")
    begin_write(session)
    access = access_of(session, actor)
    card = readable_card(session, access, card_id)
    if not can_manage(access, card):
        raise Forbidden("Only an admin, the collection's owner or the card's verifier can reassign it.")
    user = session.get(User, user_id) if user_id is not None else None
    group = session.get(Group, group_id) if group_id is not None else None
    if user_id is not None and (user is None or not user.active):
        raise NotFound(f"There is no active user {user_id}.")
    if group_id is not None and group is None:
        raise NotFound(f"There is no group {group_id}.")
    check_verifier_reads(session, session.get(Collection, card.collection_id), user=user, group=group)
    before = {"user": card.verifier_id, "group": card.verifier_group_id}
    card.verifier_id, card.verifier_group_id, card.assignee_id = user_id, group_id, None
    if not keep_verified_date and card.status == "verified":
        card.status = "unverified"
    session.add(card)
    record(session, actor_id=actor.id, action="reassign", target_type="card", target_id=card.id, before=before,
           after={"user": user_id, "group": group_id}, kept_verified_date=keep_verified_date)
    session.commit()
    return card


def members_of_groups(session: Session, group_ids) -> dict[int, list[int]]:
    """Each group's active members' ids, in id order (the rotation's order), in one query:
    the queue and its badge, on every page, asked once per group of the viewer."""
    members: dict[int, list[int]] = {group_id: [] for group_id in group_ids}
    if not members:
        return members
    rows = session.exec(select(GroupMember.group_id, GroupMember.user_id).join(User, User.id == GroupMember.user_id)
                        .where(GroupMember.group_id.in_(list(members)), User.active == True)  # noqa: E712
                        .order_by(GroupMember.group_id, GroupMember.user_id))
    for group_id, user_id in rows:
        members[group_id].append(user_id)
    return members


def set_interval(session: Session, *, actor: User, card_id: int, interval_days: int | None) -> Card:
    """How often the card is due again (7 … 365 days, or never); the due date follows."""
    check_interval(interval_days)
    begin_write(session)
    access = access_of(session, actor)
    card = readable_card(session, access, card_id)
    if not can_manage(access, card):
        raise Forbidden("Only an admin, the collection's owner or the card's verifier sets its interval.")
    card.interval_days = interval_days
    card.verify_due_at = card.verified_at + timedelta(days=interval_days) if card.verified_at and interval_days else None
    session.add(card)
    record(session, actor_id=actor.id, action="interval", target_type="card", target_id=card.id,
           interval_days=interval_days)
    session.commit()
    return card
