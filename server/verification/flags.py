"""Flags: anyone says a card is wrong, unclear or outdated; its verifier resolves the flag,
and whoever raised it is told how (closing the loop)."""

from __future__ import annotations

from sqlmodel import Session, or_, select

from server.accounts.models import User
from server.audit.service import record
from server.cards.models import Card
from server.cards.service import readable_card
from server.clock import now
from server.db import begin_write
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.policies.access import access_of
from server.policies.cards import can_verify, may_read
from server.verification.models import FLAG_KINDS, Flag, Notification

MAX_REASON = 2000


def _reason(text: str, what: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise Invalid(f"Say {what}: it is what the expert acts on.", code="reason_required")
    if len(text) > MAX_REASON:
        raise Invalid(f"At most {MAX_REASON} characters.", code="reason_too_long")
    return text


def raise_flag(session: Session, *, actor: User, card_id: int, kind: str, reason: str) -> Flag:
    if kind not in FLAG_KINDS:
        raise Invalid(f"kind must be one of {', '.join(FLAG_KINDS)}.", code="invalid_flag")
    reason = _reason(reason, "what is wrong")
    begin_write(session)
    card = readable_card(session, actor, card_id)
    flag = Flag(card_id=card.id, raised_by_id=actor.id, kind=kind, reason=reason)
    session.add(flag)
    session.flush()
    record(session, actor_id=actor.id, action="flag", target_type="card", target_id=card.id, flag_id=flag.id,
           kind=kind, reason=reason)
    session.commit()
    return flag


def resolve_flag(session: Session, *, actor: User, flag_id: int, resolution: str, fixed: bool) -> Flag:
    resolution = _reason(resolution, "how it was resolved")
    begin_write(session)
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise NotFound(f"There is no flag {flag_id}.")
    card = session.get(Card, flag.card_id)
    access = access_of(session, actor)
    if not may_read(access, card):
        raise NotFound(f"There is no flag {flag_id}.")
    if not can_verify(access, card):
        raise Forbidden("Only the card's verifier (or an admin) resolves its flags.")
    if flag.status == "resolved":
        raise Conflict("This flag is resolved already.", code="flag_resolved")
    flag.status, flag.resolution, flag.fixed = "resolved", resolution, fixed
    flag.resolved_by_id, flag.resolved_at = actor.id, now()
    session.add(flag)
    outcome = "fixed it" if fixed else "did not change it"
    session.add(Notification(user_id=flag.raised_by_id, card_id=card.id,
                             text=f"{actor.name} {outcome} after your flag on “{card.title}”: {resolution}"))
    record(session, actor_id=actor.id, action="resolve", target_type="card", target_id=card.id, flag_id=flag.id,
           fixed=fixed, resolution=resolution)
    session.commit()
    return flag


def open_flags_on(session: Session, card_ids) -> dict[int, list[Flag]]:
    ids = set(card_ids)
    if not ids:
        return {}
    found: dict[int, list[Flag]] = {}
    for flag in session.exec(select(Flag).where(Flag.card_id.in_(ids), Flag.status == "open").order_by(Flag.id)):
        found.setdefault(flag.card_id, []).append(flag)
    return found


def flags_raised_by(session: Session, user: User) -> list[Flag]:
    """The flags I raised on cards I may still read."""
    readable = select(Card.id).where(Card.collection_id.in_(access_of(session, user).readable))
    return list(session.exec(select(Flag).where(Flag.raised_by_id == user.id, Flag.card_id.in_(readable))
                             .order_by(Flag.id.desc())))


def notifications_for(session: Session, user: User, *, unread_only: bool = False) -> list[Notification]:
    """Mine, leaving out those about a card I may no longer read."""
    unread = select(Card.id).where(Card.collection_id.not_in(access_of(session, user).readable))
    query = select(Notification).where(Notification.user_id == user.id,
                                       or_(Notification.card_id.is_(None), Notification.card_id.not_in(unread)))
    if unread_only:
        query = query.where(Notification.read_at == None)  # noqa: E711
    return list(session.exec(query.order_by(Notification.id.desc()).limit(100)))


def mark_read(session: Session, *, user: User, notification_id: int) -> None:
    begin_write(session)
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound(f"There is no notification {notification_id} of yours.")
    note.read_at = note.read_at or now()
    session.add(note)
    session.commit()
