"""The verification queue and the flags page."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from server.accounts.service import users_by_id
from server.cards.models import Card
from server.cards.service import collections_by_id
from server.dependencies import DbSession
from server.editor.forms import FormData, checked, number, text
from server.editor.pages import page, redirect
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.verification import flags, queue, snooze

REASONS = {"overdue": "Overdue", "due_soon": "Due soon", "edited": "Edited since verified", "flagged": "Flagged"}


class QueuePages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/queue", sync_to_thread=True)
    def my_queue(self, request: Request, db_session: DbSession, viewer: Viewer,
                 sort: FromQuery[Literal["waiting", "usage"]] = "waiting") -> Response:
        items = queue.queue_for(db_session, viewer, sort=sort)
        collections = collections_by_id(db_session, {i.card.collection_id for i in items})
        return page(request, db_session, viewer, "queue/queue.html", section="queue", items=items, sort=sort,
                    collections=collections, reasons=REASONS, facts=queue.facts_due(db_session, viewer),
                    snooze_days=snooze.SNOOZE_DAYS)

    @post("/queue/{card_id:int}/snooze", sync_to_thread=True)
    def snooze_card(self, card_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        found = snooze.snooze_card(db_session, actor=viewer, card_id=card_id, days=number(data, "days") or 0)
        return redirect("/queue", f"Snoozed until {found.until:%-d %b %Y}.")

    @get("/flags", sync_to_thread=True)
    def flags_page(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        mine = [item.card.id for item in queue.queue_for(db_session, viewer) if "flagged" in item.reasons]
        to_resolve = [f for found in flags.open_flags_on(db_session, mine).values() for f in found]
        raised = flags.flags_raised_by(db_session, viewer)
        cards = {c.id: c for c in (db_session.get(Card, i) for i in {f.card_id for f in to_resolve + raised}) if c}
        people = users_by_id(db_session, [f.raised_by_id for f in to_resolve + raised] +
                             [f.resolved_by_id for f in raised])
        return page(request, db_session, viewer, "queue/flags.html", section="flags", to_resolve=to_resolve,
                    raised=raised, cards=cards, people=people,
                    notifications=flags.notifications_for(db_session, viewer, unread_only=True))

    @post("/flags/{flag_id:int}/resolve", sync_to_thread=True)
    def resolve(self, flag_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        flags.resolve_flag(db_session, actor=viewer, flag_id=flag_id, resolution=text(data, "resolution"),
                           fixed=checked(data, "fixed"))
        return redirect("/flags", "Flag resolved; whoever raised it has been told.")

    @post("/notifications/{notification_id:int}/read", sync_to_thread=True)
    def dismiss(self, notification_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        flags.mark_read(db_session, user=viewer, notification_id=notification_id)
        return redirect("/flags")


ROUTES = [QueuePages]
