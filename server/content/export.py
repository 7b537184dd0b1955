"""`vouch export` and the web app's zip exports: a collection's cards as Markdown + front matter
(the inverse of the importer), or the whole install (install_export). Zips and folders are
written from the same (name, text) pairs, so they hold the same files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlmodel import Session, func, select

from server.accounts.models import User
from server.audit.service import record
from server.cards.models import Card, Collection
from server.cards.service import readable_collection
from server.content.archive import write_zip
from server.content.files import render_document
from server.content.install_export import Names, card_meta, install_documents
from server.db import begin_write
from server.errors import Forbidden, Invalid, NotFound
from server.facts.models import Customer
from server.policies.access import access_of
from server.policies.facts import hidden_customer_ids


def _collection(session: Session, slug: str) -> Collection:
    collection = session.exec(select(Collection).where(Collection.slug == slug)).first()
    if collection is None:
        raise NotFound(f"No collection {slug[:100]!r}.")
    return collection


def card_documents(session: Session, slug: str) -> list[tuple[str, str]]:
    """('<collection-slug>/<card-slug>.md', file text) for every card of collection `slug`."""
    collection, names = _collection(session, slug), Names(session)
    cards = session.exec(select(Card).where(Card.collection_id == collection.id).order_by(Card.slug)).all()
    return [(f"{slug}/{card.slug}.md", render_document(card_meta(card, names), card.body)) for card in cards]


def write_files(documents: Iterable[tuple[str, str]], folder: Path) -> int:
    """Write (relative name, text) pairs under `folder`; returns how many."""
    written = 0
    for name, text in documents:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    return written


def export_collection(session: Session, slug: str, folder: Path) -> int:
    """Write every card of collection `slug` to folder/slug/<card-slug>.md; returns the number written."""
    return write_files(card_documents(session, slug), folder)


def export_install(session: Session, folder: Path) -> dict[str, int]:
    """The whole install into `folder`, which must be empty or new (nothing of another export is
    left mixed in); returns how many of each kind were written."""
    if folder.exists() and any(folder.iterdir()):
        raise Invalid(f"{folder.name or folder} is not empty: export a whole install into a new or empty folder.",
                      code="export_folder_not_empty")
    written: list[str] = []

    def names(documents: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        for name, text in documents:
            written.append(name)
            yield name, text

    write_files(names(install_documents(session)), folder)  # a file at a time: 100,000 cards fit in no list
    return install_counts(written)


def install_counts(names: Iterable[str]) -> dict[str, int]:
    counts = {"collections": 0, "cards": 0, "customers": 0}
    for name in names:
        kind = name.split("/", 1)[0]
        if kind in counts and "/" in name:
            counts[kind] += 1
    return counts


def export_install_archive(session: Session, *, actor: User) -> bytes:
    """The whole install as a zip of the same files as `vouch export`; the export is audited.
    It holds every card, so the admin asking must read every collection: an admin is not a
    reader of a restricted collection unless its access list says so (and saying so is logged)."""
    access = access_of(session, actor)
    unread = [c.name for c in session.exec(select(Collection).order_by(Collection.name)) if not access.has(c.id, "read")]
    if unread:
        raise Forbidden("The whole install holds every card, and you may not read these restricted collections: "
                        f"{', '.join(unread[:10])}. Add yourself to their access lists first (it is logged), "
                        "or export the collections you read one by one.")
    hidden = session.exec(select(Customer.name).where(Customer.id.in_(hidden_customer_ids(actor)))
                          .order_by(Customer.name).limit(10)).all()
    if hidden:
        raise Forbidden("The whole install holds every customer's facts, and these customers are restricted to "
                        f"groups you are not in: {', '.join(hidden)}. Join one of their groups first (it is "
                        "logged), or have someone who reads them all export the install.")
    documents = list(install_documents(session))
    begin_write(session)
    record(session, actor_id=actor.id, action="export", target_type="install", target_id=None,
           format="zip", **install_counts(name for name, _ in documents))
    session.commit()
    return write_zip(documents)


def export_archive(session: Session, *, actor: User, slug: str) -> bytes:
    """The collection as a zip laid out like `vouch export`'s folder, for someone who may read
    it (else 404, as if it did not exist); the export is audited."""
    readable_collection(session, actor, slug)
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
