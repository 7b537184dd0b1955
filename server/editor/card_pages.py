"""The card list and a card's page, with the actions this user may take."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery

from server.accounts.models import Group, User
from server.accounts.service import users_by_id
from server.analytics.service import record_search, record_use
from server.cards import listing
from server.cards.models import Card, Collection, CardRevision
from server.cards.service import readable_card, readable_collection_ids, readable_collections
from server.dependencies import DbSession, Index
from server.editor.pages import fragment, page
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.markdown import render_markdown
from server.policies.access import access_of
from server.policies.cards import can
from server.policies.collections import can_manage_access, can_pin
from server.triggers.service import list_triggers
from server.verification.changes import changes_since_verified
from server.verification.flags import FLAG_KINDS, open_flags_on
from sqlmodel import Session, func, select

SORT_LABELS = {"updated": "Recently updated", "title": "Title", "due": "Due first", "verified": "Recently verified"}
STATUS_LABELS = {"": "Any status", "verified": "Verified", "unverified": "Unverified",
                 "needs_verification": "Needs verification", "archived": "Archived"}
KIND_LABELS = {"site": "On a site or page (URL pattern)", "customer": "For a customer (their id)",
               "domain": "For an email domain", "words": "When the conversation has these words"}
DUE_LABELS = {"": "Any time", "overdue": "Overdue", "week": "Due within 7 days", "month": "Due within 30 days"}


def list_choices(session: Session, viewer: User) -> dict:
    return {
        "collections": readable_collections(session, viewer),
        "verifiers": list(session.exec(select(User).where(User.active == True).order_by(User.name))),  # noqa: E712
        "tags": listing.all_tags(session, readable_collection_ids(session, viewer)),
    }


class CardPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/cards", sync_to_thread=True)
    def card_list(self, request: Request, db_session: DbSession, index: Index, viewer: Viewer,
                  q: FromQuery[str] = "", collection: FromQuery[str] = "", tag: FromQuery[str] = "",
                  status: FromQuery[str] = "", verifier: FromQuery[str] = "", due: FromQuery[str] = "",
                  sort: FromQuery[str] = "updated", page_number: FromQuery[int] = 1) -> Response:
        query = listing.CardQuery(text=q[:500], collection=collection[:100], tag=tag[:50],
                                  status=status if status in STATUS_LABELS else "",
                                  verifier_id=int(verifier) if verifier.isdigit() and len(verifier) < 10 else None,
                                  due=due if due in DUE_LABELS else "", sort=sort if sort in SORT_LABELS else "updated",
                                  page=max(1, min(page_number, 10_000)))
        found = listing.list_cards(db_session, index, viewer=viewer, query=query)
        if query.text.strip():
            record_search(db_session, user=viewer, query=query.text, source="editor", result_count=found.total,
                          hit_collections=[c.collection_id for c in found.cards])
        context = {"found": found, "query": query, "collections_by_id": _collections(db_session, found.cards)}
        if request.headers.get("hx-target") == "card-results":
            return fragment("cards/_results.html", **context)
        return page(request, db_session, viewer, "cards/list.html", section="cards", **context,
                    sort_labels=SORT_LABELS, status_labels=STATUS_LABELS, due_labels=DUE_LABELS,
                    **list_choices(db_session, viewer))

    @get("/cards/{card_id:int}", sync_to_thread=True)
    def card_page(self, request: Request, card_id: FromPath[int], db_session: DbSession, viewer: Viewer,
                  saved: FromQuery[str] = "") -> Response:
        card = readable_card(db_session, viewer, card_id)
        record_use(db_session, user=viewer, card_id=card.id, action="opened")
        access = access_of(db_session, viewer)
        people = users_by_id(db_session, [card.verifier_id, card.verified_by_id, card.updated_by_id,
                                          card.created_by_id, card.assignee_id])
        changes = changes_since_verified(db_session, viewer, card.id) if card.status == "unverified" else None
        flags = open_flags_on(db_session, [card.id]).get(card.id, [])
        collection = db_session.get(Collection, card.collection_id)
        return page(request, db_session, viewer, "cards/card.html", section="cards", card=card,
                    html=render_markdown(card.body), people=people,
                    flag_people=users_by_id(db_session, [f.raised_by_id for f in flags]),
                    collection=collection,
                    group=db_session.get(Group, card.verifier_group_id) if card.verifier_group_id else None,
                    changes=changes, flags=flags, flag_kinds=FLAG_KINDS,
                    revisions=_revision_count(db_session, card.id),
                    triggers=list_triggers(db_session, readable=access.readable,
                                           card_id=card.id),
                    trigger_kinds=KIND_LABELS, may_pin=can_pin(access, collection),
                    may_manage_access=can_manage_access(access, collection),
                    saved_draft="new" if saved == "new" else (f"card-{card.id}" if saved else ""),
                    can=can(access, card))


def _collections(session: Session, cards: list[Card]) -> dict[int, Collection]:
    ids = {c.collection_id for c in cards}
    return {c.id: c for c in session.exec(select(Collection).where(Collection.id.in_(ids)))} if ids else {}


def _revision_count(session: Session, card_id: int) -> int:
    return session.exec(select(func.count()).select_from(CardRevision).where(CardRevision.card_id == card_id)).one()


ROUTES = [CardPages]
