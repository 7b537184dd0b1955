"""Writing a card: the editor, its live preview and duplicate hints, and conflicts."""

from __future__ import annotations

ROUTES: list = []
