"""Deleting a group, and everything that names it, in one transaction.

A group is named by collections' access lists, by key accounts (customers only its members
read), by its memberships and by the cards it verifies. Deleting it must leave none of those
pointing at nothing, and must not quietly change who reads what: a restricted collection
would lose its only owner, and a key account with no group left is open to every member
(server/facts/models.py, CustomerAccess). Both are refused, naming what to fix first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from server.accounts.groups import check_not_claimed, locked_group
from server.accounts.models import Group, GroupMember, User
from server.audit.service import record
from server.cards.access_lists import check_owned
from server.cards.handover import collections_naming_group, hand_over_cards_of_group, hand_over_unreadable
from server.cards.models import Collection, CollectionGrant
from server.db import begin_write
from server.errors import Invalid
from server.facts.models import Customer, CustomerAccess
from server.facts.restriction import restricted_to_names
from server.facts.service import readable_among
from server.policies.accounts import require_admin


@dataclass(frozen=True)
class DeletedGroup:
    name: str
    cards_moved: int  # cards the group verified, and cards of members who read only through it


def _check_owners_remain(session: Session, group: Group) -> None:
    """Refused when the group is the last owner of a restricted collection (as revoking its grant is)."""
    owned = session.exec(select(Collection).join(CollectionGrant, CollectionGrant.collection_id == Collection.id)
                         .where(CollectionGrant.group_id == group.id, CollectionGrant.role == "own",
                                Collection.restricted == True).order_by(Collection.name)).all()  # noqa: E712
    orphaned = []
    for collection in owned:
        try:
            check_owned(session, collection, "", without_group=group.id)
        except Invalid:
            orphaned.append(collection)
    if orphaned:
        names = ", ".join(f"“{c.name}”" for c in orphaned)
        raise Invalid(f"The group {group.name} is the last owner of the restricted collection(s) {names}: grant "
                      "'own' to someone else there first, or give them a default verifier.", code="no_owner",
                      detail={"collections": [{"id": c.id, "slug": c.slug, "name": c.name} for c in orphaned]})


def _check_key_accounts_stay_closed(session: Session, actor: User, group: Group) -> None:
    """Refused when a customer is restricted to this group alone: with no group left it would be
    open to every member. The admin names its groups anew (or opens it) on purpose first.
    A customer the admin may not read is named by its id only, as everywhere else."""
    others = select(CustomerAccess.customer_id).where(CustomerAccess.group_id != group.id)
    alone = session.exec(select(Customer.id, Customer.name).join(CustomerAccess, CustomerAccess.customer_id ==
                                                                  Customer.id)
                         .where(CustomerAccess.group_id == group.id, Customer.id.not_in(others))
                         .order_by(Customer.name, Customer.id)).all()
    if not alone:
        return
    readable = readable_among(session, actor, [customer_id for customer_id, _ in alone])
    named = [{"id": i, "name": name if i in readable else None} for i, name in alone]
    words = ", ".join(c["name"] if c["name"] else f"customer {c['id']}" for c in named)
    raise Invalid(f"Only the group {group.name} reads the customer(s) {words}: without it they would be open to "
                  "every member. Restrict them to another group first, or open them on purpose.",
                  code="key_account_would_open", detail={"customers": named})


def _snapshot(session: Session, group: Group) -> dict:
    """What the group was, for the audit log: after the delete nothing else remembers it."""
    members = session.exec(select(GroupMember.user_id).where(GroupMember.group_id == group.id)
                           .order_by(GroupMember.user_id)).all()
    grants = session.exec(select(CollectionGrant.collection_id, CollectionGrant.role)
                          .where(CollectionGrant.group_id == group.id).order_by(CollectionGrant.id)).all()
    customers = session.exec(select(CustomerAccess.customer_id).where(CustomerAccess.group_id == group.id)
                             .order_by(CustomerAccess.customer_id)).all()
    return {"name": group.name, "members": list(members),
            "grants": [{"collection_id": c, "role": r} for c, r in grants], "customers": list(customers)}


def _remove_rows_naming(session: Session, actor: User, group: Group) -> None:
    """Its lines on access lists and key accounts go as their own changes would, each audited on
    the collection or customer, so their history shows it; then its memberships."""
    # Row by row, not one bulk DELETE: the flush is what tells access_of to forget what it knew.
    for line in session.exec(select(CollectionGrant).where(CollectionGrant.group_id == group.id)):
        session.delete(line)
        record(session, actor_id=actor.id, action="access_revoked", target_type="collection",
               target_id=line.collection_id, grant_id=line.id, user_id=None, group_id=group.id, role=line.role,
               reason="group deleted")
    for row in session.exec(select(CustomerAccess).where(CustomerAccess.group_id == group.id)):
        before = restricted_to_names(session, row.customer_id)
        session.delete(row)
        record(session, actor_id=actor.id, action="customer_restricted", target_type="customer",
               target_id=row.customer_id, before=before, after=[n for n in before if n != group.name],
               reason="group deleted")
    for member in session.exec(select(GroupMember).where(GroupMember.group_id == group.id)):
        session.delete(member)
    session.flush()  # the rows referring to the group go before the group does


def delete_group(session: Session, *, actor: User, group_id: int) -> DeletedGroup:
    """Delete the group with its grants, key-account rows and memberships, after the checks
    above. Its cards go to each collection's heir, and whoever read a collection only through
    it hands the cards they verify there to the owner (server/cards/handover.py). Audited with
    what the group was."""
    require_admin(actor)
    begin_write(session)
    group = locked_group(session, group_id)
    check_not_claimed(session, group, "delete")
    _check_owners_remain(session, group)
    _check_key_accounts_stay_closed(session, actor, group)
    before = _snapshot(session, group)
    affected = collections_naming_group(session, group.id)
    moved = hand_over_cards_of_group(session, actor=actor, group_id=group.id)
    _remove_rows_naming(session, actor, group)
    moved += hand_over_unreadable(session, actor=actor, collection_ids=affected)
    record(session, actor_id=actor.id, action="group_deleted", target_type="group", target_id=group.id,
           name=group.name, before=before, after=None, cards_moved=moved)
    session.delete(group)
    session.commit()
    return DeletedGroup(name=before["name"], cards_moved=moved)
