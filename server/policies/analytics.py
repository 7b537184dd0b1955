"""Who reads the analytics: the reports show every team member's searches and the cards
they used, so admins only, on the web page and through the API alike."""

from __future__ import annotations

from server.accounts.models import User


def can_read_analytics(user: User) -> bool:
    return user.active and user.is_admin
