"""Exactly which customer and quick-fact fields leave the server."""

from __future__ import annotations

from sqlmodel import Session

from server.accounts.models import User
from server.accounts.service import users_by_id
from server.facts.models import Customer, QuickFact
from server.facts.service import customer_domains, customer_emails, is_expired
from server.markdown import render_markdown
from server.policies.facts import can_delete_fact, can_edit_fact
from server.presenting import timestamp, user_summary


def present_customer(session: Session, customer: Customer | None) -> dict | None:
    if customer is None:
        return None
    return {
        "id": customer.id,
        "name": customer.name,
        "emails": customer_emails(session, customer.id),
        "domains": customer_domains(session, customer.id),
        "external_ids": dict(customer.external_ids or {}),
    }


def present_facts(session: Session, facts: list[QuickFact], viewer: User) -> list[dict]:
    authors = users_by_id(session, [f.author_id for f in facts])
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
        "version": f.version,
        "created_at": timestamp(f.created_at),
        "updated_at": timestamp(f.updated_at),
        "can": {"edit": can_edit_fact(viewer), "delete": can_delete_fact(viewer, f)},
    } for f in facts]
