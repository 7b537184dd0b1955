"""Merging a duplicate customer into another: its addresses, domains, handles, external ids,
quick facts, pinned triggers and the card uses of its conversations move, then it is deleted;
audited with both names."""

from __future__ import annotations

from sqlmodel import Session, select, update

from server.accounts.models import User
from server.analytics.models import CardUse
from server.audit.service import record
from server.db import begin_write
from server.errors import Forbidden, Invalid
from server.facts.models import Customer, CustomerAccess, CustomerDomain, CustomerEmail, CustomerHandle, QuickFact
from server.facts.service import readable_customer, restricted_to
from server.policies.facts import can_merge_customers
from server.triggers.models import Trigger


def merge_customer(session: Session, *, actor: User, customer_id: int, into_id: int) -> Customer:
    """Move everything of `customer_id` to `into_id` and delete it; returns the customer kept.
    Both must be readable by the actor (else 404, as for a missing one). Customers read by
    different groups are refused: the merge would show one's facts to the other's readers.
    Where both have an external id of the same system, the kept customer's wins."""
    begin_write(session)
    gone = readable_customer(session, actor, customer_id)
    kept = readable_customer(session, actor, into_id)
    if not can_merge_customers(actor, reads_both=True):
        raise Forbidden("Only an admin can merge customers.")
    if gone.id == kept.id:
        raise Invalid("A customer cannot be merged into itself.", code="invalid_merge")
    if restricted_to(session, gone.id) != restricted_to(session, kept.id):
        raise Invalid(f"“{gone.name}” and “{kept.name}” are read by different groups; give them the same "
                      "readers first, so merging shows nobody facts they could not read before.",
                      code="customer_access_differs")
    moved = {}
    for model in (CustomerEmail, CustomerDomain, CustomerHandle, QuickFact):
        moved[model.__tablename__] = len(session.exec(select(model).where(model.customer_id == gone.id)).all())
        session.exec(update(model).where(model.customer_id == gone.id).values(customer_id=kept.id))
    # The analytics' conversations stay the kept customer's, not nobody's.
    session.exec(update(CardUse).where(CardUse.customer_id == gone.id).values(customer_id=kept.id))
    session.exec(update(Trigger).where(Trigger.kind == "customer", Trigger.pattern == str(gone.id))
                 .values(pattern=str(kept.id)))
    taken_over = {k: v for k, v in (gone.external_ids or {}).items() if k not in (kept.external_ids or {})}
    kept.external_ids = {**taken_over, **(kept.external_ids or {})}
    if gone.notes and gone.notes not in kept.notes:
        kept.notes = f"{kept.notes}\n\n{gone.notes}".strip()
    kept.version += 1
    session.add(kept)
    for row in session.exec(select(CustomerAccess).where(CustomerAccess.customer_id == gone.id)):
        session.delete(row)  # the same groups as the kept customer's, checked above
    record(session, actor_id=actor.id, action="merge", target_type="customer", target_id=kept.id,
           merged_id=gone.id, merged_name=gone.name, name=kept.name, moved=moved,
           external_ids=taken_over)
    session.flush()
    session.delete(gone)
    session.commit()
    return kept
