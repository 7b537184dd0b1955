"""Who manages the install: people, groups, collections, everyone's tokens, the audit log."""

from __future__ import annotations

from server.accounts.models import ApiToken, User
from server.errors import Forbidden


def is_admin(user: User) -> bool:
    return user.active and user.is_admin


def require_admin(user: User) -> None:
    """The one rule for every admin page and action."""
    if not is_admin(user):
        raise Forbidden("Only admins can manage people, groups, collections and everyone's tokens.")


def can_revoke_token(user: User, token: ApiToken) -> bool:
    """Your own tokens, or anyone's if you are an admin."""
    return user.active and (token.user_id == user.id or user.is_admin)
