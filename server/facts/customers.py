"""Creating a customer and changing its name, email addresses, domains, handles, external ids
and notes.

The addresses, domains, handles and external ids are how a conversation (or a CRM's next
export) finds its customer, so each belongs to one customer only, and a malformed one is
refused rather than stored where it can never match."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, delete, select

from server.accounts.models import User
from server.audit.service import record
from server.cards.slugs import slugify
from server.db import begin_write
from server.errors import Conflict, Forbidden, Invalid
from server.facts.free_mail import is_free_mail
from server.facts.matching import clean_handle
from server.facts.models import Customer, CustomerAccess, CustomerDomain, CustomerEmail, CustomerHandle, QuickFact
from server.facts.service import (MAX_EMAILS, domains_by_customer, emails_by_customer, readable_customer,
                                  reads_customer)
from server.policies.facts import can_delete_customer
from server.triggers.models import Trigger
from server.text import required_line

MAX_NAME = 200
MAX_DOMAINS = 50
MAX_HANDLES = 50
MAX_EXTERNAL_IDS = 20
MAX_NOTES = 10_000
_EXTERNAL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
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


def clean_company_domain(value: str) -> str:
    """A domain that says which company writes: a free-mail one (gmail.com) would match strangers."""
    domain = clean_domain(value)
    if is_free_mail(domain):
        raise Invalid(f"{domain} is a free-mail domain: anyone can have an address there, so it cannot "
                      "stand for one customer. Add the person's address instead.", code="free_mail_domain")
    return domain


def clean_customer_handle(value: str) -> str:
    handle = clean_handle(value)
    if not handle or len(" ".join(str(value).split())) > 200:
        raise Invalid(f"“{str(value).strip()[:100]}” is not a handle (at most 200 characters).", code="invalid_handle")
    return handle


def clean_external_ids(values: dict) -> dict[str, str]:
    """{"crm": "4711", "zendesk": "12345"}: a short lower-case system name, an id without spaces."""
    if not isinstance(values, dict):
        raise Invalid("external_ids is an object such as {\"crm\": \"4711\"}.", code="invalid_external_id")
    cleaned = {}
    for key, value in values.items():
        key, value = str(key).strip().lower(), str(value if value is not None else "").strip()
        if not value:
            continue
        if not _EXTERNAL_KEY.match(key) or len(value) > 200 or any(c.isspace() for c in value):
            raise Invalid(f"“{key[:40]}: {value[:100]}” is not an external id: a system's name such as crm "
                          "(letters, digits, - and _) and an id without spaces.", code="invalid_external_id")
        cleaned[key] = value
    if len(cleaned) > MAX_EXTERNAL_IDS:
        raise Invalid(f"A customer can have at most {MAX_EXTERNAL_IDS} external ids.", code="too_many_external_ids")
    return dict(sorted(cleaned.items()))


def clean_notes(notes: str) -> str:
    notes = (notes or "").replace("\x00", "").strip()
    if len(notes) > MAX_NOTES:
        raise Invalid(f"A customer's notes can be at most {MAX_NOTES} characters.", code="invalid_notes")
    return notes


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


@dataclass
class CustomerFields:
    """A customer's name and what finds it, cleaned; None: leave as it is."""

    name: str | None
    emails: list[str] | None = None
    domains: list[str] | None = None
    handles: list[str] | None = None
    external_ids: dict[str, str] | None = None
    notes: str | None = None


def clean_fields(*, name: str | None, emails=None, domains=None, handles=None, external_ids=None,
                 notes=None) -> CustomerFields:
    """Each part checked before anything is written, so a refused one changes nothing."""
    return CustomerFields(
        name=None if name is None else clean_name(name),
        emails=None if emails is None else _clean_all(emails, clean_email, MAX_EMAILS, "email addresses"),
        domains=None if domains is None else _clean_all(domains, clean_company_domain, MAX_DOMAINS, "domains"),
        handles=None if handles is None else _clean_all(handles, clean_customer_handle, MAX_HANDLES, "handles"),
        external_ids=None if external_ids is None else clean_external_ids(external_ids),
        notes=None if notes is None else clean_notes(notes))


def _taken(session: Session, actor: User | None, owner_id: int, what: str, value: str) -> Invalid:
    """A customer the actor may not read is not named: that it exists is all they learn."""
    shown = actor is None or reads_customer(session, actor, owner_id)
    owner = session.get(Customer, owner_id) if shown else None
    return Invalid(f"The {what} {value} belongs to {owner.name if owner else 'another customer'} "
                   "already; " + ("remove it there first." if owner else "ask an admin about it."),
                   code="customer_taken", detail={"customer_id": owner_id} if owner else {})


def owner_of_external_id(session: Session, key: str, value: str) -> int | None:
    """The customer whose external id `key` is `value`, whoever may read it."""
    return session.exec(select(Customer.id).where(Customer.external_ids[key].as_string() == value)
                        .order_by(Customer.id)).first()


