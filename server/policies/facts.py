"""Who reads a customer and keeps its quick facts.

A customer is open (every active member reads it) or restricted to groups, a key account:
then only the members of those groups read it and its facts. An admin is not a reader of a
restricted customer unless in one of its groups, as with a restricted collection
(server/policies/access.py); admins still decide who reads it. Whoever reads a customer may
fix its facts; a fact's author or an admin deletes one."""

from __future__ import annotations

from collections.abc import Set

from sqlalchemy import ColumnElement, Select, false, select

from server.accounts.models import GroupMember, User
from server.facts.models import Customer, CustomerAccess, QuickFact


def may_read_customer(user: User, restricted_to: Set[int], group_ids: Set[int]) -> bool:
    """`restricted_to`: the customer's groups (none: it is open); `group_ids`: the person's."""
    return user.active and (not restricted_to or not restricted_to.isdisjoint(group_ids))


def hidden_customer_ids(user: User) -> Select:
    """The ids of the customers `user` may not read, as a subquery: those restricted to
    groups none of which they are in. (An inactive user reads none: see readable_customers.)"""
    mine = select(GroupMember.group_id).where(GroupMember.user_id == user.id)
    let_in = select(CustomerAccess.customer_id).where(CustomerAccess.group_id.in_(mine))
    return select(CustomerAccess.customer_id).where(CustomerAccess.customer_id.not_in(let_in))


def readable_customers(user: User, customer_id=Customer.id) -> ColumnElement[bool]:
    """`may_read_customer` as a SQL condition on a customer id column (Customer.id,
    QuickFact.customer_id, ...), so lists and counts filter in the query, not row by row.
    tests/facts/test_customer_access.py pins the two to each other."""
    if not user.active:
        return false()
    return customer_id.not_in(hidden_customer_ids(user))


def can_restrict_customer(user: User) -> bool:
    """Admins decide who reads a customer, one they cannot read themselves included."""
    return user.active and user.is_admin


def can_edit_fact(user: User, *, reads_customer: bool) -> bool:
    return reads_customer and user.active


def can_delete_fact(user: User, fact: QuickFact, *, reads_customer: bool) -> bool:
    return reads_customer and user.active and (user.is_admin or fact.author_id == user.id)


def can_delete_customer(user: User, *, reads_customer: bool) -> bool:
    return reads_customer and user.active and user.is_admin


def can_merge_customers(user: User, *, reads_both: bool) -> bool:
    """Merging moves one customer's facts and addresses to another: an admin who reads both."""
    return reads_both and user.active and user.is_admin


def can_import_customers(user: User) -> bool:
    """Bulk upserts touch many customers at once (a CRM export): admins only. Each row still
    keeps to what the admin reads (see server/facts/bulk.py)."""
    return user.active and user.is_admin
