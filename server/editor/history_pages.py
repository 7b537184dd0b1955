"""A card's history: revisions, diffs between any two, restore."""

from __future__ import annotations

ROUTES: list = []