def check_owners(session: Session, actor: User | None, customer_id: int | None, fields: CustomerFields) -> None:
    """An address, domain, handle or external id already finding another customer would make
    matching ambiguous: refused (Invalid, code customer_taken)."""
    for model, column, values, what in ((CustomerEmail, CustomerEmail.email, fields.emails, "email address"),
                                        (CustomerDomain, CustomerDomain.domain, fields.domains, "domain"),
                                        (CustomerHandle, CustomerHandle.handle, fields.handles, "handle")):
        for row in session.exec(select(model).where(column.in_(values))) if values else ():
            if row.customer_id != customer_id:
                raise _taken(session, actor, row.customer_id, what, getattr(row, column.key))
    for key, value in (fields.external_ids or {}).items():
        owner = owner_of_external_id(session, key, value)
        if owner is not None and owner != customer_id:
            raise _taken(session, actor, owner, "external id", f"{key} {value}")


def _unique_slug(session: Session, name: str) -> str:
    base = slugify(name)
    slug, n = base, 1
    while session.exec(select(Customer.id).where(Customer.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _replace(session: Session, customer_id: int, model, key: str, values: list[str] | None) -> None:
    if values is None:
        return
    for row in session.exec(select(model).where(model.customer_id == customer_id)):
        if getattr(row, key) not in values:
            session.delete(row)
    session.flush()
    for value in values:
        if session.get(model, value) is None:
            session.add(model(**{key: value, "customer_id": customer_id}))


def write_fields(session: Session, customer: Customer, fields: CustomerFields) -> None:
    """Save checked fields on a customer that has an id (no commit)."""
    if fields.name is not None:
        customer.name = fields.name
    if fields.external_ids is not None:
        customer.external_ids = fields.external_ids
    if fields.notes is not None:
        customer.notes = fields.notes
    session.add(customer)
    _replace(session, customer.id, CustomerEmail, "email", fields.emails)
    _replace(session, customer.id, CustomerDomain, "domain", fields.domains)
    _replace(session, customer.id, CustomerHandle, "handle", fields.handles)


def add_customer(session: Session, actor: User | None, fields: CustomerFields) -> Customer:
    """A new customer from checked fields, audited (no commit): for create_customer and imports."""
    check_owners(session, actor, None, fields)
    customer = Customer(slug=_unique_slug(session, fields.name), name=fields.name)
    session.add(customer)
    session.flush()
    write_fields(session, customer, fields)
    record(session, actor_id=actor.id if actor else None, action="create", target_type="customer",
           target_id=customer.id)
    return customer


def create_customer(session: Session, *, actor: User, name: str, emails: Sequence[str] = (),
                    domains: Sequence[str] = (), handles: Sequence[str] = (), external_ids: dict | None = None,
                    notes: str = "") -> Customer:
    fields = clean_fields(name=name, emails=emails, domains=domains, handles=handles,
                          external_ids=external_ids or {}, notes=notes)
    begin_write(session)
    customer = add_customer(session, actor, fields)
    session.commit()
    return customer


def update_customer(session: Session, *, actor: User, customer_id: int, name: str | None, expected_version: int,
                    emails: Sequence[str] | None = None, domains: Sequence[str] | None = None,
                    handles: Sequence[str] | None = None, external_ids: dict | None = None,
                    notes: str | None = None) -> Customer:
    """Set the name and the full lists given (what the edit form shows; None keeps a part as
    it is), if nobody saved the customer since `expected_version` (else Conflict, nothing changed)."""
    fields = clean_fields(name=name, emails=emails, domains=domains, handles=handles, external_ids=external_ids,
                          notes=notes)
    begin_write(session)
    customer = readable_customer(session, actor, customer_id)
    if customer.version != expected_version:
        raise Conflict("Someone saved this customer while you were editing it.", code="customer_conflict",
                       detail={"current": customer, "your_version": expected_version})
    check_owners(session, actor, customer.id, fields)
    customer.version += 1
    write_fields(session, customer, fields)
    record(session, actor_id=actor.id, action="edit", target_type="customer", target_id=customer.id)
    session.commit()
    return customer


def customer_addresses(session: Session, customer_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Each customer's email addresses and domains in two queries, for a list page."""
    emails, domains = emails_by_customer(session, customer_ids), domains_by_customer(session, customer_ids)
    return {i: {"emails": emails[i], "domains": domains[i]} for i in emails}


def delete_customer(session: Session, *, actor: User, customer_id: int) -> str:
    """Admins remove a customer (one that left, or a duplicate): its addresses, domains, quick
    facts, who may read it and the triggers pinned to it go too; the audit log keeps its name.
    Returns the name. A restricted customer is deleted only by an admin who may read it."""
    begin_write(session)
    customer = readable_customer(session, actor, customer_id)
    if not can_delete_customer(actor, reads_customer=True):
        raise Forbidden("Only an admin can delete a customer.")
    for model, column in ((QuickFact, QuickFact.customer_id), (CustomerEmail, CustomerEmail.customer_id),
                          (CustomerDomain, CustomerDomain.customer_id), (CustomerHandle, CustomerHandle.customer_id),
                          (CustomerAccess, CustomerAccess.customer_id)):
        session.exec(delete(model).where(column == customer.id))
    session.exec(delete(Trigger).where(Trigger.kind == "customer", Trigger.pattern == str(customer.id)))
    record(session, actor_id=actor.id, action="delete", target_type="customer", target_id=customer.id,
           name=customer.name)
    session.delete(customer)
    session.commit()
    return customer.name
