"""Sign-in with the company's OpenID Connect provider: to the provider, and back."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.datastructures import Cookie
from litestar.params import FromQuery
from litestar.response import Redirect

from server.accounts.clients import client_address
from server.accounts.oidc import CALLBACK_PATH, LOGIN_MINUTES, OidcSignInRefused, finish_sign_in, start_sign_in
from server.accounts.sessions import SESSION_DAYS
from server.dependencies import DbSession
from server.editor.auth_routes import session_cookie, sign_in_form
from server.editor.viewer import safe_next
from server.http_errors import status_of

# What a provider may send back (RFC 6749 4.1.2, RFC 9207); anything else is ignored.
_CALLBACK_PARAMS = ("state", "code", "error", "iss")
STATE_COOKIE = "vouch_oidc_state"


def _state_cookie(request: Request, value: str, max_age: int) -> Cookie:
    """Ties a sign-in to the browser that started it; Lax still travels on the provider's
    redirect back, a top-level navigation."""
    secure = request.app.state.settings.base_url.startswith("https://")
    return Cookie(key=STATE_COOKIE, value=value, max_age=max_age, httponly=True, samesite="lax", secure=secure,
                  path=CALLBACK_PATH)


def _client(request: Request) -> str:
    """The browser's address, as the password sign-in counts it (a trusted proxy's header only)."""
    return client_address(request.client.host if request.client else "", request.headers.get("x-forwarded-for", ""),
                          request.app.state.proxies)


@get("/sign-in/oidc", sync_to_thread=True)
def to_provider(request: Request, db_session: DbSession, next: FromQuery[str | None] = None) -> Response:
    target = safe_next(next)
    try:
        started = start_sign_in(db_session, settings=request.app.state.settings, next_page=target,
                                client=_client(request))
    except OidcSignInRefused as refused:
        return sign_in_form(request, next_page=target, error=refused.message, status_code=status_of(refused))
    return Redirect(started.provider_url, status_code=303,
                    cookies=[_state_cookie(request, started.state, LOGIN_MINUTES * 60)])


@get("/sign-in/oidc/callback", sync_to_thread=True)
def from_provider(request: Request, db_session: DbSession) -> Response:
    params = {k: v[:2000] for k in _CALLBACK_PARAMS if isinstance(v := request.query_params.get(k), str)}
    try:
        signed_in = finish_sign_in(db_session, settings=request.app.state.settings, params=params,
                                   browser_state=request.cookies.get(STATE_COOKIE), client=_client(request))
    except OidcSignInRefused as refused:
        response = sign_in_form(request, next_page="/cards", error=refused.message, status_code=status_of(refused))
        response.cookies.append(_state_cookie(request, "", 0))
        return response
    return Redirect(safe_next(signed_in.next_page), status_code=303, cookies=[
        session_cookie(request, signed_in.session_token, SESSION_DAYS * 86400), _state_cookie(request, "", 0)])


OIDC_ROUTES = [to_provider, from_provider]
