"""Verification endpoints: unverify, request, flags, the queue, notifications."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody, Parameter
from sqlmodel import Field, Session, SQLModel

from server.accounts.service import users_by_id
from server.cards import service as cards
from server.cards.presenters import collection_summary, present_card
from server.cards.models import Collection
from server.cards.service import needs_verification
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession
from server.presenting import timestamp, user_summary
from server.verification import assignment, flags, queue, requests, snooze
from server.verification.changes import changes_since_verified


class Reason(SQLModel):
    reason: str = Field(max_length=2000)


class Request(SQLModel):
    note: str = Field(default="", max_length=500)


class FlagCreate(SQLModel):
    kind: Literal["wrong", "unclear", "outdated"]
    reason: str = Field(max_length=2000)


class Resolution(SQLModel):
    resolution: str = Field(max_length=2000)
    fixed: bool


class SnoozeFor(SQLModel):
    days: int


class IntervalChange(SQLModel):
    interval_days: int | None


class VerifierChange(SQLModel):
    user_id: int | None = Field(default=None, ge=1)
    group_id: int | None = Field(default=None, ge=1)
    keep_verified_date: bool = True


def present_flags(session: Session, found) -> list[dict]:
    people = users_by_id(session, [f.raised_by_id for f in found] + [f.resolved_by_id for f in found])
    return [{"id": f.id, "card_id": f.card_id, "kind": f.kind, "reason": f.reason, "status": f.status,
             "raised_by": user_summary(people.get(f.raised_by_id)), "created_at": timestamp(f.created_at),
             "resolution": f.resolution, "fixed": f.fixed, "resolved_by": user_summary(people.get(f.resolved_by_id)),
             "resolved_at": timestamp(f.resolved_at)} for f in found]


def present_item(session: Session, item) -> dict:
    card = item.card
    return {"id": card.id, "title": card.title, "status": card.status, "needs_verification": needs_verification(card),
            "collection": collection_summary(session.get(Collection, card.collection_id)),
            "reasons": item.reasons, "waiting_since": timestamp(item.waiting_since),
            "verify_due_at": timestamp(card.verify_due_at), "uses": item.uses}


class VerificationController(Controller):
    path = "/api"
    dependencies = AUTHENTICATED
    tags = ["verification"]

    @post("/cards/{card_id:int}/unverify", sync_to_thread=True, status_code=200)
    def unverify(self, card_id: FromPath[int], data: JSONBody[Reason], db_session: DbSession,
                 user: CurrentUser) -> dict:
        return present_card(db_session, cards.unverify_card(db_session, actor=user, card_id=card_id,
                                                            reason=data.reason), user)

    @post("/cards/{card_id:int}/request-verification", sync_to_thread=True, status_code=200)
    def ask_to_verify(self, card_id: FromPath[int], data: JSONBody[Request], db_session: DbSession,
                user: CurrentUser) -> dict:
        return {"told": requests.request_verification(db_session, actor=user, card_id=card_id, note=data.note)}

    @post("/cards/{card_id:int}/flags", sync_to_thread=True, status_code=201)
    def flag(self, card_id: FromPath[int], data: JSONBody[FlagCreate], db_session: DbSession,
             user: CurrentUser) -> dict:
        found = flags.raise_flag(db_session, actor=user, card_id=card_id, kind=data.kind, reason=data.reason)
        return present_flags(db_session, [found])[0]

    @get("/flags", sync_to_thread=True)
    def list_flags(self, db_session: DbSession, user: CurrentUser,
                   whose: Literal["mine", "raised"] = Parameter(default="mine")) -> list[dict]:
        if whose == "raised":
            return present_flags(db_session, flags.flags_raised_by(db_session, user))
        mine = [item.card.id for item in queue.queue_for(db_session, user) if "flagged" in item.reasons]
        return present_flags(db_session, [f for found in flags.open_flags_on(db_session, mine).values() for f in found])

    @post("/flags/{flag_id:int}/resolve", sync_to_thread=True, status_code=200)
    def resolve(self, flag_id: FromPath[int], data: JSONBody[Resolution], db_session: DbSession,
                user: CurrentUser) -> dict:
        found = flags.resolve_flag(db_session, actor=user, flag_id=flag_id, resolution=data.resolution,
                                   fixed=data.fixed)
        return present_flags(db_session, [found])[0]

    @get("/queue", sync_to_thread=True)
    def my_queue(self, db_session: DbSession, user: CurrentUser,
                 sort: Literal["waiting", "usage"] = Parameter(default="waiting")) -> dict:
        items = queue.queue_for(db_session, user, sort=sort)
        return {"count": sum(1 for i in items if set(i.reasons) & set(queue.ACTIONABLE)),
                "items": [present_item(db_session, i) for i in items],
                "facts": [{"id": f.id, "customer_id": f.customer_id, "text": f.text, "remind_at": timestamp(f.remind_at)}
                          for f in queue.facts_due(db_session, user)]}

    @post("/cards/{card_id:int}/snooze", sync_to_thread=True, status_code=200)
    def snooze(self, card_id: FromPath[int], data: JSONBody[SnoozeFor], db_session: DbSession,
               user: CurrentUser) -> dict:
        found = snooze.snooze_card(db_session, actor=user, card_id=card_id, days=data.days)
        return {"card_id": card_id, "until": timestamp(found.until)}

    @post("/cards/{card_id:int}/take", sync_to_thread=True, status_code=200)
    def take(self, card_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> dict:
        return present_card(db_session, assignment.take_card(db_session, actor=user, card_id=card_id), user)

    @put("/cards/{card_id:int}/verifier", sync_to_thread=True)
    def reassign(self, card_id: FromPath[int], data: JSONBody[VerifierChange], db_session: DbSession,
                 user: CurrentUser) -> dict:
        card = assignment.reassign_verifier(db_session, actor=user, card_id=card_id, user_id=data.user_id,
                                            group_id=data.group_id, keep_verified_date=data.keep_verified_date)
        return present_card(db_session, card, user)

    @put("/cards/{card_id:int}/interval", sync_to_thread=True)
    def interval(self, card_id: FromPath[int], data: JSONBody[IntervalChange], db_session: DbSession,
                 user: CurrentUser) -> dict:
        card = assignment.set_interval(db_session, actor=user, card_id=card_id, interval_days=data.interval_days)
        return present_card(db_session, card, user)

    @get("/cards/{card_id:int}/changes", sync_to_thread=True)
    def changes(self, card_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> dict:
        return changes_since_verified(db_session, user, card_id)

    @get("/notifications", sync_to_thread=True)
    def notifications(self, db_session: DbSession, user: CurrentUser,
                      unread: bool = Parameter(default=False)) -> list[dict]:
        return [{"id": n.id, "text": n.text, "card_id": n.card_id, "read": n.read_at is not None,
                 "created_at": timestamp(n.created_at)}
                for n in flags.notifications_for(db_session, user, unread_only=unread)]

    @post("/notifications/{notification_id:int}/read", sync_to_thread=True, status_code=204)
    def read(self, notification_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> None:
        flags.mark_read(db_session, user=user, notification_id=notification_id)
