"""Restricting a customer (a key account) to groups, or opening it to every member again.

Groups are named by name, as people know them; an unknown name changes nothing, so a typo
never leaves a key account open or locked to the wrong people."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, delete, select

from server.accounts.models import Group, User
from server.audit.service import record
from server.db import begin_write
from server.errors import Forbidden, Invalid
from server.facts.models import CustomerAccess
from server.facts.service import get_customer
from server.policies.facts import can_restrict_customer

MAX_GROUPS = 100


def restricted_to_names(session: Session, customer_id: int) -> list[str]:
    """The names of the groups that alone read the customer, sorted; empty: every member does."""
    return restricted_to_names_by_customer(session, [customer_id])[customer_id]


def restricted_to_names_by_customer(session: Session, customer_ids: Sequence[int]) -> dict[int, list[str]]:
    """restricted_to_names for each of `customer_ids`, in one query."""
    found: dict[int, list[str]] = {i: [] for i in customer_ids}
    if found:
        for customer_id, name in session.exec(select(CustomerAccess.customer_id, Group.name)
                                              .join(Group, CustomerAccess.group_id == Group.id)
                                              .where(CustomerAccess.customer_id.in_(found))):
            found[customer_id].append(name)
    return {customer_id: sorted(names) for customer_id, names in found.items()}


def restrict_customer(session: Session, *, actor: User, customer_id: int, groups: Sequence[str]) -> list[str]:
    """Let only the members of `groups` read the customer; no groups: every member. Admins
    only, restricted customers they cannot read included; audited with the groups before and
    after. Returns the groups now named."""
    if not can_restrict_customer(actor):
        raise Forbidden("Only an admin can decide who reads a customer.")
    names = sorted({name.strip() for name in groups if name.strip()})
    if len(names) > MAX_GROUPS:
        raise Invalid(f"A customer can be restricted to at most {MAX_GROUPS} groups.", code="too_many_groups")
    begin_write(session)
    customer = get_customer(session, customer_id)
    found = dict(session.exec(select(Group.name, Group.id).where(Group.name.in_(names))).all()) if names else {}
    unknown = [name for name in names if name not in found]
    if unknown:
        raise Invalid(f"There is no group named {', '.join(n[:200] for n in unknown[:10])}; nothing was changed.",
                      code="unknown_group", detail={"unknown": unknown[:10]})
    before = restricted_to_names(session, customer.id)
    if before != names:
        session.exec(delete(CustomerAccess).where(CustomerAccess.customer_id == customer.id))
        session.add_all(CustomerAccess(customer_id=customer.id, group_id=found[name]) for name in names)
        record(session, actor_id=actor.id, action="customer_restricted", target_type="customer",
               target_id=customer.id, before=before, after=names)
        session.commit()
    return names
