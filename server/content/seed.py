"""`vouch seed`: load users, collections, cards and customers from a content folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path

from sqlmodel import Session, select

from server.accounts.models import User
from server.accounts.service import create_user, user_by_email
from server.cards.models import Card, Collection
from server.cards.service import check_interval, create_card, get_collection
from server.content.batches import card_batches
from server.content.files import read_document, read_yaml
from server.db import begin_write
from server.errors import Invalid
from server.facts.models import Customer, CustomerDomain, CustomerEmail, QuickFact
from server.policies.access import Access, access_of

Progress = Callable[[str], None]
PROGRESS_EVERY = 100  # cards between progress lines


@dataclass
class SeedReport:
    """What a load did, so nothing is left out without a word: how many it added of each
    kind, and per file what it changed and what it kept as it was (already there)."""

    added: dict[str, int] = field(default_factory=lambda: {"users": 0, "collections": 0, "cards": 0,
                                                           "customers": 0, "facts": 0})
    changed: list[str] = field(default_factory=list)  # "customers/acme.md: 2 new facts"
    kept: list[str] = field(default_factory=list)     # "cards/kb/refunds.md: in kb already"


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


def load_users(session: Session, path: Path, report: SeedReport) -> None:
    there = []
    for entry in read_yaml(path) or []:
        if session.exec(select(User).where(User.email == str(entry["email"]).lower())).first():
            there.append(str(entry["email"]).lower())
            continue
        create_user(session, email=entry["email"], name=entry["name"], role=entry.get("role", "member"),
                    password=entry.get("password"))
        report.added["users"] += 1
    if there:
        report.kept.append(f"{path.name}: {len(there)} user(s) there already ({', '.join(there[:3])}"
                           f"{', …' if len(there) > 3 else ''}), left as they are")


def load_collection(session: Session, path: Path, report: SeedReport) -> None:
    meta = read_yaml(path) or {}
    slug = path.stem
    if session.exec(select(Collection.id).where(Collection.slug == slug)).first():
        report.kept.append(f"collections/{path.name}: collection {slug} is there already, left as it is")
        return
    verifier = user_by_email(session, meta["default_verifier"]) if meta.get("default_verifier") else None
    begin_write(session)
    collection = Collection(slug=slug, name=meta.get("name") or slug, description=meta.get("description", ""),
                            default_verifier_id=verifier.id if verifier else None,
                            default_interval_days=check_interval(meta.get("interval_days", 90)))
    session.add(collection)
    session.commit()
    report.added["collections"] += 1


class _Known:
    """What a load looks up once and every card needs: verifiers by email, collections
    by slug, the loading user's groups."""

    def __init__(self, session: Session, actor: User):
        self.users: dict[str, User | None] = {}
        self.collections: dict[str, Collection] = {}
        self.actor = actor
        self._access = None

    def access(self, session: Session, collection: Collection) -> Access:
        """The loading user's Access, looked up again for a collection the load created."""
        if self._access is None or collection.id not in self._access.roles:
            self._access = access_of(session, self.actor)
        return self._access

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
                collection=known.collection(session, slug),
                access=known.access(session, known.collection(session, slug)))


def _verifier(session: Session, email, users: dict[str, User | None]) -> User | None:
    if not email:
        return None
    if email not in users:
        users[email] = user_by_email(session, email)
    return users[email]


def load_cards(session: Session, paths: list[Path], actor: User, progress: Progress, report: SeedReport) -> None:
    """Card files not in the database yet (by collection and slug), a batch of them per
    transaction (see batches.py). A card there already is left as it is: changing cards
    is `vouch import`'s work, which records a revision."""
    present = set(session.exec(select(Collection.slug, Card.slug).join(Card, Card.collection_id == Collection.id)))
    session.commit()  # ends this read, so what the batches commit is seen by it afterwards
    with card_batches(session.get_bind()) as batches:
        batches.keep(batches.session.exec(select(User)).all())  # verifiers, looked up for every card
        known = _Known(batches.session, actor)
        for n, path in enumerate(paths, 1):
            if (path.parent.name, path.stem) not in present:
                load_card(batches.session, path, actor, known)
                present.add((path.parent.name, path.stem))
                batches.written()
                report.added["cards"] += 1
            else:
                report.kept.append(f"cards/{path.parent.name}/{path.name}: card {path.stem} is in "
                                   f"{path.parent.name} already, left as it is (vouch import updates cards)")
            if n % PROGRESS_EVERY == 0 or n == len(paths):
                progress(f"cards: {n}/{len(paths)}")


def _fact(customer_id: int, entry: dict, session: Session) -> QuickFact:
    author = user_by_email(session, entry["author"]) if entry.get("author") else None
    return QuickFact(customer_id=customer_id, text=str(entry["text"]), pinned=bool(entry.get("pinned")),
                     author_id=author.id if author else None, updated_by_id=author.id if author else None,
                     remind_at=_date(entry.get("remind_at")), expires_at=_utc(entry.get("expires_at")))


def load_customer(session: Session, path: Path, report: SeedReport) -> None:
    """A new customer with its addresses and facts; for one there already, only the facts
    it does not have yet (by their text) are added: its name, notes and addresses stay."""
    doc = read_document(path)
    name = f"customers/{path.name}"
    facts = doc.meta.get("facts") or []
    begin_write(session)
    customer = session.exec(select(Customer).where(Customer.slug == path.stem)).first()
    if customer is not None:
        held = set(session.exec(select(QuickFact.text).where(QuickFact.customer_id == customer.id)))
        new = [entry for entry in facts if str(entry["text"]) not in held]
        for entry in new:
            session.add(_fact(customer.id, entry, session))
        session.commit()
        report.added["facts"] += len(new)
        if new:
            report.changed.append(f"{name}: {len(new)} new fact(s) added to {customer.name}; the rest of the "
                                  "customer left as it is")
        else:
            report.kept.append(f"{name}: {customer.name} is there already with every fact, left as it is")
        return
    customer = Customer(slug=path.stem, name=doc.meta["name"], notes=doc.body,
                        external_ids={str(k): str(v) for k, v in (doc.meta.get("external_ids") or {}).items()})
    session.add(customer)
    session.flush()
    for email in doc.meta.get("emails") or []:
        session.add(CustomerEmail(email=str(email).lower(), customer_id=customer.id))
    for domain in doc.meta.get("domains") or []:
        session.add(CustomerDomain(domain=str(domain).lower(), customer_id=customer.id))
    for entry in facts:
        session.add(_fact(customer.id, entry, session))
    session.commit()
    report.added["customers"] += 1
    report.added["facts"] += len(facts)


def seed(session: Session, folder: Path, progress: Progress = lambda _: None) -> SeedReport:
    """Load everything in `folder` that is not in the database yet (safe to run twice),
    and say per file what was kept as it was. The cards' outbox rows are left for the
    caller's index to apply (batches.bulk_index)."""
    report = SeedReport()
    if (folder / "users.yaml").exists():
        load_users(session, folder / "users.yaml", report)
    for path in sorted((folder / "collections").glob("*.yaml")):
        load_collection(session, path, report)
    importer = session.exec(select(User).where(User.role == "admin").order_by(User.id)).first() \
        or session.exec(select(User).order_by(User.id)).first()
    card_files = sorted((folder / "cards").glob("*/*.md"))
    if card_files and importer is None:
        raise Invalid("Cards need at least one user to import them: add users.yaml or run 'vouch user add'.")
    load_cards(session, card_files, importer, progress, report)
    for path in sorted((folder / "customers").glob("*.md")):
        load_customer(session, path, report)
    return report
