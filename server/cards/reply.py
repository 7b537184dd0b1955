"""The reply written for you: a card's words filled in for one conversation, and its use
recorded, as one action (a copy or an insert the reports can follow)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from server.accounts.models import User
from server.analytics.service import record_use
from server.cards.placeholders import values_for
from server.cards.service import readable_card
from server.db import begin_write
from server.errors import Invalid
from server.facts.models import Customer
from server.facts.service import is_expired, list_facts, reads_customer
from server.markdown import fill_text, placeholders_in, render_markdown

REPLY_ACTIONS = ("inserted", "copied")


@dataclass(frozen=True)
class Reply:
    html: str  # sanitized; a placeholder with no value is a marked {{name}}
    text: str  # the Markdown filled in, for text/plain and text boxes
    unfilled: list[str]
    use_id: int


def _readable_customer(session: Session, user: User, customer_id: int | None) -> Customer | None:
    """The customer if the user reads it; one they may not read is as good as none named,
    so the reply tells nothing about it."""
    customer = session.get(Customer, customer_id) if customer_id else None
    return customer if customer is not None and reads_customer(session, user, customer.id) else None


def write_reply(session: Session, *, user: User, card_id: int, action: str, customer_id: int | None = None,
                contact_name: str | None = None, conversation: str | None = None,
                host: str | None = None) -> Reply:
    """Fill the card's placeholders from the conversation's contact, its customer (if
    readable) and that customer's current facts, and the user; record the use."""
    if action not in REPLY_ACTIONS:
        raise Invalid(f"action must be one of {', '.join(REPLY_ACTIONS)}.", code="invalid_action")
    begin_write(session)
    card = readable_card(session, user, card_id)
    customer = _readable_customer(session, user, customer_id)
    facts = [f for f in list_facts(session, customer.id, user=user) if not is_expired(f)] if customer else []
    names = placeholders_in(card.body)
    values = values_for(names, agent=user, contact_name=contact_name, customer=customer, facts=facts)
    use = record_use(session, user=user, card_id=card.id, action=action, conversation=conversation, host=host,
                     customer_id=customer.id if customer else None)
    return Reply(html=render_markdown(card.body, values=values), text=fill_text(card.body, values),
                 unfilled=[name for name in names if name not in values], use_id=use.id)
