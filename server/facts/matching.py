"""Which customer a conversation is with, and how that was decided.

In order of certainty: an exact email address, an address's domain (never a free-mail one), the
customer's name, then a known handle (a chat or social name, a phone number, or a help desk's
user id kept in external_ids as "zendesk:12345"). Vouch's own people and automatic senders
are never the customer, so their addresses, names and handles are dropped before matching,
and a customer the user may not read is not matched at all."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, or_, select

from server.accounts.models import User
from server.facts.free_mail import is_automatic_sender, is_free_mail
from server.facts.models import Customer, CustomerDomain, CustomerEmail, CustomerHandle
from server.policies.facts import readable_customers

MAX_SENT = 50  # addresses, names or handles looked at per conversation
MAX_HANDLE = 200
_PHONE = re.compile(r"^\+?[\d\s().-]{6,40}$")
_EXTERNAL = re.compile(r"^([a-z][a-z0-9_-]{0,39}):(\S{1,200})$")


@dataclass(frozen=True)
class Match:
    customer: Customer
    matched_by: str  # "email" | "domain" | "name" | "handle"


def clean_handle(value: str) -> str:
    """How a handle is kept and compared: a phone number as its digits (with a leading +),
    anything else case-folded with its spaces collapsed and a leading @ dropped."""
    value = " ".join(str(value).split())
    if _PHONE.match(value) and sum(c.isdigit() for c in value) >= 6:
        return ("+" if value.startswith("+") else "") + "".join(c for c in value if c.isdigit())
    return value.lstrip("@").casefold()[:MAX_HANDLE]


def _words(values: Sequence, limit: int = MAX_SENT) -> list[str]:
    return list(dict.fromkeys(" ".join(v.split()) for v in values[:limit] if isinstance(v, str) and v.strip()))


def _vouch_people(session: Session, emails: list[str], names: list[str]) -> tuple[set[str], set[str]]:
    """Which of these addresses and names (case-folded) are Vouch users': the agents themselves."""
    if not emails and not names:
        return set(), set()
    people = session.exec(select(User.email, User.name).where(or_(
        func.lower(User.email).in_(emails or [""]), func.lower(User.name).in_(names or [""])))).all()
    return {e.lower() for e, _ in people}, {n.casefold() for _, n in people} | {e.lower() for e, _ in people}


def _first_owned(session: Session, user: User, model, column, wanted: list[str]) -> Customer | None:
    if not wanted:
        return None
    owners = dict(session.exec(select(column, model.customer_id).where(
        column.in_(wanted), readable_customers(user, model.customer_id))).all())
    for value in wanted:  # the conversation's first one wins
        if value in owners:
            return session.get(Customer, owners[value])
    return None


def _by_name(session: Session, user: User, names: list[str]) -> Customer | None:
    if not names:
        return None
    folded = [n.casefold() for n in names]
    found = session.exec(select(Customer).where(func.lower(Customer.name).in_(folded),
                                                readable_customers(user)).order_by(Customer.id)).all()
    by_name = {c.name.casefold(): c for c in reversed(found)}  # the oldest of namesakes
    return next((by_name[n] for n in folded if n in by_name), None)


def _by_external_id(session: Session, user: User, handles: list[str]) -> Customer | None:
    for handle in handles:
        found = _EXTERNAL.match(handle.strip())
        if found:
            key, value = found.groups()
            customer = session.exec(select(Customer).where(
                Customer.external_ids[key].as_string() == value, readable_customers(user))
                .order_by(Customer.id)).first()
            if customer:
                return customer
    return None


def match_conversation(session: Session, *, user: User, emails: Sequence = (), names: Sequence = (),
                       handles: Sequence = ()) -> Match | None:
    """The customer the conversation is with among those `user` reads, and how it was found."""
    addresses = [e.lower() for e in _words(list(emails)) if "@" in e and not is_automatic_sender(e)]
    names, handles = _words(list(names)), _words(list(handles))
    ours, our_names = _vouch_people(session, addresses, [n.casefold() for n in names + handles])
    addresses = [a for a in addresses if a not in ours]
    names = [n for n in names if n.casefold() not in our_names]
    handles = [h for h in handles if h.casefold() not in our_names and h.lower() not in ours]
    domains = [d for d in dict.fromkeys(a.rsplit("@", 1)[1] for a in addresses) if not is_free_mail(d)]
    for how, find in (("email", lambda: _first_owned(session, user, CustomerEmail, CustomerEmail.email, addresses)),
                      ("domain", lambda: _first_owned(session, user, CustomerDomain, CustomerDomain.domain, domains)),
                      ("name", lambda: _by_name(session, user, names)),
                      ("handle", lambda: _first_owned(session, user, CustomerHandle, CustomerHandle.handle,
                                                      list(dict.fromkeys(clean_handle(h) for h in handles)))
                       or _by_external_id(session, user, handles))):
        customer = find()
        if customer is not None:
            return Match(customer, how)
    return None
