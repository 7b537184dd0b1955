"""`vouch export`: write a collection's cards as Markdown + front matter, the inverse of seed.load_card."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from server.accounts.models import User
from server.cards.models import Card, Collection
from server.content.files import write_document
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


def export_collection(session: Session, slug: str, folder: Path) -> int:
    """Write every card of collection `slug` to folder/slug/<card-slug>.md; returns the number written."""
    collection = session.exec(select(Collection).where(Collection.slug == slug)).first()
    if collection is None:
        raise NotFound(f"No collection {slug!r}.")
    cards = session.exec(select(Card).where(Card.collection_id == collection.id).order_by(Card.slug)).all()
    for card in cards:
        write_document(folder / slug / f"{card.slug}.md", card_meta(session, card), card.body)
    return len(cards)
