"""Which customer a conversation is with, and how that was decided.

In order of certainty: an exact email address, an address's domain (never a free-mail one), the
customer's name, then a known handle (a chat or social name, a phone number, or a help desk's
user id kept in external_ids as "zendesk:12345"). Vouch's own people and automatic senders
are never the customer, so their addresses, names and handles are dropped before matching,
and a customer the user may not read is not matched at all. The first match is the
conversation's customer; the others are offered in the sidebar as the customers it may be with."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
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
    matched_by: str  # "email" | "domain" | "name" | "handle" (or "chosen", by the person in the sidebar)
    identity: str = ""  # the address, domain, name or handle of the conversation that matched


@dataclass(frozen=True)
class Identities:
    """What a conversation says about who it is with, once Vouch's own people, automatic
    senders and free-mail domains are dropped: the only values ever matched."""

    addresses: list[str]
    domains: list[str]
    names: list[str]
    handles: list[str]


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


def identities(session: Session, *, emails: Sequence = (), names: Sequence = (), handles: Sequence = ()) -> Identities:
    """The conversation's addresses, domains, names and handles that may name a customer."""
    addresses = [e.lower() for e in _words(list(emails)) if "@" in e and not is_automatic_sender(e)]
    names, handles = _words(list(names)), _words(list(handles))
    ours, our_names = _vouch_people(session, addresses, [n.casefold() for n in names + handles])
    addresses = [a for a in addresses if a not in ours]
    return Identities(
        addresses=addresses,
        domains=[d for d in dict.fromkeys(a.rsplit("@", 1)[1] for a in addresses) if not is_free_mail(d)],
        names=[n for n in names if n.casefold() not in our_names],
        handles=[h for h in handles if h.casefold() not in our_names and h.lower() not in ours])


def _owned(session: Session, user: User, model, column, wanted: dict[str, str]) -> Iterator[tuple[int, str]]:
    """(customer id, identity) for each of `wanted` (kept value → what the conversation said)
    that a readable customer owns, in the conversation's order."""
    if not wanted:
        return
    owners = dict(session.exec(select(column, model.customer_id).where(
        column.in_(list(wanted)), readable_customers(user, model.customer_id))).all())
    yield from ((owners[value], said) for value, said in wanted.items() if value in owners)


def _by_name(session: Session, user: User, names: list[str]) -> Iterator[tuple[int, str]]:
    if not names:
        return
    folded = {n.casefold(): n for n in reversed(names)}  # the first spelling sent
    found = session.exec(select(Customer.id, Customer.name).where(
        func.lower(Customer.name).in_(list(folded)), readable_customers(user)).order_by(Customer.id)).all()
    for name in dict.fromkeys(n.casefold() for n in names):  # the oldest of namesakes first
        yield from ((customer_id, folded[name]) for customer_id, named in found if named.casefold() == name)


def _by_external_id(session: Session, user: User, handles: list[str]) -> Iterator[tuple[int, str]]:
    for handle in handles:
        found = _EXTERNAL.match(handle.strip())
        if found:
            key, value = found.groups()
            yield from ((customer_id, handle) for customer_id in session.exec(select(Customer.id).where(
                Customer.external_ids[key].as_string() == value, readable_customers(user)).order_by(Customer.id)))


def conversation_matches(session: Session, *, user: User, emails: Sequence = (), names: Sequence = (),
                         handles: Sequence = ()) -> Iterator[Match]:
    """Every customer `user` reads that the conversation points to, each once, most certain
    first: by exact address, domain, name, then handle. Lazy, so the first costs the least."""
    sent = identities(session, emails=emails, names=names, handles=handles)
    cleaned = {}
    for handle in sent.handles:
        cleaned.setdefault(clean_handle(handle), handle)
    found = (("email", lambda: _owned(session, user, CustomerEmail, CustomerEmail.email,
                                      {a: a for a in sent.addresses})),
             ("domain", lambda: _owned(session, user, CustomerDomain, CustomerDomain.domain,
                                       {d: d for d in sent.domains})),
             ("name", lambda: _by_name(session, user, sent.names)),
             ("handle", lambda: _owned(session, user, CustomerHandle, CustomerHandle.handle, cleaned)),
             ("handle", lambda: _by_external_id(session, user, sent.handles)))
    seen: set[int] = set()
    for how, find in found:
        for customer_id, identity in find():
            if customer_id not in seen:
                seen.add(customer_id)
                yield Match(session.get(Customer, customer_id), how, identity)


def match_conversation(session: Session, *, user: User, emails: Sequence = (), names: Sequence = (),
                       handles: Sequence = ()) -> Match | None:
    """The customer the conversation is with among those `user` reads, and how it was found."""
    return next(conversation_matches(session, user=user, emails=emails, names=names, handles=handles), None)
