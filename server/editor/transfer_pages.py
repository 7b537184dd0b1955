"""Importing and exporting a collection as a zip of Markdown files."""

from __future__ import annotations

ROUTES: list = []
