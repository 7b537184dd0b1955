"""The card list and a card's page, with the actions this user may take."""

from __future__ import annotations

ROUTES: list = []
