"""Recording searches and card use, and the reports made from them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import bindparam, case, insert, update
from sqlmodel import Session, func, select

from server.accounts.models import User
from server.analytics.models import ACTIONS, SOURCES, CardUse, SearchEvent
from server.cards.models import Card, Collection
from server.cards.service import readable_card
from server.clock import now
from server.db import begin_write, rows
from server.errors import Invalid, NotFound
from server.facts.models import Customer
from server.facts.service import readable_among
from server.spreadsheet import BOM, csv_text

TYPING_WINDOW = timedelta(seconds=15)


def normalize(query: str) -> str:
    return " ".join(query.split()).casefold()[:500]


def _storable(text: str) -> str:
    return text.replace("\x00", "")  # PostgreSQL text cannot hold NUL


# Built once, run with parameters: every search records itself, and building these
# statements cost more than SQLite running them.
_LAST_SEARCH = (select(SearchEvent.id, SearchEvent.normalized, SearchEvent.created_at)
                .where(SearchEvent.user_id == bindparam("user"), SearchEvent.source == bindparam("from_source"))
                .order_by(SearchEvent.id.desc()).limit(1))
_REPLACE_SEARCH = update(SearchEvent).where(SearchEvent.id == bindparam("event"))
_ADD_SEARCH = insert(SearchEvent).returning(SearchEvent.id)


def collection_marks(collection_ids: Iterable[int]) -> str:
    """",3,7,": how a search event keeps the collections of what it found."""
    marks = ",".join(str(i) for i in sorted(set(collection_ids)))
    return f",{marks}," if marks and len(marks) < 498 else ("" if not marks else ",*,")


def _short(text: str | None, limit: int) -> str | None:
    """A conversation key or host as kept: no NUL, at most `limit` characters, '' is none."""
    return _storable(" ".join(text.split()))[:limit] or None if text else None


def record_search(session: Session, *, user: User, query: str, source: str, result_count: int,
                  hit_collections: Iterable[int] = (), conversation: str | None = None) -> int | None:
    """One event per search; returns its id. Search-as-you-type sends every keystroke: a
    query that extends (or trims) the same user's last one within a few seconds replaces
    it, so 'ref', 'refu', 'refund' count as one search for 'refund'. Written as plain
    statements, not ORM objects: every search pays for this."""
    query = _storable(query)
    normalized = normalize(query)
    if not normalized:
        return None
    if source not in SOURCES:
        raise Invalid(f"source must be one of {', '.join(SOURCES)}.", code="invalid_source")
    begin_write(session)
    last = rows(session, _LAST_SEARCH, {"user": user.id, "from_source": source}).first()
    typing = last is not None and now() - last.created_at <= TYPING_WINDOW and (
        normalized.startswith(last.normalized) or last.normalized.startswith(normalized))
    values = {"query": query[:500], "normalized": normalized, "result_count": result_count, "created_at": now(),
              "hit_collections": collection_marks(hit_collections), "conversation": _short(conversation, 300)}
    if typing:
        rows(session, _REPLACE_SEARCH, {"event": last.id, **values})
        event_id = last.id
    else:
        event_id = rows(session, _ADD_SEARCH, {"user_id": user.id, "source": source, **values}).scalar_one()
    session.commit()
    return event_id


def record_use(session: Session, *, user: User, card_id: int, action: str, search_id: int | None = None,
               conversation: str | None = None, host: str | None = None, customer_id: int | None = None) -> CardUse:
    """One use of a card in a conversation. A customer the user may not read is left out,
    not refused: the use happened, and the answer must not tell that the customer exists."""
    if action not in ACTIONS:
        raise Invalid(f"action must be one of {', '.join(ACTIONS)}.", code="invalid_action")
    begin_write(session)
    readable_card(session, user, card_id)
    if search_id is not None:
        event = session.get(SearchEvent, search_id)
        if event is None or event.user_id != user.id:
            raise NotFound(f"There is no search {search_id} of yours.")
    if customer_id is not None and customer_id not in readable_among(session, user, [customer_id]):
        customer_id = None
    use = CardUse(card_id=card_id, user_id=user.id, search_id=search_id, action=action,
                  conversation=_short(conversation, 300), host=_short(host, 255), customer_id=customer_id)
    session.add(use)
    session.commit()
    return use


def _since(days: int):
    if not 1 <= days <= 3650:
        raise Invalid("days must be between 1 and 3650.", code="invalid_days")
    return now() - timedelta(days=days)


def _shown_to(session: Session, readable: list[int]):
    """Search events a reader of `readable` may see: none found a card in another collection
    (',*,' marks an event that found cards in more collections than it could list)."""
    hidden = [i for i in session.exec(select(Collection.id)) if i not in set(readable)]
    return [SearchEvent.hit_collections.not_like(f"%,{mark},%") for mark in [*map(str, hidden), "*"]] if hidden else []


def zero_result_searches(session: Session, *, readable: list[int], days: int = 30, limit: int = 50) -> list[dict]:
    """Questions the knowledge base could not answer, grouped and counted, most asked first."""
    rows = session.exec(
        select(SearchEvent.normalized, func.count(), func.max(SearchEvent.created_at))
        .where(SearchEvent.result_count == 0, SearchEvent.created_at >= _since(days),
               SearchEvent.source != "suggestion", *_shown_to(session, readable))
        .group_by(SearchEvent.normalized).order_by(func.count().desc(), SearchEvent.normalized).limit(limit))
    return [{"query": q, "count": n, "last_searched_at": last, "write_card_url": f"/cards/new?title={quote(q)}"}
            for q, n, last in rows]


def top_queries(session: Session, *, readable: list[int], days: int = 30, limit: int = 50) -> list[dict]:
    """The most asked questions, from searches whose results the reader may all read."""
    rows = session.exec(
        select(SearchEvent.normalized, func.count(), func.avg(SearchEvent.result_count))
        .where(SearchEvent.created_at >= _since(days), SearchEvent.source != "suggestion",
               *_shown_to(session, readable))
        .group_by(SearchEvent.normalized).order_by(func.count().desc(), SearchEvent.normalized).limit(limit))
    return [{"query": q, "count": n, "average_results": round(float(avg or 0), 1)} for q, n, avg in rows]


def _readable(query, readable: list[int]):
    """Only cards in collections the reader may read."""
    return query.where(Card.collection_id.in_(readable))


def _count(action: str):
    return func.sum(case((CardUse.action == action, 1), else_=0))


def most_used_cards(session: Session, *, readable: list[int], days: int = 30, limit: int = 50) -> list[dict]:
    """Cards by their uses, with opens, copies and inserts into a reply counted apart."""
    uses = func.count(CardUse.id)
    rows = session.exec(_readable(
        select(Card.id, Card.title, uses, _count("opened"), _count("copied"), _count("inserted"))
        .join(CardUse, CardUse.card_id == Card.id)
        .where(CardUse.created_at >= _since(days), Card.status != "archived"), readable)
        .group_by(Card.id, Card.title).order_by(uses.desc(), Card.id).limit(limit))
    return [{"card_id": i, "title": t, "uses": n, "opens": int(o or 0), "copies": int(c or 0), "inserts": int(x or 0)}
            for i, t, n, o, c, x in rows]


def unused_cards(session: Session, *, readable: list[int], days: int = 90, limit: int = 200) -> list[dict]:
    """Live cards nobody opened, copied or inserted in `days`: candidates to merge or archive."""
    used = select(CardUse.card_id).where(CardUse.created_at >= _since(days))
    rows = session.exec(_readable(select(Card.id, Card.title).where(Card.status != "archived",
                                                                    Card.id.not_in(used)), readable)
                        .order_by(Card.id).limit(limit))
    return [{"card_id": i, "title": t} for i, t in rows]


def conversations(session: Session, *, readable: list[int], reader: User | None = None, days: int = 30,
                  limit: int = 200) -> list[dict]:
    """Each conversation of the window, latest first, as searched → opened → copied or
    inserted: uses of cards the reader may read, searches (not suggestions) that found
    nothing outside them, and its customer's name only if the reader reads that customer.
    A conversation normally has one site and one customer; if it had several, one is shown."""
    since = _since(days)
    used = session.exec(_readable(
        select(CardUse.conversation, func.max(CardUse.host), func.max(CardUse.customer_id), _count("opened"),
               _count("copied"), _count("inserted"), func.max(CardUse.created_at))
        .join(Card, Card.id == CardUse.card_id)
        .where(CardUse.conversation.is_not(None), CardUse.created_at >= since), readable)
        .group_by(CardUse.conversation))
    found = {key: {"conversation": key, "host": host, "customer_id": customer, "searches": 0, "opens": int(o or 0),
                   "copies": int(c or 0), "inserts": int(x or 0), "last_activity": last}
             for key, host, customer, o, c, x, last in used}
    searched = session.exec(
        select(SearchEvent.conversation, func.count(), func.max(SearchEvent.created_at))
        .where(SearchEvent.conversation.is_not(None), SearchEvent.created_at >= since,
               SearchEvent.source != "suggestion", *_shown_to(session, readable))
        .group_by(SearchEvent.conversation))
    for key, count, last in searched:
        row = found.setdefault(key, {"conversation": key, "host": None, "customer_id": None, "searches": 0, "opens": 0,
                                     "copies": 0, "inserts": 0, "last_activity": last})
        row["searches"], row["last_activity"] = count, max(row["last_activity"], last)
    shown = sorted(found.values(), key=lambda r: (r["last_activity"], r["conversation"]), reverse=True)[:limit]
    names = _customer_names(session, reader, [r["customer_id"] for r in shown])
    return [{**{k: v for k, v in row.items() if k != "customer_id"}, "customer": names.get(row["customer_id"])}
            for row in shown]


def _customer_names(session: Session, reader: User | None, ids: list[int | None]) -> dict[int, str]:
    readable_ids = readable_among(session, reader, ids) if reader is not None else set()
    if not readable_ids:
        return {}
    return {i: name for i, name in session.exec(select(Customer.id, Customer.name).where(Customer.id.in_(readable_ids)))}


# The report tables the web page shows and downloads: name -> (title, CSV columns).
REPORTS = {
    "zero-results": ("Searches with no results", ("query", "count", "last_searched_at")),
    "top-queries": ("Top queries", ("query", "count", "average_results")),
    "most-used-cards": ("Most used cards", ("card_id", "title", "uses", "opens", "copies", "inserts")),
    "unused-cards": ("Least used cards", ("card_id", "title")),
    "conversations": ("Conversations", ("conversation", "host", "customer", "searches", "opens", "copies", "inserts",
                                        "last_activity")),
}


def report(session: Session, *, name: str, days: int, readable: list[int], reader: User | None = None) -> list[dict]:
    """One report for a reader: only cards in collections they may read, only searches
    that found nothing outside them, and only customers `reader` reads."""
    if name == "zero-results":
        return zero_result_searches(session, days=days, readable=readable)
    if name == "top-queries":
        return top_queries(session, days=days, readable=readable)
    if name == "most-used-cards":
        return most_used_cards(session, days=days, readable=readable)
    if name == "unused-cards":
        return unused_cards(session, days=days, readable=readable)
    if name == "conversations":
        return conversations(session, days=days, readable=readable, reader=reader)
    raise NotFound(f"There is no report '{name[:60]}'.")


def report_csv(rows: list[dict], columns: tuple[str, ...]) -> str:
    """UTF-8 CSV with a header row and a byte-order mark, so spreadsheet programs read
    Chinese, Turkish and Estonian queries correctly; quoting by the csv module."""
    return BOM + csv_text([columns, *([row.get(column) for column in columns] for row in rows)])
