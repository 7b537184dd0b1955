"""A whole install as files: `vouch export FOLDER` and the web app's install zip.

The layout is the content folder's (docs/content-format.md), so the files read like the
starter content, with everything an install holds about its content added: each card's
state, dates, triggers, flags, snoozes and full history; collections' settings and access
lists; users
(never a password or token) and groups; customers, the groups a restricted one is read by,
and their facts with their dates.
People, groups and collections are named by email, name and slug, never by database id,
so `install_import` can load the files into another install and an export of that install
is the same files, byte for byte."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlmodel import Session, select

from server.accounts.models import Group, GroupMember, User
from server.cards.models import Card, CardRevision, Collection, CollectionGrant
from server.content.files import render_document, render_yaml
from server.facts.models import Customer, CustomerAccess, CustomerDomain, CustomerEmail, CustomerHandle, QuickFact
from server.triggers.models import Trigger
from server.verification.models import Flag, Snooze

MANIFEST = "vouch-install.yaml"
FORMAT = "vouch-install"
VERSION = 1


class Names:
    """Emails of users and names of groups by id: how the files name them."""

    def __init__(self, session: Session):
        self.users = dict(session.exec(select(User.id, User.email)).all())
        self.groups = dict(session.exec(select(Group.id, Group.name)).all())

    def user(self, user_id: int | None) -> str | None:
        return self.users.get(user_id) if user_id is not None else None


def card_meta(card: Card, names: Names) -> dict:
    """What a card file says of the card itself (the part `vouch import` of one collection reads)."""
    meta: dict = {"title": card.title, "tags": list(card.tags), "language": card.language, "status": card.status,
                  "interval_days": card.interval_days}
    if card.verifier_group_id is not None:
        meta["verifier_group"] = names.groups.get(card.verifier_group_id)
    elif card.verifier_id is not None:
        meta["verifier"] = names.user(card.verifier_id)
    return meta


def _revision(revision: CardRevision, names: Names) -> dict:
    return {"version": revision.version, "status": revision.status, "author": names.user(revision.author_id),
            "created_at": revision.created_at, "origin": revision.origin, "origin_host": revision.origin_host,
            "note": revision.note, "title": revision.title, "tags": list(revision.tags), "body": revision.body}


def _trigger(trigger: Trigger, names: Names) -> dict:
    return {"kind": trigger.kind, "pattern": trigger.pattern, "created_by": names.user(trigger.created_by_id),
            "created_at": trigger.created_at, "hits": trigger.hits}


def _flag(flag: Flag, names: Names) -> dict:
    return {"kind": flag.kind, "reason": flag.reason, "raised_by": names.user(flag.raised_by_id),
            "created_at": flag.created_at, "status": flag.status, "resolution": flag.resolution, "fixed": flag.fixed,
            "resolved_by": names.user(flag.resolved_by_id), "resolved_at": flag.resolved_at}


class _CardParts:
    """A collection's revisions, triggers, flags and snoozes, read in four queries, not four per card."""

    def __init__(self, session: Session, collection_id: int):
        ids = select(Card.id).where(Card.collection_id == collection_id)
        self.revisions, self.triggers, self.flags, self.snoozes = (defaultdict(list) for _ in range(4))
        for model, into, order in ((CardRevision, self.revisions, CardRevision.version),
                                   (Trigger, self.triggers, Trigger.id), (Flag, self.flags, Flag.id),
                                   (Snooze, self.snoozes, Snooze.id)):
            for row in session.exec(select(model).where(model.card_id.in_(ids)).order_by(model.card_id, order)):
                into[row.card_id].append(row)


def card_record(card: Card, names: Names, parts: _CardParts) -> dict:
    """Everything the install holds about a card, for its file in an install export."""
    meta = card_meta(card, names)
    meta.update({
        "assignee": names.user(card.assignee_id), "verified_at": card.verified_at,
        "verified_by": names.user(card.verified_by_id), "verify_due_at": card.verify_due_at, "version": card.version,
        "created_at": card.created_at, "created_by": names.user(card.created_by_id), "updated_at": card.updated_at,
        "updated_by": names.user(card.updated_by_id),
        "triggers": [_trigger(t, names) for t in parts.triggers[card.id]],
        "flags": [_flag(f, names) for f in parts.flags[card.id]],
        "snoozes": [{"user": names.user(s.user_id), "until": s.until}
                    for s in sorted(parts.snoozes[card.id], key=lambda s: names.user(s.user_id) or "")],
        "history": [_revision(r, names) for r in parts.revisions[card.id]],
    })
    return meta


