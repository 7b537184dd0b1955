"""What a user does to a card from its page or the queue: verify, unverify, flag, ask its
expert, take it from the group's rotation. Each posts a form and comes back with a message."""

from __future__ import annotations

from litestar import Controller, Response, post
from litestar.params import FromPath

from server.cards import archive
from server.cards import service as cards
from server.dependencies import DbSession
from server.editor.card_pages import readable_card
from server.editor.forms import FormData, text
from server.editor.pages import redirect
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer, safe_next
from server.verification import assignment, flags, requests


def _back(data: dict, card_id: int) -> str:
    return safe_next(text(data, "back")) if text(data, "back") else f"/cards/{card_id}"


class CardActions(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @post("/cards/{card_id:int}/verify", sync_to_thread=True)
    def verify(self, card_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        card = cards.verify_card(db_session, actor=viewer, card_id=card_id)
        due = f" It is due again on {card.verify_due_at:%-d %b %Y}." if card.verify_due_at else ""
        return redirect(_back(data, card_id), f"“{card.title}” is verified.{due}")

    @post("/cards/{card_id:int}/unverify", sync_to_thread=True)
    def unverify(self, card_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        card = cards.unverify_card(db_session, actor=viewer, card_id=card_id, reason=text(data, "reason"))
        return redirect(_back(data, card_id), f"“{card.title}” is marked unverified; its verifier will see it.")

    @post("/cards/{card_id:int}/flag", sync_to_thread=True)
    def flag(self, card_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        flags.raise_flag(db_session, actor=viewer, card_id=card_id, kind=text(data, "kind"),
                         reason=text(data, "reason"))
        return redirect(_back(data, card_id), "Thanks: the card's verifier will see your flag.")

    @post("/cards/{card_id:int}/request-verification", sync_to_thread=True)
    def ask(self, card_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        told = requests.request_verification(db_session, actor=viewer, card_id=card_id, note=text(data, "note"))
        return redirect(_back(data, card_id), f"Asked {told} {'person' if told == 1 else 'people'} to verify it.")

    @post("/cards/{card_id:int}/take", sync_to_thread=True)
    def take(self, card_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        assignment.take_card(db_session, actor=viewer, card_id=card_id)
        return redirect(_back(data, card_id), "You verify this card now.")

    @post("/cards/{card_id:int}/archive", sync_to_thread=True)
    def archive(self, card_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        card = archive.archive_card(db_session, actor=viewer, card_id=card_id)
        return redirect(f"/cards/{card_id}", f"“{card.title}” is archived: out of search and suggestions, "
                                             "with its history kept.")

    @post("/cards/{card_id:int}/unarchive", sync_to_thread=True)
    def unarchive(self, card_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        card = archive.unarchive_card(db_session, actor=viewer, card_id=card_id)
        return redirect(f"/cards/{card_id}", f"“{card.title}” is back, waiting for its verifier.")


ROUTES = [CardActions]
