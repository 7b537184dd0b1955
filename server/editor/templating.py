"""The Jinja set-up for the pages: where templates live and the filters they share."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from server.clock import now

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def when(value: datetime | date | None) -> str:
    """'23 Nov 2026, 09:30' (UTC), or '23 Nov 2026' for a date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).strftime("%-d %b %Y, %H:%M UTC")
    return value.strftime("%-d %b %Y")


def ago(value: datetime | None) -> str:
    """'3 days ago', 'in 5 days', 'just now'."""
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    seconds = (now() - value).total_seconds()
    future, seconds = seconds < 0, abs(seconds)
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            words = f"{n} {unit}{'s' if n != 1 else ''}"
            return f"in {words}" if future else f"{words} ago"
    return "just now"


def iso(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def past_due(card) -> bool:
    """A verified card whose due date has passed: it still reads as verified, but is due."""
    due = card.verify_due_at
    if card.status != "verified" or due is None:
        return False
    return (due if due.tzinfo else due.replace(tzinfo=timezone.utc)) <= now()


def _register(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters.update({"when": when, "ago": ago, "iso": iso})
    engine.engine.globals.update({"past_due": past_due})


def template_config() -> TemplateConfig:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_register)
