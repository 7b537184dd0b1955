"""Customers and their quick facts."""

from __future__ import annotations

ROUTES: list = []
