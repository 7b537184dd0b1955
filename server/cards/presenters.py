"""Exactly which card fields leave the server, and what the viewer may do with each card."""

from __future__ import annotations

import html

from sqlalchemy import bindparam
from sqlmodel import Session, select

from server.accounts.models import Group, User
from server.accounts.service import users_by_id
from server.cards.models import Card, CardRevision, Collection
from server.cards.service import needs_verification
from server.clock import now
from server.db import rows
from server.markdown import render_markdown, sanitize_html
from server.policies.access import access_of
from server.policies.cards import can
from server.presenting import timestamp, user_summary
from server.search.schema import markdown_to_plain


def collection_summary(collection: Collection | None) -> dict | None:
    if collection is None:
        return None
    return {"id": collection.id, "slug": collection.slug, "name": collection.name}


def overdue_days(card: Card) -> int | None:
    """How long a verified card has been past its due date, in whole days."""
    if card.status != "verified" or card.verify_due_at is None or card.verify_due_at > now():
        return None
    return (now() - card.verify_due_at).days


def _group(session: Session, group_id: int | None) -> dict | None:
    group = session.get(Group, group_id) if group_id else None
    return {"id": group.id, "name": group.name} if group else None


def present_card(session: Session, card: Card, viewer: User) -> dict:
    users = users_by_id(session, [card.verifier_id, card.verified_by_id, card.updated_by_id])
    collection = session.get(Collection, card.collection_id)
    return {
        "id": card.id,
        "title": card.title,
        "body": card.body,
        "html": render_markdown(card.body),
        "tags": list(card.tags),
        "language": card.language,
        "collection": collection_summary(collection),
        "status": card.status,
        "needs_verification": needs_verification(card),
        "verifier": user_summary(users.get(card.verifier_id)),
        "interval_days": card.interval_days,
        "verified_at": timestamp(card.verified_at),
        "verified_by": user_summary(users.get(card.verified_by_id)),
        "verify_due_at": timestamp(card.verify_due_at),
        "overdue_days": overdue_days(card),
        "verifier_group": _group(session, card.verifier_group_id),
        "version": card.version,
        "created_at": timestamp(card.created_at),
        "updated_at": timestamp(card.updated_at),
        "updated_by": user_summary(users.get(card.updated_by_id)),
        "can": can(access_of(session, viewer), card),
    }


# Built once, run with parameters: every search has them, and building them cost more than running them.
_SUMMARIES = select(Card.id, Card.title, Card.status, Card.verify_due_at, Card.collection_id, Card.language,
                    Card.tags).where(Card.id.in_(bindparam("ids", expanding=True)))
_COLLECTION_NAMES = select(Collection.id, Collection.slug, Collection.name).where(
    Collection.id.in_(bindparam("ids", expanding=True)))


def present_summaries(session: Session, hits) -> list[dict]:
    """Search hits as card summaries; status comes from the database, the truth."""
    # Two queries of plain rows, not cards: a summary needs a few columns, never the
    # body, and building ORM objects cost more than the queries (every search has them).
    ids = [h.card_id for h in hits]
    cards = {c.id: c for c in rows(session, _SUMMARIES, {"ids": ids})} if ids else {}
    wanted = sorted({c.collection_id for c in cards.values()})
    collections = {c.id: c for c in rows(session, _COLLECTION_NAMES, {"ids": wanted})} if wanted else {}
    summaries = []
    for hit in hits:
        card = cards.get(hit.card_id)
        if card is None or card.status == "archived":
            continue  # the index has not caught up with a delete yet
        summaries.append({
            "id": card.id,
            "title": card.title,
            "status": card.status,
            "needs_verification": needs_verification(card),
            "snippet": hit.snippet,
            "collection": collection_summary(collections.get(card.collection_id)),
            "language": card.language,
            "tags": list(card.tags),
        })
    return summaries


def pinned_summary(session: Session, card: Card, trigger) -> dict:
    """A card a trigger pinned to the conversation, shaped like a search summary."""
    plain = markdown_to_plain(card.body)
    return {
        "id": card.id, "title": card.title, "status": card.status, "needs_verification": needs_verification(card),
        "snippet": sanitize_html(html.escape(plain[:180] + ("…" if len(plain) > 180 else ""))),
        "collection": collection_summary(session.get(Collection, card.collection_id)),
        "language": card.language, "tags": list(card.tags), "pinned": True,
        "trigger": {"id": trigger.id, "kind": trigger.kind, "pattern": trigger.pattern},
    }


def present_revisions(session: Session, revisions: list[CardRevision]) -> list[dict]:
    authors = users_by_id(session, [r.author_id for r in revisions])
    return [{
        "version": r.version, "title": r.title, "body": r.body, "tags": list(r.tags), "status": r.status,
        "author": user_summary(authors.get(r.author_id)), "created_at": timestamp(r.created_at),
        "origin": r.origin, "origin_host": r.origin_host, "note": r.note,
    } for r in revisions]
