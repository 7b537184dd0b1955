"""`vouch export` and the web app's zip export: a collection's cards as Markdown + front matter,
the inverse of seed.load_card and the importer. Both write through `card_documents`."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, func, select

from server.accounts.models import User
from server.audit.service import record
from server.cards.models import Card, Collection
from server.content.archive import write_zip
from server.content.files import render_document
from server.db import begin_write
from server.errors import NotFound


def card_meta(session: Session, card: Card) -> dict:
    """The front matter that load_card reads back into the same card."""
    meta: dict = {"title": card.title, "tags": list(card.tags), "language": card.language,
                  "status": "verified" if card.status == "verified" else "unverified",
                  "interval_days": card.interval_days}
    if card.verifier_id:
        verifier = session.get(User, card.verifier_id)
        if verifier:
            meta["verifier"] = verifier.email
    return meta


def _collection(session: Session, slug: str) -> Collection:
    collection = session.exec(select(Collection).where(Collection.slug == slug)).first()
    if collection is None:
        raise NotFound(f"No collection {slug[:100]!r}.")
    return collection


def card_documents(session: Session, slug: str) -> list[tuple[str, str]]:
    """('<collection-slug>/<card-slug>.md', file text) for every card of collection `slug`."""
    collection = _collection(session, slug)
    cards = session.exec(select(Card).where(Card.collection_id == collection.id).order_by(Card.slug)).all()
    return [(f"{slug}/{card.slug}.md", render_document(card_meta(session, card), card.body)) for card in cards]


def export_collection(session: Session, slug: str, folder: Path) -> int:
    """Write every card of collection `slug` to folder/slug/<card-slug>.md; returns the number written."""
    documents = card_documents(session, slug)
    for name, text in documents:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(documents)


def export_archive(session: Session, *, actor: User, slug: str) -> bytes:
    """The collection as a zip laid out like `vouch export`'s folder; the export is audited."""
    documents = card_documents(session, slug)
    begin_write(session)
    record(session, actor_id=actor.id, action="export", target_type="collection",
           target_id=_collection(session, slug).id, cards=len(documents), format="zip")
    session.commit()
    return write_zip(documents)


def card_counts(session: Session, collection_ids: list[int]) -> dict[int, int]:
    """How many cards (archived included) an export of each collection holds."""
    if not collection_ids:
        return {}
    rows = session.exec(select(Card.collection_id, func.count()).where(Card.collection_id.in_(collection_ids))
                        .group_by(Card.collection_id))
    return dict(rows.all())
