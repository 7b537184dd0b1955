"""Card rules: create, save (with DESIGN's verification rules 1 and 2), verify, history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlmodel import Session, select

from server.accounts.models import User
from server.audit.service import record
from server.cards.models import INTERVALS, Card, CardRevision, Collection
from server.cards.slugs import slugify
from server.cards.wording import changes_words
from server.clock import now
from server.db import begin_write
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.policies.access import Access, access_of
from server.policies.cards import can_edit, can_verify, is_verifier, may_read, save_keeps_verified
from server.policies.collections import can_create_in
from server.policies.collections import may_read as may_read_collection
from server.search.analysis import detect_language
from server.text import required_line

MAX_TITLE = 300
MAX_BODY = 100_000
MAX_TAGS = 20
MAX_TAG = 50
ORIGINS = ("editor", "sidebar", "import", "api")


def get_card(session: Session, card_id: int) -> Card:
    """Any card, for code that acts for no one in particular (jobs, loads); code that acts for
    a person asks readable_card."""
    card = session.get(Card, card_id)
    if card is None:
        raise NotFound(f"There is no card {card_id}.", code="not_found")
    return card


def access_for(session: Session, who: User | Access) -> Access:
    return who if isinstance(who, Access) else access_of(session, who)


def readable_card(session: Session, who: User | Access, card_id: int, *, lock: bool = False) -> Card:
    """The card, if `who` may read it; else the same 404 as a card that does not exist."""
    statement = select(Card).where(Card.id == card_id)
    card = session.exec(statement.with_for_update() if lock else statement).first()
    if card is None or not may_read(access_for(session, who), card):
        raise NotFound(f"There is no card {card_id}.", code="not_found")
    return card


def readable_collection(session: Session, who: User | Access, slug: str) -> Collection:
    """The collection, if `who` may read it; else the same 404 as one that does not exist."""
    collection = get_collection(session, slug)
    if not may_read_collection(access_for(session, who), collection):
        raise NotFound(f"There is no collection '{slug[:100]}'.")
    return collection


def get_collection(session: Session, slug: str) -> Collection:
    collection = session.exec(select(Collection).where(Collection.slug == slug)).first()
    if collection is None:
        raise NotFound(f"There is no collection '{slug[:100]}'.")
    return collection


def needs_verification(card: Card) -> bool:
    if card.status == "archived":
        return False
    return card.status != "verified" or (card.verify_due_at is not None and card.verify_due_at <= now())


def clean_title(title: str) -> str:
    return required_line(title, max_chars=MAX_TITLE, code="invalid_title", missing="A card needs a title.",
                         too_long=f"A title can be at most {MAX_TITLE} characters.")


def clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").replace("\x00", "")  # PostgreSQL text cannot hold NUL
    if len(body) > MAX_BODY:
        raise Invalid(f"A card can be at most {MAX_BODY} characters.", code="invalid_body")
    return body


def clean_tags(tags: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(" ".join(str(t).replace("\x00", "").split()).lower()
                                 for t in tags or [] if str(t).replace("\x00", "").strip()))
    if len(cleaned) > MAX_TAGS or any(len(t) > MAX_TAG for t in cleaned):
        raise Invalid(f"At most {MAX_TAGS} tags of at most {MAX_TAG} characters each.", code="invalid_tags")
    return cleaned


def check_interval(days: int | None) -> int | None:
    if days is not None and days not in INTERVALS:
        raise Invalid(f"The interval must be one of {', '.join(map(str, INTERVALS))} days, or never.",
                      code="invalid_interval")
    return days


def _mark_verified(card: Card, by: User) -> None:
    card.status = "verified"
    card.verified_at = now()
    card.verified_by_id = by.id
    card.verify_due_at = card.verified_at + timedelta(days=card.interval_days) if card.interval_days else None


def record_revision(session: Session, card: Card, *, author: User, origin: str, origin_host: str | None,
                     note: str) -> None:
    if origin not in ORIGINS:
        raise Invalid(f"Origin must be one of {', '.join(ORIGINS)}.", code="invalid_origin")
    session.add(CardRevision(
        card_id=card.id, version=card.version, title=card.title, body=card.body, tags=list(card.tags),
        status=card.status, author_id=author.id, origin=origin, origin_host=(origin_host or None) and origin_host[:255],
        note=note,
    ))


def _unique_slug(session: Session, collection_id: int, title: str) -> str:
    base = slugify(title)
    slug, n = base, 1
    while session.exec(select(Card.id).where(Card.collection_id == collection_id, Card.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_card(session: Session, *, actor: User, collection_slug: str, title: str, body: str,
                tags: Sequence[str] = (), language: str | None = None, verifier: User | None = None,
                interval_days: int | None | str = "default", slug: str | None = None,
                verified: bool | None = None, origin: str = "api", origin_host: str | None = None,
                collection: Collection | None = None, access: Access | None = None) -> Card:
    """A new card. Rule 1: created by its verifier it is verified; by anyone else, not.
    `verified` overrides that for imports, which carry the status they were exported with.
    Bulk loads pass the collection (the one named by `collection_slug`) and the actor's
    Access, looked up once for thousands of cards (a tenth of a load's time)."""
    title, body, tags = clean_title(title), clean_body(body), clean_tags(tags)
    begin_write(session)
    access = access or access_of(session, actor)
    if collection is None or collection.slug != collection_slug:
        collection = readable_collection(session, access, collection_slug)
    if not can_create_in(access, collection):
        raise Forbidden(f"You may read “{collection.name}” but not add cards to it.")
    card = Card(
        collection_id=collection.id, title=title, body=body, tags=tags,
        slug=slug or _unique_slug(session, collection.id, title),
        language=(language or detect_language(f"{title}\n{body}")).lower()[:10],
        verifier_id=verifier.id if verifier else collection.default_verifier_id,
        interval_days=collection.default_interval_days if interval_days == "default" else check_interval(interval_days),
        created_by_id=actor.id, updated_by_id=actor.id,
    )
    session.add(card)
    session.flush()
    by_verifier = is_verifier(access, card)
    if verified if verified is not None else by_verifier:
        _mark_verified(card, session.get(User, card.verifier_id) if verified and card.verifier_id else actor)
    if verified is not None:
        note = "Imported as verified." if verified else "Imported; waiting for its verifier."
    else:
        note = "Created by its verifier." if by_verifier else "Created; waiting for its verifier."
    record_revision(session, card, author=actor, origin=origin, origin_host=origin_host, note=note)
    if origin != "import":  # an import is audited once, with its counts (a seed writes thousands of cards)
        record(session, actor_id=actor.id, action="create", target_type="card", target_id=card.id,
               collection=collection.slug, status=card.status, origin=origin, origin_host=origin_host)
    session.commit()
    return card


def update_card(session: Session, *, actor: User, card_id: int, expected_version: int,
                title: str | None = None, body: str | None = None, tags: Sequence[str] | None = None,
                origin: str = "api", origin_host: str | None = None, why: str = "") -> Card:
    """Save a card edited from `expected_version`. A stale save changes nothing (Conflict).
    Rule 2: saved by its verifier it is verified again; by anyone else it needs
    verification, unless the edit changed no words. `why` opens the revision's note."""
    new_title = clean_title(title) if title is not None else None
    new_body = clean_body(body) if body is not None else None
    new_tags = clean_tags(tags) if tags is not None else None
    begin_write(session)
    access = access_of(session, actor)
    card = readable_card(session, access, card_id, lock=True)
    if not can_edit(access, card):
        raise Forbidden("You may not edit this card.")
    if card.version != expected_version:
        raise Conflict("This card changed since you opened it: review the newer version and apply your edit again.",
                       code="card_conflict", detail={"current": card, "your_version": expected_version})
    old_title, old_body = card.title, card.body
    card.title = new_title if new_title is not None else card.title
    card.body = new_body if new_body is not None else card.body
    card.tags = new_tags if new_tags is not None else card.tags
    card.version += 1
    card.updated_at, card.updated_by_id = now(), actor.id
    if card.status == "archived":
        note = "Edited while archived."
    elif save_keeps_verified(access, card):
        _mark_verified(card, actor)
        note = "Saved by its verifier: verified."
    elif not changes_words(old_title, old_body, card.title, card.body):
        note = "Formatting, punctuation or tags only: status kept."
    else:
        card.status = "unverified"
        note = f"Edited by {actor.name}: waiting for its verifier."
        record(session, actor_id=actor.id, action="unverify", target_type="card", target_id=card.id,
               reason="edited", origin=origin, origin_host=origin_host)
    session.add(card)
    record_revision(session, card, author=actor, origin=origin, origin_host=origin_host,
                     note=f"{why} {note}" if why else note)
    record(session, actor_id=actor.id, action="edit", target_type="card", target_id=card.id,
           before={"version": expected_version}, after={"version": card.version, "status": card.status},
           origin=origin, origin_host=origin_host)
    session.commit()
    return card


def verify_card(session: Session, *, actor: User, card_id: int) -> Card:
    begin_write(session)
    access = access_of(session, actor)
    card = readable_card(session, access, card_id)
    if card.status == "archived":
        raise Invalid("An archived card cannot be verified.", code="card_archived")
    if not can_verify(access, card):
        raise Forbidden("Only this card's verifier (or an admin) can verify it.")
    _mark_verified(card, actor)
    card.version += 1
    card.updated_at = now()
    session.add(card)
    record_revision(session, card, author=actor, origin="api", origin_host=None, note=f"Verified by {actor.name}.")
    record(session, actor_id=actor.id, action="verify", target_type="card", target_id=card.id,
           due=card.verify_due_at.isoformat() if card.verify_due_at else None)
    session.commit()
    return card


def unverify_card(session: Session, *, actor: User, card_id: int, reason: str) -> Card:
    """Anyone with access may say a card can no longer be trusted, with a reason."""
    problem = "Say why the card can no longer be trusted (at most 2,000 characters)."
    reason = required_line(reason, max_chars=2000, code="reason_required", missing=problem, too_long=problem)
    begin_write(session)
    card = readable_card(session, actor, card_id)
    if card.status == "archived":
        raise Invalid("An archived card cannot be unverified.", code="card_archived")
    card.status = "unverified"
    card.version += 1
    card.updated_at, card.updated_by_id = now(), actor.id
    session.add(card)
    record_revision(session, card, author=actor, origin="api", origin_host=None,
                     note=f"Unverified by {actor.name}: {reason}")
    record(session, actor_id=actor.id, action="unverify", target_type="card", target_id=card.id, reason=reason)
    session.commit()
    return card


def list_revisions(session: Session, who: User | Access, card_id: int) -> list[CardRevision]:
    readable_card(session, who, card_id)
    return list(session.exec(
        select(CardRevision).where(CardRevision.card_id == card_id).order_by(CardRevision.version.desc())
    ))


def collections_by_id(session: Session, ids) -> dict[int, Collection]:
    ids = set(ids)
    return {c.id: c for c in session.exec(select(Collection).where(Collection.id.in_(ids)))} if ids else {}


def readable_collection_ids(session: Session, who: User | Access) -> list[int]:
    """The one filter point for reading: every search, suggestion, list and report goes
    through it (server/policies/access.py decides)."""
    return access_for(session, who).readable


def readable_collections(session: Session, who: User | Access) -> list[Collection]:
    """The collections `who` may read, by name (for lists and pickers)."""
    readable = readable_collection_ids(session, who)
    return list(session.exec(select(Collection).where(Collection.id.in_(readable)).order_by(Collection.name)))
