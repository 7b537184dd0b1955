"""Creating a customer and changing its name, email addresses and domains.

The addresses and domains are how a conversation finds its customer, so each belongs to one
customer only, and a malformed one is refused rather than stored where it can never match."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlmodel import Session, delete, select

from server.accounts.models import User
from server.audit.service import record
from server.cards.slugs import slugify
from server.db import begin_write
from server.errors import Conflict, Forbidden, Invalid
from server.facts.models import Customer, CustomerAccess, CustomerDomain, CustomerEmail, QuickFact
from server.facts.service import MAX_EMAILS, readable_customer, reads_customer
from server.policies.facts import can_delete_customer
from server.triggers.models import Trigger
from server.text import required_line

MAX_NAME = 200
MAX_DOMAINS = 50
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+[a-z]{{2,63}}$")
_LOCAL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")


def clean_name(name: str) -> str:
    return required_line(name, max_chars=MAX_NAME, code="invalid_name", missing="A customer needs a name.",
                         too_long=f"A customer's name can be at most {MAX_NAME} characters.")


def clean_domain(value: str) -> str:
    domain = value.strip().lower().rstrip(".")
    if domain.startswith("@"):
        domain = domain[1:]
    if len(domain) > 253 or not _DOMAIN.match(domain):
        raise Invalid(f"“{value.strip()[:100]}” is not a domain name such as example.com.", code="invalid_domain")
    return domain


def clean_email(value: str) -> str:
    address = value.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not _LOCAL.match(local) or ".." in local or len(address) > 320:
        raise Invalid(f"“{value.strip()[:100]}” is not an email address such as name@example.com.",
                      code="invalid_email")
    try:
        return f"{local}@{clean_domain(domain)}"
    except Invalid:
        raise Invalid(f"“{value.strip()[:100]}” is not an email address such as name@example.com.",
                      code="invalid_email") from None


def _clean_all(values: Sequence[str], clean, limit: int, what: str) -> list[str]:
    cleaned = list(dict.fromkeys(clean(v) for v in values if v and v.strip()))
    if len(cleaned) > limit:
        raise Invalid(f"A customer can have at most {limit} {what}.", code=f"too_many_{what.replace(' ', '_')}")
    return cleaned


def _check_owners(session: Session, actor: User, customer_id: int | None, emails: list[str],
                  domains: list[str]) -> None:
    """An address or domain already matching another customer would make matching ambiguous.
    A customer the actor may not read is not named: that it exists is all they learn."""
    for model, column, values, what in ((CustomerEmail, CustomerEmail.email, emails, "email address"),
                                        (CustomerDomain, CustomerDomain.domain, domains, "domain")):
        if not values:
            continue
        for row in session.exec(select(model).where(column.in_(values))):
            if row.customer_id != customer_id:
                shown = reads_customer(session, actor, row.customer_id)
                owner = session.get(Customer, row.customer_id) if shown else None
                value = row.email if model is CustomerEmail else row.domain
                raise Invalid(f"The {what} {value} belongs to {owner.name if owner else 'another customer'} "
                              "already; " + ("remove it there first." if owner else "ask an admin about it."),
                              code="customer_taken", detail={"customer_id": row.customer_id} if owner else {})


def _unique_slug(session: Session, name: str) -> str:
    base = slugify(name)
    slug, n = base, 1
    while session.exec(select(Customer.id).where(Customer.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _replace_addresses(session: Session, customer_id: int, emails: list[str], domains: list[str]) -> None:
    for row in session.exec(select(CustomerEmail).where(CustomerEmail.customer_id == customer_id)):
        if row.email not in emails:
            session.delete(row)
    for row in session.exec(select(CustomerDomain).where(CustomerDomain.customer_id == customer_id)):
        if row.domain not in domains:
            session.delete(row)
    session.flush()
    for email in emails:
        if session.get(CustomerEmail, email) is None:
            session.add(CustomerEmail(email=email, customer_id=customer_id))
    for domain in domains:
        if session.get(CustomerDomain, domain) is None:
            session.add(CustomerDomain(domain=domain, customer_id=customer_id))


def create_customer(session: Session, *, actor: User, name: str, emails: Sequence[str] = (),
                    domains: Sequence[str] = ()) -> Customer:
    name = clean_name(name)
    emails = _clean_all(emails, clean_email, MAX_EMAILS, "email addresses")
    domains = _clean_all(domains, clean_domain, MAX_DOMAINS, "domains")
    begin_write(session)
    _check_owners(session, actor, None, emails, domains)
    customer = Customer(slug=_unique_slug(session, name), name=name)
    session.add(customer)
    session.flush()
    _replace_addresses(session, customer.id, emails, domains)
    record(session, actor_id=actor.id, action="create", target_type="customer", target_id=customer.id)
    session.commit()
    return customer


def update_customer(session: Session, *, actor: User, customer_id: int, name: str, emails: Sequence[str],
                    domains: Sequence[str], expected_version: int) -> Customer:
    """Set the name and the full lists of addresses and domains (what the edit form shows),
    if nobody saved the customer since `expected_version` (else Conflict, nothing changed)."""
    name = clean_name(name)
    emails = _clean_all(emails, clean_email, MAX_EMAILS, "email addresses")
    domains = _clean_all(domains, clean_domain, MAX_DOMAINS, "domains")
    begin_write(session)
    customer = readable_customer(session, actor, customer_id)
    if customer.version != expected_version:
        raise Conflict("Someone saved this customer while you were editing it.", code="customer_conflict",
                       detail={"current": customer, "your_version": expected_version})
    _check_owners(session, actor, customer.id, emails, domains)
    customer.name = name
    customer.version += 1
    session.add(customer)
    _replace_addresses(session, customer.id, emails, domains)
    record(session, actor_id=actor.id, action="edit", target_type="customer", target_id=customer.id)
    session.commit()
    return customer


def customer_addresses(session: Session, customer_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Each customer's email addresses and domains in two queries, for a list page."""
    found: dict[int, dict[str, list[str]]] = {i: {"emails": [], "domains": []} for i in customer_ids}
    if not found:
        return found
    for row in session.exec(select(CustomerEmail).where(CustomerEmail.customer_id.in_(found))
                            .order_by(CustomerEmail.email)):
        found[row.customer_id]["emails"].append(row.email)
    for row in session.exec(select(CustomerDomain).where(CustomerDomain.customer_id.in_(found))
                            .order_by(CustomerDomain.domain)):
        found[row.customer_id]["domains"].append(row.domain)
    return found


def delete_customer(session: Session, *, actor: User, customer_id: int) -> str:
    """Admins remove a customer (one that left, or a duplicate): its addresses, domains, quick
    facts, who may read it and the triggers pinned to it go too; the audit log keeps its name.
    Returns the name. A restricted customer is deleted only by an admin who may read it."""
    begin_write(session)
    customer = readable_customer(session, actor, customer_id)
    if not can_delete_customer(actor, reads_customer=True):
        raise Forbidden("Only an admin can delete a customer.")
    for model, column in ((QuickFact, QuickFact.customer_id), (CustomerEmail, CustomerEmail.customer_id),
                          (CustomerDomain, CustomerDomain.customer_id), (CustomerAccess, CustomerAccess.customer_id)):
        session.exec(delete(model).where(column == customer.id))
    session.exec(delete(Trigger).where(Trigger.kind == "customer", Trigger.pattern == str(customer.id)))
    record(session, actor_id=actor.id, action="delete", target_type="customer", target_id=customer.id,
           name=customer.name)
    session.delete(customer)
    session.commit()
    return customer.name
