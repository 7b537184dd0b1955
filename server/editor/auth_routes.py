"""Sign-in and sign-out for the web pages (local accounts; the company's provider in oidc_routes)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from server.accounts.clients import client_address
from server.accounts.sessions import (SESSION_DAYS, authenticate, browser_mark, end_session, start_session,
                                      user_for_session)
from server.dependencies import DbSession
from server.editor.forms import FormData, text
from server.editor.viewer import SESSION_COOKIE, safe_next
from server.errors import NotAuthenticated, TooManyAttempts
from server.http_errors import status_of


KNOWN_COOKIE = "vouch_known"  # the accounts this browser has signed in as (keyed hashes, see browser_mark)
KNOWN_KEPT = 5
KNOWN_DAYS = 365


def session_cookie(request: Request, value: str, max_age: int) -> Cookie:
    secure = request.app.state.settings.base_url.startswith("https://")
    return Cookie(key=SESSION_COOKIE, value=value, max_age=max_age, httponly=True, samesite="lax", secure=secure,
                  path="/")


def sign_in_form(request: Request, *, next_page: str, email: str = "", error: str | None = None,
                 status_code: int = 200) -> Template:
    """The sign-in page, with the company's button when its provider is set up."""
    settings = request.app.state.settings
    return Template(template_name="sign_in.html", status_code=status_code, context={
        "next": next_page, "email": email, "error": error,
        "oidc_name": settings.oidc_name if settings.oidc_enabled else None})


@get("/", sync_to_thread=False)
def home() -> Redirect:
    return Redirect("/cards", status_code=303)


@get("/sign-in", sync_to_thread=True)
def sign_in_page(request: Request, db_session: DbSession, next: FromQuery[str | None] = None) -> Response:
    if user_for_session(db_session, request.cookies.get(SESSION_COOKIE)):
        return Redirect(safe_next(next), status_code=303)
    return sign_in_form(request, next_page=safe_next(next))


@post("/sign-in", sync_to_thread=True, status_code=303)
def sign_in(request: Request, data: FormData, db_session: DbSession) -> Response:
    email, target = text(data, "email")[:320], safe_next(text(data, "next"))
    state = request.app.state
    mark = browser_mark(state.secret, email)
    known = request.cookies.get(KNOWN_COOKIE, "").split(".")[:KNOWN_KEPT]
    client = client_address(request.client.host if request.client else "",
                            request.headers.get("x-forwarded-for", ""), state.proxies)
    try:
        user = authenticate(db_session, email=email, password=text(data, "password"), client=client,
                            known_browser=mark in known)
    except (NotAuthenticated, TooManyAttempts) as wrong:
        return sign_in_form(request, next_page=target, email=email, error=wrong.message, status_code=status_of(wrong))
    token = start_session(db_session, user)
    remembered = ".".join([mark, *(m for m in known if m and m != mark)][:KNOWN_KEPT])
    return Redirect(target, status_code=303, cookies=[
        session_cookie(request, token, SESSION_DAYS * 86400),
        Cookie(key=KNOWN_COOKIE, value=remembered, max_age=KNOWN_DAYS * 86400, httponly=True, samesite="lax",
               secure=state.settings.base_url.startswith("https://"), path="/sign-in")])


@post("/sign-out", sync_to_thread=True, status_code=303)
def sign_out(request: Request, db_session: DbSession) -> Response:
    end_session(db_session, request.cookies.get(SESSION_COOKIE))
    return Redirect("/sign-in", status_code=303, cookies=[session_cookie(request, "", 0)])


AUTH_ROUTES = [home, sign_in_page, sign_in, sign_out]
