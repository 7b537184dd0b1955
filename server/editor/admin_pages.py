"""Admin: users, groups, collections and API tokens."""

from __future__ import annotations

ROUTES: list = []
