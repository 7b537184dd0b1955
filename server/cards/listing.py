"""The card list: filters and sorting over the database, or over search results when the
user typed something. Only collections the viewer may read; archived cards only on request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, or_, select

from server.accounts.models import User
from server.cards.models import Card
from server.cards.service import readable_collection, readable_collection_ids
from server.clock import now
from server.search import service as search
from server.search.index import SearchIndex

STATUSES = ("verified", "unverified", "needs_verification", "archived")
DUE = ("overdue", "week", "month")
SORTS = {"updated": (Card.updated_at.desc(),), "title": (func.lower(Card.title),),
         "due": (Card.verify_due_at.is_(None), Card.verify_due_at), "verified": (Card.verified_at.desc(),)}
PAGE_SIZE = 50


@dataclass(frozen=True)
class CardQuery:
    text: str = ""
    collection: str = ""
    tag: str = ""
    status: str = ""
    verifier_id: int | None = None
    due: str = ""
    sort: str = "updated"
    page: int = 1


@dataclass
class CardPage:
    cards: list[Card]
    snippets: dict[int, str]
    total: int
    page: int
    pages: int


def _due_before(due: str):
    moment = now()
    return {"overdue": moment, "week": moment + timedelta(days=7), "month": moment + timedelta(days=30)}.get(due)


def _narrow(statement, query: CardQuery, collection_id: int | None):
    if collection_id is not None:
        statement = statement.where(Card.collection_id == collection_id)
    if query.verifier_id:
        statement = statement.where(Card.verifier_id == query.verifier_id)
    if query.status == "archived":
        statement = statement.where(Card.status == "archived")
    else:
        statement = statement.where(Card.status != "archived")
        if query.status in ("verified", "unverified"):
            statement = statement.where(Card.status == query.status)
        elif query.status == "needs_verification":
            statement = statement.where(or_(Card.status == "unverified", Card.verify_due_at <= now()))
    if query.due in DUE:
        statement = statement.where(Card.status == "verified", Card.verify_due_at <= _due_before(query.due))
    return statement


def list_cards(session: Session, index: SearchIndex, *, viewer: User, query: CardQuery) -> CardPage:
    readable = readable_collection_ids(session, viewer)
    collection_id = readable_collection(session, viewer, query.collection).id if query.collection else None
    page = max(1, query.page)
    if query.text.strip():
        return _searched(session, index, readable, query, collection_id)
    statement = _narrow(select(Card).where(Card.collection_id.in_(readable)), query, collection_id)
    cards = list(session.exec(statement.order_by(*SORTS.get(query.sort, SORTS["updated"]), Card.id)))
    if query.tag:
        cards = [c for c in cards if query.tag.strip().lower() in c.tags]  # tags live in a JSON column
    pages = max(1, -(-len(cards) // PAGE_SIZE))
    return CardPage(cards[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], {}, len(cards), min(page, pages), pages)


def _searched(session: Session, index: SearchIndex, readable: list[int], query: CardQuery,
              collection_id: int | None) -> CardPage:
    """Best match first; the database has the last word on status and due dates."""
    status = query.status if query.status in ("verified", "unverified") else None
    hits, _ = search.search(index, text=query.text, readable=readable, limit=search.MAX_LIMIT,
                            filters=search.Filters(collection_id=collection_id, tag=query.tag or None,
                                                   verifier_id=query.verifier_id, status=status))
    wanted = {c.id for c in session.exec(_narrow(select(Card).where(Card.id.in_([h.card_id for h in hits])),
                                                  query, collection_id))}
    chosen = [h for h in hits if h.card_id in wanted][:PAGE_SIZE]
    cards = {c.id: c for c in session.exec(select(Card).where(Card.id.in_([h.card_id for h in chosen])))}
    ordered = [cards[h.card_id] for h in chosen if h.card_id in cards]
    return CardPage(ordered, {h.card_id: h.snippet for h in chosen}, len(wanted), 1, 1)


def all_tags(session: Session, readable: list[int]) -> list[str]:
    tags: set[str] = set()
    for card_tags in session.exec(select(Card.tags).where(Card.collection_id.in_(readable), Card.status != "archived")):
        tags.update(card_tags)
    return sorted(tags)
