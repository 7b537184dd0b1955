"""Creating and editing collections (admins): slug, name, description, default verifier and
default verification interval, which new cards in the collection start with."""

from __future__ import annotations

import re

from sqlmodel import Session, func, select

from server.accounts.models import User
from server.audit.service import record
from server.cards.access_lists import check_owned
from server.cards.handover import hand_over_unreadable
from server.cards.models import Collection
from server.cards.service import check_interval
from server.db import begin_write
from server.errors import Conflict, Invalid, NotFound
from server.policies.accounts import require_admin
from server.text import required_line

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
MAX_NAME = 200
MAX_DESCRIPTION = 2000


def clean_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if not SLUG.match(slug) or "--" in slug:
        raise Invalid("A slug is 1 to 100 lower-case letters, digits and single hyphens, e.g. 'billing-faq'.",
                      code="invalid_slug")
    return slug


def _clean_name(name: str) -> str:
    problem = f"A collection needs a name of at most {MAX_NAME} characters."
    return required_line(name, max_chars=MAX_NAME, code="invalid_name", missing=problem, too_long=problem)


def _clean_description(description: str) -> str:
    description = (description or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Invalid(f"A description can be at most {MAX_DESCRIPTION} characters.", code="invalid_description")
    return description


def _verifier(session: Session, user_id: int | None) -> int | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise Invalid("The default verifier must be an active user.", code="invalid_verifier")
    return user.id


def list_collections(session: Session) -> list[Collection]:
    return list(session.exec(select(Collection).order_by(func.lower(Collection.name), Collection.id)))


def collection_by_id(session: Session, collection_id: int) -> Collection:
    collection = session.get(Collection, collection_id)
    if collection is None:
        raise NotFound(f"There is no collection {collection_id}.")
    return collection


def create_collection(session: Session, *, actor: User, slug: str, name: str, description: str = "",
                      default_verifier_id: int | None = None, default_interval_days: int | None = 90) -> Collection:
    require_admin(actor)
    slug, name, description = clean_slug(slug), _clean_name(name), _clean_description(description)
    interval = check_interval(default_interval_days)
    begin_write(session)
    if session.exec(select(Collection.id).where(Collection.slug == slug)).first() is not None:
        raise Conflict(f"A collection with the slug '{slug}' exists already.", code="collection_exists")
    collection = Collection(slug=slug, name=name, description=description,
                            default_verifier_id=_verifier(session, default_verifier_id),
                            default_interval_days=interval)
    session.add(collection)
    session.flush()
    if interval is None:
        # The ORM reads None on insert as "use the column default" (90 days): write "never" afterwards.
        collection.default_interval_days = None
        session.flush()
    record(session, actor_id=actor.id, action="collection_created", target_type="collection",
           target_id=collection.id, slug=slug)
    session.commit()
    return collection


def update_collection(session: Session, *, actor: User, collection_id: int, name: str, description: str,
                      default_verifier_id: int | None, default_interval_days: int | None) -> Collection:
    """The slug stays: it is in exported files and links. Existing cards keep their own
    verifier and interval; the defaults apply to cards created from now on."""
    require_admin(actor)
    name, description = _clean_name(name), _clean_description(description)
    interval = check_interval(default_interval_days)
    begin_write(session)
    collection = collection_by_id(session, collection_id)
    verifier = _verifier(session, default_verifier_id)
    before = {"name": collection.name, "default_verifier_id": collection.default_verifier_id,
              "default_interval_days": collection.default_interval_days}
    collection.name, collection.description = name, description
    collection.default_verifier_id, collection.default_interval_days = verifier, interval
    session.add(collection)
    record(session, actor_id=actor.id, action="collection_updated", target_type="collection",
           target_id=collection.id, before=before)
    if before["default_verifier_id"] != verifier and collection.restricted:
        # The old default verifier owned it only as such: they may no longer read it.
        check_owned(session, collection, f"“{collection.name}” is restricted: it needs a default verifier or "
                                         "someone granted 'own' on its access list.")
        hand_over_unreadable(session, actor=actor, collection_ids=[collection.id])
    session.commit()
    return collection