def _users(session: Session) -> list[dict]:
    return [{"email": u.email, "name": u.name, "role": u.role, "active": u.active, "digest": u.digest,
             "created_at": u.created_at} for u in session.exec(select(User).order_by(User.email))]


def _groups(session: Session, names: Names) -> list[dict]:
    members = defaultdict(list)
    for group_id, user_id in session.exec(select(GroupMember.group_id, GroupMember.user_id)):
        members[group_id].append(names.user(user_id))
    return [{"name": g.name, "created_at": g.created_at, "members": sorted(members[g.id])}
            for g in session.exec(select(Group).order_by(Group.name))]


def _collection(session: Session, collection: Collection, names: Names) -> dict:
    """Its settings, and who may read it: restricted or open, and its access list."""
    grants = session.exec(select(CollectionGrant).where(CollectionGrant.collection_id == collection.id))
    access = [{"user": names.user(g.user_id), "role": g.role} if g.user_id is not None
              else {"group": names.groups.get(g.group_id), "role": g.role} for g in grants]
    return {"name": collection.name, "description": collection.description,
            "default_verifier": names.user(collection.default_verifier_id),
            "interval_days": collection.default_interval_days, "created_at": collection.created_at,
            "restricted": collection.restricted,
            "access": sorted(access, key=lambda a: (a.get("user") or "", a.get("group") or "", a["role"]))}


def _customer(session: Session, customer: Customer, names: Names) -> dict:
    facts = session.exec(select(QuickFact).where(QuickFact.customer_id == customer.id).order_by(QuickFact.id))
    return {
        "name": customer.name,
        "emails": sorted(session.exec(select(CustomerEmail.email).where(CustomerEmail.customer_id == customer.id))),
        "domains": sorted(session.exec(select(CustomerDomain.domain)
                                       .where(CustomerDomain.customer_id == customer.id))),
        # Only when there are some, so an install without handles exports as it always did.
        **({"handles": handles} if (handles := sorted(session.exec(
            select(CustomerHandle.handle).where(CustomerHandle.customer_id == customer.id)))) else {}),
        "external_ids": dict(sorted(customer.external_ids.items())), "created_at": customer.created_at,
        "version": customer.version,
        "restricted_to": sorted(names.groups[g] for g in session.exec(
            select(CustomerAccess.group_id).where(CustomerAccess.customer_id == customer.id))),
        "facts": [{"text": f.text, "author": names.user(f.author_id), "pinned": f.pinned, "remind_at": f.remind_at,
                   "expires_at": f.expires_at, "version": f.version, "created_at": f.created_at,
                   "updated_at": f.updated_at, "updated_by": names.user(f.updated_by_id),
                   "confirmed_at": f.confirmed_at, "confirmed_by": names.user(f.confirmed_by_id)} for f in facts],
    }


def install_documents(session: Session) -> Iterator[tuple[str, str]]:
    """(relative file name, text) for every file of the install's export, in a stable order."""
    names = Names(session)
    yield MANIFEST, render_yaml({"format": FORMAT, "version": VERSION})
    yield "users.yaml", render_yaml(_users(session))
    yield "groups.yaml", render_yaml(_groups(session, names))
    collections = session.exec(select(Collection).order_by(Collection.slug)).all()
    for collection in collections:
        yield f"collections/{collection.slug}.yaml", render_yaml(_collection(session, collection, names))
    for collection in collections:
        parts = _CardParts(session, collection.id)
        for card in session.exec(select(Card).where(Card.collection_id == collection.id).order_by(Card.slug)):
            yield (f"cards/{collection.slug}/{card.slug}.md",
                   render_document(card_record(card, names, parts), card.body))
    for customer in session.exec(select(Customer).order_by(Customer.slug)):
        yield f"customers/{customer.slug}.md", render_document(_customer(session, customer, names), customer.notes)
