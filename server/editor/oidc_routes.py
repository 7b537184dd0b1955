"""Sign-in with the company's OpenID Connect provider: to the provider, and back."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Redirect

from server.accounts.oidc import OidcSignInRefused, finish_sign_in, start_sign_in
from server.accounts.sessions import SESSION_DAYS
from server.dependencies import DbSession
from server.editor.auth_routes import session_cookie, sign_in_form
from server.editor.viewer import safe_next
from server.http_errors import status_of

# What a provider may send back (RFC 6749 4.1.2, RFC 9207); anything else is ignored.
_CALLBACK_PARAMS = ("state", "code", "error", "iss")


@get("/sign-in/oidc", sync_to_thread=True)
def to_provider(request: Request, db_session: DbSession, next: FromQuery[str | None] = None) -> Response:
    target = safe_next(next)
    try:
        return Redirect(start_sign_in(db_session, settings=request.app.state.settings, next_page=target),
                        status_code=303)
    except OidcSignInRefused as refused:
        return sign_in_form(request, next_page=target, error=refused.message, status_code=status_of(refused))


@get("/sign-in/oidc/callback", sync_to_thread=True)
def from_provider(request: Request, db_session: DbSession) -> Response:
    params = {k: v[:2000] for k in _CALLBACK_PARAMS if isinstance(v := request.query_params.get(k), str)}
    try:
        signed_in = finish_sign_in(db_session, settings=request.app.state.settings, params=params)
    except OidcSignInRefused as refused:
        return sign_in_form(request, next_page="/cards", error=refused.message, status_code=status_of(refused))
    return Redirect(safe_next(signed_in.next_page), status_code=303,
                    cookies=[session_cookie(request, signed_in.session_token, SESSION_DAYS * 86400)])


OIDC_ROUTES = [to_provider, from_provider]
