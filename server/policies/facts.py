"""Quick facts are the team's shared notes: anyone may fix one; its author or an admin deletes it."""

from __future__ import annotations

from server.accounts.models import User
from server.facts.models import QuickFact


def can_edit_fact(user: User) -> bool:
    return user.active


def can_delete_fact(user: User, fact: QuickFact) -> bool:
    return user.active and (user.is_admin or fact.author_id == user.id)


def can_delete_customer(user: User) -> bool:
    return user.active and user.is_admin
