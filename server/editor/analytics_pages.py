"""Analytics: trust over time, searches, card use; CSV of each table."""

from __future__ import annotations

ROUTES: list = []
