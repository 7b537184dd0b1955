"""`vouch seed`: load users, collections, cards and customers from a content folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timezone
from pathlib import Path

from sqlmodel import Session, select

from server.accounts.models import User
from server.accounts.service import create_user, group_ids_of, user_by_email
from server.cards.models import Card, Collection
from server.cards.service import check_interval, create_card, get_collection
from server.content.batches import card_batches
from server.content.files import read_document, read_yaml
from server.db import begin_write
from server.errors import Invalid
from server.facts.models import Customer, CustomerDomain, CustomerEmail, QuickFact

Progress = Callable[[str], None]
PROGRESS_EVERY = 100  # cards between progress lines


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


class _Known:
    """What a load looks up once and every card needs: verifiers by email, collections
    by slug, the loading user's groups."""

    def __init__(self, session: Session, actor: User):
        self.users: dict[str, User | None] = {}
        self.collections: dict[str, Collection] = {}
        self.actor_groups = group_ids_of(session, actor)

    def collection(self, session: Session, slug: str) -> Collection:
        if slug not in self.collections:
            self.collections[slug] = get_collection(session, slug)
        return self.collections[slug]


def load_card(session: Session, path: Path, actor: User, known: _Known) -> None:
    """One card file, through the card service (its revision and outbox row with it)."""
    doc = read_document(path)
    verifier = _verifier(session, doc.meta.get("verifier"), known.users)
    status = doc.meta.get("status", "verified")
    if status not in ("verified", "unverified"):
        raise Invalid(f"{path.name}: status must be verified or unverified.", code="invalid_content")
    slug = path.parent.name
    create_card(session, actor=actor, collection_slug=slug, title=str(doc.meta.get("title", "")),
                body=doc.body, tags=doc.meta.get("tags") or [], language=doc.meta.get("language"),
                verifier=verifier, interval_days=doc.meta.get("interval_days", "default"), slug=path.stem,
                verified=status == "verified", origin="import",
                collection=known.collection(session, slug), actor_groups=known.actor_groups)


def _verifier(session: Session, email, users: dict[str, User | None]) -> User | None:
    if not email:
        return None
    if email not in users:
        users[email] = user_by_email(session, email)
    return users[email]


def load_cards(session: Session, paths: list[Path], actor: User, progress: Progress) -> int:
    """Card files not in the database yet (by collection and slug), a batch of them per
    transaction (see batches.py)."""
    present = set(session.exec(select(Collection.slug, Card.slug).join(Card, Card.collection_id == Collection.id)))
    session.commit()  # ends this read, so what the batches commit is seen by it afterwards
    added = 0
    with card_batches(session.get_bind()) as batches:
        batches.keep(batches.session.exec(select(User)).all())  # verifiers, looked up for every card
        known = _Known(batches.session, actor)
        for n, path in enumerate(paths, 1):
            if (path.parent.name, path.stem) not in present:
                load_card(batches.session, path, actor, known)
                present.add((path.parent.name, path.stem))
                batches.written()
                added += 1
            if n % PROGRESS_EVERY == 0 or n == len(paths):
                progress(f"cards: {n}/{len(paths)}")
    return added


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
    """Load everything in `folder` that is not in the database yet (safe to run twice).
    The cards' outbox rows are left for the caller's index to apply (batches.bulk_index)."""
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
    counts["cards"] = load_cards(session, card_files, importer, progress)
    for path in sorted((folder / "customers").glob("*.md")):
        counts["customers"] += load_customer(session, path)
    return counts
