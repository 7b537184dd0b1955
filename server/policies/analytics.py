"""Who reads the analytics: the reports show every team member's searches and the cards they
used, so admins, and the experts who own a collection (its default verifier), who write the
cards that searches with no results ask for; on the web page and through the API alike."""

from __future__ import annotations

from sqlmodel import Session, select

from server.accounts.models import User
from server.cards.models import Collection


def can_read_analytics(user: User, owns_a_collection: bool) -> bool:
    return user.active and (user.is_admin or owns_a_collection)


def reads_analytics(session: Session, user: User) -> bool:
    """can_read_analytics, with what it needs looked up."""
    owns = user.is_admin or session.exec(select(Collection.id).where(Collection.default_verifier_id == user.id)
                                         .limit(1)).first() is not None
    return can_read_analytics(user, owns)
