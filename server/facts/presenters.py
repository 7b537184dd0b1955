"""Exactly which customer and quick-fact fields leave the server."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from server.accounts.models import User
from server.accounts.service import users_by_id
from server.facts.models import Customer, QuickFact
from server.facts.restriction import restricted_to_names_by_customer
from server.facts.service import (domains_by_customer, emails_by_customer, handles_by_customer, is_expired, is_stale,
                                  readable_among)
from server.markdown import render_markdown
from server.policies.facts import can_delete_fact, can_edit_fact
from server.presenting import timestamp, user_summary


def present_customer(session: Session, customer: Customer | None) -> dict | None:
    """A customer the viewer reads (the service decided), or None for none."""
    return None if customer is None else present_customers(session, [customer])[0]


def present_customers(session: Session, customers: Sequence[Customer]) -> list[dict]:
    """Customers the viewer reads, in order; `restricted_to` names the groups that alone read
    each, empty for one open to every member. One query per kind of detail, however many."""
    ids = [c.id for c in customers]
    emails, domains = emails_by_customer(session, ids), domains_by_customer(session, ids)
    handles, restricted = handles_by_customer(session, ids), restricted_to_names_by_customer(session, ids)
    return [{
        "id": c.id,
        "name": c.name,
        "emails": emails[c.id],
        "domains": domains[c.id],
        "handles": handles[c.id],
        "notes": c.notes,
        "version": c.version,
        "external_ids": dict(c.external_ids or {}),
        "restricted_to": restricted[c.id],
    } for c in customers]


def present_facts(session: Session, facts: list[QuickFact], viewer: User, *, stale_days: int) -> list[dict]:
    """`stale_days` (VOUCH_FACT_STALE_DAYS): how long since its last confirmation a fact may be stale."""
    authors = users_by_id(session, [f.author_id for f in facts] + [f.confirmed_by_id for f in facts])
    readable = readable_among(session, viewer, [f.customer_id for f in facts])
    return [{
        "id": f.id,
        "customer_id": f.customer_id,
        "text": f.text,
        "html": render_markdown(f.text),
        "pinned": f.pinned,
        "remind_at": timestamp(f.remind_at),
        "expires_at": timestamp(f.expires_at),
        "expired": is_expired(f),
        "author": user_summary(authors.get(f.author_id)),
        "confirmed_at": timestamp(f.confirmed_at),
        "confirmed_by": user_summary(authors.get(f.confirmed_by_id)),
        "stale": is_stale(f, stale_days),
        "version": f.version,
        "created_at": timestamp(f.created_at),
        "updated_at": timestamp(f.updated_at),
        "can": {"edit": can_edit_fact(viewer, reads_customer=f.customer_id in readable),
                "delete": can_delete_fact(viewer, f, reads_customer=f.customer_id in readable)},
    } for f in facts]
