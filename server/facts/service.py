"""Customers and their quick facts: matching a conversation to a customer, and fact rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session, or_, select

from server.accounts.models import User
from server.accounts.service import group_ids_of
from server.audit.service import record
from server.clock import now
from server.db import begin_write
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.facts.models import (Customer, CustomerAccess, CustomerDomain, CustomerEmail, CustomerHandle,
                                 QuickFact)
from server.policies.facts import can_delete_fact, can_edit_fact, may_read_customer, readable_customers

MAX_FACT = 2000
MAX_EMAILS = 50


def get_customer(session: Session, customer_id: int) -> Customer:
    """Any customer, for code that acts for no one in particular or for an admin managing who
    reads it; code that shows a customer to a person asks readable_customer."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"There is no customer {customer_id}.")
    return customer


def restricted_to(session: Session, customer_id: int) -> set[int]:
    """The groups that alone read the customer; none: every member does."""
    return set(session.exec(select(CustomerAccess.group_id).where(CustomerAccess.customer_id == customer_id)))


def reads_customer(session: Session, user: User, customer_id: int) -> bool:
    return may_read_customer(user, restricted_to(session, customer_id), group_ids_of(session, user))


def readable_customer(session: Session, user: User, customer_id: int) -> Customer:
    """The customer, if `user` may read it; else the same 404 as a customer that does not exist."""
    customer = session.get(Customer, customer_id)
    if customer is None or not reads_customer(session, user, customer.id):
        raise NotFound(f"There is no customer {customer_id}.")
    return customer


def readable_among(session: Session, user: User, customer_ids) -> set[int]:
    """Which of `customer_ids` `user` may read, in one query."""
    ids = {i for i in customer_ids if i is not None}
    if not ids:
        return set()
    return set(session.exec(select(Customer.id).where(Customer.id.in_(ids), readable_customers(user))))


