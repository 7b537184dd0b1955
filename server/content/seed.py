"""`vouch seed`: load users, collections, cards and customers from a content folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timezone
from pathlib import Path

from sqlmodel import Session, select

from server.accounts.models import User
from server.accounts.service import create_user, user_by_email
from server.cards.models import Card, Collection
from server.cards.service import check_interval, create_card
from server.content.files import read_document, read_yaml
from server.db import begin_write
from server.errors import Invalid
from server.facts.models import Customer, CustomerDomain, CustomerEmail, QuickFact

Progress = Callable[[str], None]


def _utc(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=timezone.utc)
    return _utc(datetime.fromisoformat(str(value)))


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def load_users(session: Session, path: Path) -> int:
    added = 0
    for entry in read_yaml(path) or []:
        if session.exec(select(User).where(User.email == str(entry["email"]).lower())).first():
            continue
        create_user(session, email=entry["email"], name=entry["name"], role=entry.get("role", "member"),
                    password=entry.get("password"))
        added += 1
    return added


def load_collection(session: Session, path: Path) -> bool:
    meta = read_yaml(path) or {}
    slug = path.stem
    if session.exec(select(Collection.id).where(Collection.slug == slug)).first():
        return False
    verifier = user_by_email(session, meta["default_verifier"]) if meta.get("default_verifier") else None
    begin_write(session)
    collection = Collection(slug=slug, name=meta.get("name") or slug, description=meta.get("description", ""),
                            default_verifier_id=verifier.id if verifier else None,
                            default_interval_days=check_interval(meta.get("interval_days", 90)))
    session.add(collection)
    session.commit()
    return True


def load_card(session: Session, path: Path, actor: User) -> bool:
    doc = read_document(path)
    collection_slug = path.parent.name
    if session.exec(select(Card.id).join(Collection).where(Collection.slug == collection_slug,
                                                           Card.slug == path.stem)).first():
        return False
    verifier = user_by_email(session, doc.meta["verifier"]) if doc.meta.get("verifier") else None
    status = doc.meta.get("status", "verified")
    if status not in ("verified", "unverified"):
        raise Invalid(f"{path.name}: status must be verified or unverified.", code="invalid_content")
    create_card(session, actor=actor, collection_slug=collection_slug, title=str(doc.meta.get("title", "")),
                body=doc.body, tags=doc.meta.get("tags") or [], language=doc.meta.get("language"),
                verifier=verifier, interval_days=doc.meta.get("interval_days", "default"), slug=path.stem,
                verified=status == "verified", origin="import")
    return True


def load_customer(session: Session, path: Path) -> bool:
    doc = read_document(path)
    if session.exec(select(Customer.id).where(Customer.slug == path.stem)).first():
        return False
    begin_write(session)
    customer = Customer(slug=path.stem, name=doc.meta["name"], notes=doc.body,
                        external_ids={str(k): str(v) for k, v in (doc.meta.get("external_ids") or {}).items()})
    session.add(customer)
    session.flush()
    for email in doc.meta.get("emails") or []:
        session.add(CustomerEmail(email=str(email).lower(), customer_id=customer.id))
    for domain in doc.meta.get("domains") or []:
        session.add(CustomerDomain(domain=str(domain).lower(), customer_id=customer.id))
    for fact in doc.meta.get("facts") or []:
        author = user_by_email(session, fact["author"]) if fact.get("author") else None
        session.add(QuickFact(customer_id=customer.id, text=str(fact["text"]), pinned=bool(fact.get("pinned")),
                              author_id=author.id if author else None, updated_by_id=author.id if author else None,
                              remind_at=_date(fact.get("remind_at")), expires_at=_utc(fact.get("expires_at"))))
    session.commit()
    return True


def seed(session: Session, folder: Path, progress: Progress = lambda _: None) -> dict[str, int]:
    """Load everything in `folder` that is not in the database yet (safe to run twice)."""
    counts = {"users": 0, "collections": 0, "cards": 0, "customers": 0}
    if (folder / "users.yaml").exists():
        counts["users"] = load_users(session, folder / "users.yaml")
    for path in sorted((folder / "collections").glob("*.yaml")):
        counts["collections"] += load_collection(session, path)
    importer = session.exec(select(User).where(User.role == "admin").order_by(User.id)).first() \
        or session.exec(select(User).order_by(User.id)).first()
    card_files = sorted((folder / "cards").glob("*/*.md"))
    if card_files and importer is None:
        raise Invalid("Cards need at least one user to import them: add users.yaml or run 'vouch user add'.")
    for n, path in enumerate(card_files, 1):
        counts["cards"] += load_card(session, path, importer)
        if n % 10 == 0 or n == len(card_files):
            progress(f"cards: {n}/{len(card_files)}")
    for path in sorted((folder / "customers").glob("*.md")):
        counts["customers"] += load_customer(session, path)
    return counts
