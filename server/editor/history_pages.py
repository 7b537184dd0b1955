"""A card's history: revisions, diffs between any two, restore."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from server.accounts.service import users_by_id
from server.cards.diffing import card_text, diff_lines
from server.cards.restore import get_revision, restore_revision
from server.cards.service import list_revisions
from server.dependencies import DbSession
from server.editor.card_pages import readable_card
from server.editor.forms import FormData, number
from server.editor.pages import page, redirect
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.errors import Invalid
from server.verification.changes import changes_since_verified

ORIGINS = {"editor": "web editor", "sidebar": "sidebar", "import": "import", "api": "API"}


class HistoryPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/cards/{card_id:int}/history", sync_to_thread=True)
    def history(self, request: Request, card_id: FromPath[int], db_session: DbSession, viewer: Viewer,
                a: FromQuery[int | None] = None, b: FromQuery[int | None] = None) -> Response:
        card = readable_card(db_session, viewer, card_id)
        revisions = list_revisions(db_session, viewer, card.id)
        newer = b if b is not None else card.version
        older = a if a is not None else max(1, newer - 1)
        older, newer = min(older, newer), max(older, newer)
        left, right = get_revision(db_session, viewer, card.id, older), get_revision(db_session, viewer, card.id, newer)
        diff = diff_lines(card_text(left.title, left.body, left.tags), card_text(right.title, right.body, right.tags))
        return page(request, db_session, viewer, "cards/history.html", section="cards", card=card,
                    revisions=revisions, people=users_by_id(db_session, [r.author_id for r in revisions]),
                    origins=ORIGINS, older=older, newer=newer, diff=diff)

    @get("/cards/{card_id:int}/changes", sync_to_thread=True)
    def changes(self, request: Request, card_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        """What changed since the card was last verified: the history page, set to that diff."""
        card = readable_card(db_session, viewer, card_id)
        since = changes_since_verified(db_session, viewer, card.id)["verified_version"] or 1
        return redirect(f"/cards/{card.id}/history?a={since}&b={card.version}")

    @post("/cards/{card_id:int}/restore", sync_to_thread=True)
    def restore(self, card_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        readable_card(db_session, viewer, card_id)
        version, current = number(data, "version"), number(data, "current")
        if version is None or current is None:
            raise Invalid("Choose a version to restore.")
        card = restore_revision(db_session, actor=viewer, card_id=card_id, version=version, expected_version=current)
        state = "verified" if card.status == "verified" else "waiting for its verifier"
        return redirect(f"/cards/{card.id}/history", f"Version {version} restored as version {card.version} ({state}).")


ROUTES = [HistoryPages]
