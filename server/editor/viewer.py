"""Who is looking at a page: the user behind the session cookie, or a trip to the sign-in page."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect, Template

from server.accounts.models import User
from server.accounts.sessions import user_for_session
from server.db import release
from server.dependencies import DbSession, acting
from server.errors import NotAuthenticated, VouchError
from server.http_errors import status_of

SESSION_COOKIE = "vouch_session"
Viewer = NamedDependency[User]  # the signed-in user of a page


class SignInRequired(NotAuthenticated):
    code = "sign_in_required"


def provide_viewer(request: Request, db_session: DbSession) -> User:
    user = user_for_session(db_session, request.cookies.get(SESSION_COOKIE))
    if user is None:
        raise SignInRequired("Sign in to see this page.")
    release(db_session)
    acting(db_session, request)
    return user


def safe_next(target: str | None) -> str:
    """Only a path on this site: a sign-in link can never send someone elsewhere."""
    if not target:
        return "/cards"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/cards"
    return target


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API, not a script)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def on_sign_in_required(request: Request, _: NotAuthenticated) -> Response:
    target = "/sign-in?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if _is_htmx(request):
        return Response("", status_code=200, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def on_page_error(request: Request, exc: VouchError) -> Response:
    """A domain error on a page: the same message the API would give, as a page."""
    status = status_of(exc)
    if _is_htmx(request):
        return Template(template_name="partials/error.html", context={"message": exc.message}, status_code=status)
    return Template(template_name="error.html", context={"message": exc.message, "status": status,
                                                         "viewer": None}, status_code=status)


PAGE_DEPENDENCIES = {"viewer": Provide(provide_viewer, sync_to_thread=True)}
PAGE_ERROR_HANDLERS = {NotAuthenticated: on_sign_in_required, VouchError: on_page_error}
