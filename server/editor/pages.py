"""Rendering a page: the template plus what every page's header needs, and redirects that
carry a one-time message to the next page (post/redirect/get)."""

from __future__ import annotations

from urllib.parse import quote, unquote

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from sqlmodel import Session

from server.accounts.models import User
from server.policies.analytics import reads_analytics
from server.verification.queue import queue_count

NAV = [("cards", "Cards", "/cards"), ("queue", "Queue", "/queue"), ("flags", "Flags", "/flags"),
       ("customers", "Customers", "/customers"), ("analytics", "Analytics", "/analytics")]
FLASH_COOKIE = "vouch_flash"
FLASH_KINDS = ("done", "error", "warn")


def _flashes(request: Request) -> list[tuple[str, str]]:
    raw = request.cookies.get(FLASH_COOKIE, "")
    kind, _, message = unquote(raw).partition(":")
    return [(kind, message[:500])] if kind in FLASH_KINDS and message else []


def page(request: Request, session: Session, viewer: User, template: str, *, section: str = "",
         status_code: int = 200, **context) -> Template:
    """A full page for a signed-in user: header with their name and queue count, then `template`."""
    flashes = _flashes(request)
    return Template(template_name=template, status_code=status_code, context={
        "viewer": viewer, "queue_count": queue_count(session, viewer), "section": section,
        "nav": [item for item in NAV if item[0] != "analytics" or reads_analytics(session, viewer)],
        "flashes": flashes + context.pop("flashes", []), **context,
    }, cookies=[Cookie(key=FLASH_COOKIE, value="", max_age=0, path="/")] if flashes else None)


def redirect(to: str, message: str = "", kind: str = "done") -> Redirect:
    """303 to `to`; `message` is shown once at the top of that page."""
    cookies = [Cookie(key=FLASH_COOKIE, value=quote(f"{kind}:{message[:400]}"), max_age=60, httponly=True,
                      samesite="lax", path="/")] if message else None
    return Redirect(to, status_code=303, cookies=cookies)


def fragment(template: str, *, status_code: int = 200, **context) -> Template:
    """A piece of a page, swapped in by htmx."""
    return Template(template_name=template, status_code=status_code, context=context)
