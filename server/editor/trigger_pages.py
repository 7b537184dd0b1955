"""Pinning a card from its page: the triggers that show it first in the sidebar."""

from __future__ import annotations

from litestar import Controller, Response, post
from litestar.params import FromPath

from server.dependencies import DbSession
from server.editor.card_pages import readable_card
from server.editor.forms import FormData, text
from server.editor.pages import redirect
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.triggers import service as triggers

class TriggerPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @post("/cards/{card_id:int}/triggers", sync_to_thread=True)
    def add(self, card_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        trigger = triggers.create_trigger(db_session, actor=viewer, card_id=card_id, kind=text(data, "kind"),
                                          pattern=text(data, "pattern"))
        return redirect(f"/cards/{card_id}#triggers", f"Pinned: the sidebar shows this card first {_where(trigger)}.")

    @post("/cards/{card_id:int}/triggers/{trigger_id:int}/delete", sync_to_thread=True)
    def remove(self, card_id: FromPath[int], trigger_id: FromPath[int], db_session: DbSession,
               viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        triggers.delete_trigger(db_session, actor=viewer, trigger_id=trigger_id)
        return redirect(f"/cards/{card_id}#triggers", "Trigger removed.")


def _where(trigger) -> str:
    return {"site": f"on {trigger.pattern}", "customer": f"for customer {trigger.pattern}",
            "domain": f"for mail from {trigger.pattern}", "words": f"when a conversation says “{trigger.pattern}”"
            }[trigger.kind]


ROUTES = [TriggerPages]
