"""Upserting many customers and their quick facts at once (a CRM's export, as JSON or CSV).

A row finds its customer by an external id ({"crm": "4711"}), else by an email address (a row
with neither: by its exact name), and changes it, or adds a new one. Running the same file twice changes nothing the second time:
addresses, domains, handles and external ids are added to what the customer has (never
removed: agents may have added some), and a fact is added unless the customer has one with
the same text. A bad row is skipped and reported with why; every other row is saved in one
transaction, so the upload is kept whole or (on a failure no row could foresee) not at all.
A row whose external id or address belongs to a customer the uploader may not read is
skipped as "belongs to another customer", saying no more."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from server.accounts.models import User
from server.audit.service import record
from server.db import begin_write
from server.errors import Forbidden, Invalid
from server.facts.customers import (CustomerFields, add_customer, check_owners, clean_fields,
                                    owner_of_external_id, write_fields)
from server.facts.models import Customer, CustomerDomain, CustomerEmail, CustomerHandle, QuickFact
from server.facts.service import _clean_text, reads_customer
from server.policies.facts import can_import_customers, readable_customers

MAX_ROWS = 5000
MAX_FACTS_PER_ROW = 100
MAX_LISTED = 100  # rows named per outcome in a report; the counts are always whole


@dataclass
class BulkReport:
    added: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # each with the reason
    notes: list[str] = field(default_factory=list)     # about the file, such as columns ignored

    def as_dict(self) -> dict:
        outcomes = ("added", "changed", "unchanged", "skipped")
        return {"counts": {name: len(getattr(self, name)) for name in outcomes},
                **{name: getattr(self, name)[:MAX_LISTED] for name in outcomes}, "notes": self.notes}


@dataclass
class _Row:
    fields: CustomerFields
    facts: list[tuple[str, bool]]


def _strings(entry: dict, key: str) -> list[str]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"{key} is a list of text.", code="invalid_row")
    return value


def _facts(entry: dict) -> list[tuple[str, bool]]:
    facts = entry.get("facts") or []
    if not isinstance(facts, list) or len(facts) > MAX_FACTS_PER_ROW:
        raise Invalid(f"facts is a list of at most {MAX_FACTS_PER_ROW} texts or {{\"text\", \"pinned\"}}.",
                      code="invalid_row")
    cleaned = []
    for fact in facts:
        text, pinned = (fact, False) if isinstance(fact, str) else (
            (fact.get("text"), fact.get("pinned", False)) if isinstance(fact, dict) else (None, False))
        if not isinstance(text, str) or not isinstance(pinned, bool):
            raise Invalid("A fact is a text, or {\"text\": ..., \"pinned\": true}.", code="invalid_row")
        cleaned.append((_clean_text(text), pinned))
    return list(dict.fromkeys(cleaned))


def read_row(entry) -> _Row:
    """One customer as sent (JSON's object, or a CSV row made into one), checked; Invalid says why not."""
    if not isinstance(entry, dict):
        raise Invalid("Each customer is an object with at least a name.", code="invalid_row")
    name, notes, external = entry.get("name"), entry.get("notes"), entry.get("external_ids") or {}
    if not isinstance(name, str) or (notes is not None and not isinstance(notes, str)):
        raise Invalid("A customer needs a name (text).", code="invalid_name")
    fields = clean_fields(name=name, emails=_strings(entry, "emails"), domains=_strings(entry, "domains"),
                          handles=_strings(entry, "handles"), external_ids=external, notes=notes or None)
    return _Row(fields, _facts(entry))


def _existing(session: Session, actor: User | None, row: _Row) -> tuple[int | None, str]:
    """The customer the row names, and how it was found, for the refusal's words. Names are not
    unique, so a name finds only a customer the actor reads (else the row adds a namesake)."""
    for key, value in (row.fields.external_ids or {}).items():
        owner = owner_of_external_id(session, key, value)
        if owner is not None:
            return owner, f"external id {key} {value}"
    for email in row.fields.emails or []:
        owner = session.exec(select(CustomerEmail.customer_id).where(CustomerEmail.email == email)).first()
        if owner is not None:
            return owner, f"email address {email}"
    if not row.fields.external_ids and not row.fields.emails:  # else a second run would add it again
        same_name = select(Customer.id).where(func.lower(Customer.name) == row.fields.name.lower())
        if actor is not None:
            same_name = same_name.where(readable_customers(actor))
        owner = session.exec(same_name.order_by(Customer.id)).first()
        if owner is not None:
            return owner, f"name {row.fields.name}"
    return None, ""


def _saved(session: Session, customer: Customer) -> CustomerFields:
    def values(model, key):
        return sorted(getattr(r, key) for r in session.exec(select(model).where(model.customer_id == customer.id)))
    return CustomerFields(name=customer.name, emails=values(CustomerEmail, "email"),
                          domains=values(CustomerDomain, "domain"), handles=values(CustomerHandle, "handle"),
                          external_ids=dict(customer.external_ids or {}), notes=customer.notes)


def _merged(saved: CustomerFields, row: CustomerFields) -> CustomerFields:
    def union(a, b):
        return sorted(set(a or []) | set(b or []))
    return CustomerFields(name=row.name, emails=union(saved.emails, row.emails),
                          domains=union(saved.domains, row.domains), handles=union(saved.handles, row.handles),
                          external_ids=dict(sorted({**saved.external_ids, **(row.external_ids or {})}.items())),
                          notes=row.notes if row.notes else saved.notes)


def _add_facts(session: Session, actor: User | None, customer_id: int, facts: list[tuple[str, bool]]) -> int:
    have = set(session.exec(select(QuickFact.text).where(QuickFact.customer_id == customer_id)))
    new = [(text, pinned) for text, pinned in facts if text not in have]
    author = actor.id if actor else None
    session.add_all(QuickFact(customer_id=customer_id, text=text, pinned=pinned, author_id=author,
                              updated_by_id=author) for text, pinned in new)
    return len(new)


def _upsert(session: Session, actor: User | None, row: _Row) -> tuple[str, Customer]:
    owner_id, found_by = _existing(session, actor, row)
    if owner_id is not None and actor is not None and not reads_customer(session, actor, owner_id):
        raise Invalid(f"The {found_by} belongs to another customer; ask an admin about it.", code="customer_taken")
    if owner_id is None:
        customer = add_customer(session, actor, row.fields)
        _add_facts(session, actor, customer.id, row.facts)
        return "added", customer
    customer = session.get(Customer, owner_id)
    saved = _saved(session, customer)
    wanted = _merged(saved, row.fields)
    check_owners(session, actor, customer.id, wanted)
    facts = _add_facts(session, actor, customer.id, row.facts)
    if wanted == saved and not facts:
        return "unchanged", customer
    if wanted != saved:
        customer.version += 1
        write_fields(session, customer, wanted)
    record(session, actor_id=actor.id if actor else None, action="edit", target_type="customer",
           target_id=customer.id, source="import", facts_added=facts)
    return "changed", customer


def upsert_customers(session: Session, *, actor: User | None, entries: list, labels: list | None = None,
                     report: BulkReport | None = None) -> BulkReport:
    """Add or change each customer in `entries` (see read_row); `labels` name the rows in the
    report (a CSV's line numbers; default 1, 2, ...). `actor` None: the command line, which
    reads every customer. Admins only."""
    if actor is not None and not can_import_customers(actor):
        raise Forbidden("Only an admin can import customers.")
    if not isinstance(entries, list):
        raise Invalid("Send a list of customers.", code="invalid_import")
    if len(entries) > MAX_ROWS:
        raise Invalid(f"At most {MAX_ROWS} customers at once; split the file.", code="too_many_rows")
    report = report or BulkReport()
    labels = labels or list(range(1, len(entries) + 1))
    begin_write(session)
    for label, entry in zip(labels, entries):
        named = entry.get("name") if isinstance(entry, dict) and isinstance(entry.get("name"), str) else ""
        try:
            outcome, customer = _upsert(session, actor, read_row(entry))
        except Invalid as refused:
            report.skipped.append({"row": label, "name": named[:200], "reason": refused.message})
            continue
        getattr(report, outcome).append({"row": label, "id": customer.id, "name": customer.name})
    session.commit()
    return report


def upsert_file(session: Session, *, actor: User | None, content: bytes | str, is_csv: bool) -> BulkReport:
    """A whole upload or file: CSV (layout in docs/content-format.md) or JSON. A file that cannot
    be read at all is refused whole (Invalid), before anything is written."""
    from server.facts.customer_csv import read_customers_csv, read_customers_json

    if actor is not None and not can_import_customers(actor):
        raise Forbidden("Only an admin can import customers.")
    if is_csv:
        rows, lines, notes = read_customers_csv(content)
        return upsert_customers(session, actor=actor, entries=rows, labels=lines, report=BulkReport(notes=notes))
    return upsert_customers(session, actor=actor, entries=read_customers_json(content))
