"""Writing a card: the editor, its live preview and duplicate hints, and conflicts."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from sqlmodel import Session, select

from server.accounts.models import Group, User
from server.accounts.service import users_by_id
from server.cards import editing
from server.cards.diffing import card_text, diff_lines
from server.cards.models import INTERVALS, Card, Collection
from server.cards.service import MAX_BODY, readable_collection_ids, readable_collections
from server.dependencies import DbSession, Index
from server.editor.card_pages import readable_card
from server.editor.forms import FormData, tag_list, text
from server.editor.pages import fragment, page, redirect
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.http_errors import status_of
from server.markdown import render_markdown
from server.policies.access import Access, access_of
from server.policies.collections import can_create_in
from server.policies.cards import can_verify, save_keeps_verified
from server.search.duplicates import find_duplicates


def _choices(session: Session, access: Access, card: Card | None) -> dict:
    """What the form's lists offer: the collections the viewer may add cards to (and the
    card's own), so the picker never offers a move the save then refuses."""
    return {
        "collections": [c for c in readable_collections(session, access)
                        if can_create_in(access, c) or (card is not None and c.id == card.collection_id)],
        "users": list(session.exec(select(User).where(User.active == True).order_by(User.name))),  # noqa: E712
        "groups": list(session.exec(select(Group).order_by(Group.name))),
        "intervals": INTERVALS,
    }


def _draft(data: dict) -> dict:
    """What the user typed, to put back in the form whatever happens to the save."""
    return {"title": text(data, "title")[:1000], "body": text(data, "body")[:MAX_BODY + 1000],
            "tags": text(data, "tags")[:2000], "collection": text(data, "collection")[:100],
            "verifier": text(data, "verifier")[:30], "interval": text(data, "interval")[:10]}


def _card_draft(session: Session, card: Card) -> dict:
    collection = session.get(Collection, card.collection_id)
    verifier = f"group:{card.verifier_group_id}" if card.verifier_group_id else (
        f"user:{card.verifier_id}" if card.verifier_id else "")
    interval = "never" if card.interval_days is None else str(card.interval_days)
    return {"title": card.title, "body": card.body, "tags": ", ".join(card.tags), "collection": collection.slug,
            "verifier": verifier, "interval": interval}


def _editor(request: Request, session: Session, viewer: User, card: Card | None, draft: dict, *,
            error: str = "", conflict: dict | None = None, status_code: int = 200) -> Response:
    access = access_of(session, viewer)
    return page(request, session, viewer, "cards/editor.html", section="cards", card=card, draft=draft,
                error=error, conflict=conflict, status_code=status_code, preview=render_markdown(draft["body"]),
                may_manage=card is None or editing.may_manage(session, viewer, card),
                verifies=card is not None and save_keeps_verified(access, card),
                may_verify=card is not None and can_verify(access, card), **_choices(session, access, card))


class EditorPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/cards/new", sync_to_thread=True)
    def new(self, request: Request, db_session: DbSession, viewer: Viewer, title: FromQuery[str] = "",
            collection: FromQuery[str] = "") -> Response:
        draft = {"title": " ".join(title.split())[:300], "body": "", "tags": "", "collection": collection[:100],
                 "verifier": "", "interval": "default"}
        return _editor(request, db_session, viewer, None, draft)

    @post("/cards", sync_to_thread=True)
    def create(self, request: Request, data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        draft = _draft(data)
        try:
            card = editing.create_from_editor(
                db_session, actor=viewer, collection_slug=draft["collection"], title=draft["title"],
                body=draft["body"], tags=tag_list(draft["tags"]), verifier=editing.Verifier.parse(draft["verifier"]),
                interval=editing.parse_interval(draft["interval"]))
        except (Invalid, Forbidden, NotFound) as refused:
            db_session.rollback()
            return _editor(request, db_session, viewer, None, draft, error=refused.message, status_code=status_of(refused))
        state = "verified" if card.status == "verified" else "waiting for its verifier"
        return redirect(f"/cards/{card.id}?saved=new", f"Card created ({state}).")

    @get("/cards/{card_id:int}/edit", sync_to_thread=True)
    def edit(self, request: Request, card_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        card = readable_card(db_session, viewer, card_id)
        return _editor(request, db_session, viewer, card, _card_draft(db_session, card))

    @post("/cards/{card_id:int}/edit", sync_to_thread=True)
    def save(self, request: Request, card_id: FromPath[int], data: FormData, db_session: DbSession,
             viewer: Viewer) -> Response:
        card = readable_card(db_session, viewer, card_id)
        draft = _draft(data)
        version = text(data, "version")
        try:
            if not version.isdigit() or len(version) > 12:
                raise Invalid("The form lost the version it started from; reload the card and edit again.")
            card = editing.save_from_editor(
                db_session, actor=viewer, card_id=card.id, expected_version=int(version), title=draft["title"],
                body=draft["body"], tags=tag_list(draft["tags"]), collection_slug=draft["collection"],
                verifier=editing.Verifier.parse(draft["verifier"]), interval=editing.parse_interval(draft["interval"]),
                verify=text(data, "action") == "save_verify")
        except Conflict as conflict:
            db_session.rollback()
            return _conflict(request, db_session, viewer, conflict.detail["current"], draft)
        except (Invalid, Forbidden, NotFound) as refused:
            db_session.rollback()
            return _editor(request, db_session, viewer, card, draft, error=refused.message, status_code=status_of(refused))
        state = "verified" if card.status == "verified" else "waiting for its verifier to verify it"
        return redirect(f"/cards/{card.id}?saved={card.id}", f"Saved: version {card.version}, {state}.")

    @post("/cards/preview", sync_to_thread=True)
    def preview(self, data: FormData, viewer: Viewer) -> Response:
        """For the editor's signed-in writer only (asking for the viewer is what checks it)."""
        return fragment("cards/_preview.html", html=render_markdown(text(data, "body")[:MAX_BODY]))

    @get("/cards/duplicates", sync_to_thread=True)
    def duplicates(self, db_session: DbSession, index: Index, viewer: Viewer, title: FromQuery[str] = "",
                   card_id: FromQuery[str] = "") -> Response:
        exclude = int(card_id) if card_id.isdigit() and len(card_id) < 12 else None
        found = find_duplicates(index, title=title[:300], body="", exclude_card_id=exclude,
                                readable=readable_collection_ids(db_session, viewer)) if len(title.strip()) >= 4 else []
        return fragment("cards/_duplicates.html", found=found)


def _conflict(request: Request, session: Session, viewer: User, current: Card, draft: dict) -> Response:
    """Someone saved first: show their version beside the user's, and keep the user's text in
    the form, now based on the newer version, so saving again is a knowing choice."""
    session.refresh(current)
    author = users_by_id(session, [current.updated_by_id]).get(current.updated_by_id)
    theirs = card_text(current.title, current.body, current.tags)
    yours = card_text(draft["title"], draft["body"], tag_list(draft["tags"]))
    conflict = {"card": current, "author": author, "html": render_markdown(current.body),
                "diff": diff_lines(theirs, yours, context=None)}
    return _editor(request, session, viewer, current, draft, conflict=conflict, status_code=409)


ROUTES = [EditorPages]