def _sorted_by_customer(session: Session, column, customer_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each customer's values of `column` (an address, domain or handle), sorted, in one
    query however many customers: a list of customers costs no query per customer."""
    found: dict[int, list[str]] = {i: [] for i in customer_ids}
    if found:
        owner = column.class_.customer_id
        for customer_id, value in session.exec(select(owner, column).where(owner.in_(found)).order_by(column)):
            found[customer_id].append(value)
    return found


def emails_by_customer(session: Session, customer_ids: Sequence[int]) -> dict[int, list[str]]:
    return _sorted_by_customer(session, CustomerEmail.email, customer_ids)


def handles_by_customer(session: Session, customer_ids: Sequence[int]) -> dict[int, list[str]]:
    return _sorted_by_customer(session, CustomerHandle.handle, customer_ids)


def domains_by_customer(session: Session, customer_ids: Sequence[int]) -> dict[int, list[str]]:
    return _sorted_by_customer(session, CustomerDomain.domain, customer_ids)


def customer_emails(session: Session, customer_id: int) -> list[str]:
    return emails_by_customer(session, [customer_id])[customer_id]


def customer_handles(session: Session, customer_id: int) -> list[str]:
    return handles_by_customer(session, [customer_id])[customer_id]


def customer_domains(session: Session, customer_id: int) -> list[str]:
    return domains_by_customer(session, [customer_id])[customer_id]


def match_customer(session: Session, emails: Sequence[str], *, user: User) -> Customer | None:
    """The customer a conversation's addresses point to among those `user` reads (see
    server/facts/matching.py, which also matches by name and handle)."""
    from server.facts.matching import match_conversation

    found = match_conversation(session, user=user, emails=emails)
    return found.customer if found else None


def find_customers(session: Session, text: str, limit: int = 50, *, user: User) -> list[Customer]:
    """Customers `user` may read whose name, address or domain holds `text`, by name."""
    text = (text or "").strip().lower()[:200]
    query = select(Customer).where(readable_customers(user)).order_by(Customer.name).limit(limit)
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        by_email = select(CustomerEmail.customer_id).where(CustomerEmail.email.like(pattern))
        by_domain = select(CustomerDomain.customer_id).where(CustomerDomain.domain.like(pattern))
        query = query.where(or_(Customer.name.ilike(pattern), Customer.id.in_(by_email), Customer.id.in_(by_domain)))
    return list(session.exec(query))


def is_expired(fact: QuickFact) -> bool:
    return fact.expires_at is not None and fact.expires_at <= now()


def is_stale(fact: QuickFact, stale_days: int) -> bool:
    """Nobody has said the fact still holds for `stale_days` (VOUCH_FACT_STALE_DAYS): it may be stale."""
    confirmed = fact.confirmed_at or fact.updated_at
    if confirmed.tzinfo is None:  # SQLite may hand back naive UTC
        confirmed = confirmed.replace(tzinfo=timezone.utc)
    return confirmed <= now() - timedelta(days=stale_days)


def list_facts(session: Session, customer_id: int, *, user: User) -> list[QuickFact]:
    """Pinned first, then newest; expired facts stay listed (marked) so nothing silently vanishes."""
    readable_customer(session, user, customer_id)
    facts = session.exec(select(QuickFact).where(QuickFact.customer_id == customer_id)).all()
    return sorted(facts, key=lambda f: (not f.pinned, is_expired(f), -f.updated_at.timestamp(), -f.id))


def _clean_text(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
    if not text:
        raise Invalid("A quick fact needs some text.", code="invalid_text")
    if len(text) > MAX_FACT:
        raise Invalid(f"A quick fact can be at most {MAX_FACT} characters.", code="invalid_text")
    return text


def add_fact(session: Session, *, actor: User, customer_id: int, text: str, pinned: bool = False,
             remind_at: date | None = None, expires_at: datetime | None = None) -> QuickFact:
    text = _clean_text(text)
    begin_write(session)
    readable_customer(session, actor, customer_id)
    fact = QuickFact(customer_id=customer_id, text=text, pinned=pinned, author_id=actor.id,
                     remind_at=remind_at, expires_at=expires_at, updated_by_id=actor.id,
                     confirmed_at=now(), confirmed_by_id=actor.id)
    session.add(fact)
    session.flush()
    record(session, actor_id=actor.id, action="create", target_type="fact", target_id=fact.id,
           customer_id=customer_id, after=_audited(fact))
    session.commit()
    return fact


def _audited(fact: QuickFact) -> dict:
    """What the audit log keeps of a fact, before or after a change."""
    return {"text": fact.text, "pinned": fact.pinned, "remind_at": fact.remind_at and fact.remind_at.isoformat(),
            "expires_at": fact.expires_at and fact.expires_at.isoformat()}


def readable_fact(session: Session, user: User, fact_id: int, *, lock: bool = False) -> QuickFact:
    """The fact, if `user` may read its customer; else the same 404 as a fact that does not exist."""
    statement = select(QuickFact).where(QuickFact.id == fact_id)
    fact = session.exec(statement.with_for_update() if lock else statement).first()
    if fact is None or not reads_customer(session, user, fact.customer_id):
        raise NotFound(f"There is no quick fact {fact_id}.")
    return fact


_UNSET = object()


def update_fact(session: Session, *, actor: User, fact_id: int, expected_version: int, text: str | None = None,
                pinned: bool | None = None, remind_at=_UNSET, expires_at=_UNSET) -> QuickFact:
    """Facts are the team's shared notes: anyone may fix one, but never over a newer edit. Saving
    its text confirms it too; changing only its pin or dates does not."""
    text = _clean_text(text) if text is not None else None
    begin_write(session)
    fact = readable_fact(session, actor, fact_id, lock=True)
    if not can_edit_fact(actor, reads_customer=True):
        raise Forbidden("You may not change quick facts.")
    if fact.version != expected_version:
        raise Conflict("This quick fact changed since you opened it.", code="fact_conflict",
                       detail={"current": fact, "your_version": expected_version})
    before = _audited(fact)
    if text is not None:
        fact.text = text
        fact.confirmed_at, fact.confirmed_by_id = now(), actor.id
    if pinned is not None:
        fact.pinned = pinned
    if remind_at is not _UNSET:
        fact.remind_at = remind_at
    if expires_at is not _UNSET:
        fact.expires_at = expires_at
    fact.version += 1
    fact.updated_at, fact.updated_by_id = now(), actor.id
    session.add(fact)
    after = _audited(fact)
    record(session, actor_id=actor.id, action="edit", target_type="fact", target_id=fact.id,
           customer_id=fact.customer_id, before={k: v for k, v in before.items() if after[k] != v},
           after={k: v for k, v in after.items() if before[k] != v})
    session.commit()
    return fact


def confirm_fact(session: Session, *, actor: User, fact_id: int, expected_version: int | None = None) -> QuickFact:
    """`actor` says the fact still holds as it is. Its version stays: a confirmation changes no
    words, so it never turns someone's open edit into a conflict. `expected_version`, when
    given, must be the current one, so nobody confirms a text they have not seen."""
    begin_write(session)
    fact = readable_fact(session, actor, fact_id, lock=True)
    if not can_edit_fact(actor, reads_customer=True):
        raise Forbidden("You may not confirm quick facts.")
    if expected_version is not None and fact.version != expected_version:
        raise Conflict("This quick fact changed since you opened it.", code="fact_conflict",
                       detail={"current": fact, "your_version": expected_version})
    before = fact.confirmed_at and fact.confirmed_at.isoformat()
    fact.confirmed_at, fact.confirmed_by_id = now(), actor.id
    session.add(fact)
    record(session, actor_id=actor.id, action="confirm", target_type="fact", target_id=fact.id,
           customer_id=fact.customer_id, before={"confirmed_at": before},
           after={"confirmed_at": fact.confirmed_at.isoformat()})
    session.commit()
    return fact


def delete_fact(session: Session, *, actor: User, fact_id: int) -> None:
    begin_write(session)
    fact = readable_fact(session, actor, fact_id)
    if not can_delete_fact(actor, fact, reads_customer=True):
        raise Forbidden("Only the fact's author or an admin can delete it.")
    record(session, actor_id=actor.id, action="delete", target_type="fact", target_id=fact.id,
           customer_id=fact.customer_id, before=_audited(fact))
    session.delete(fact)
    session.commit()
