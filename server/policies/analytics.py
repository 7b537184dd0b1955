"""Who reads the analytics: the reports show every team member's searches and the cards they
used, so admins, and the experts who own a collection (its default verifier, or granted
'own'), who write the cards that searches with no results ask for; on the web page and
through the API alike. What each report holds is narrowed to what the reader may read."""

from __future__ import annotations

from sqlmodel import Session

from server.accounts.models import User
from server.policies.access import Access, access_of


def can_read_analytics(access: Access) -> bool:
    return access.user.active and (access.user.is_admin or "own" in access.roles.values())


def reads_analytics(session: Session, user: User) -> bool:
    """can_read_analytics, with what it needs looked up."""
    return can_read_analytics(access_of(session, user))
