"""Every web page, under one router whose errors are pages, not JSON."""

from __future__ import annotations

from litestar import Request, Response, Router
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template
from litestar.static_files import create_static_files_router

from server.editor import (access_pages, admin_pages, analytics_pages, card_actions, card_pages, connect_pages,
                           customer_pages, editor_pages, history_pages, queue_pages, transfer_pages, trigger_pages)
from server.editor.auth_routes import AUTH_ROUTES
from server.editor.oidc_routes import OIDC_ROUTES
from server.editor.templating import STATIC
from server.editor.viewer import PAGE_ERROR_HANDLERS, wants_page
from server.http_errors import on_http_error, on_validation_error

PAGE_MODULES = (card_pages, card_actions, editor_pages, history_pages, queue_pages, customer_pages, analytics_pages,
                admin_pages, access_pages, transfer_pages, connect_pages, trigger_pages)


def on_bad_form(request: Request, exc: ValidationException) -> Response:
    if not wants_page(request):
        return on_validation_error(request, exc)
    return Template(template_name="error.html", status_code=400, context={
        "status": 400, "viewer": None, "message": "The form was incomplete or malformed; nothing was saved."})


def on_http_error_page(request: Request, exc: HTTPException) -> Response:
    """Unknown pages and failed CSRF checks: a page for browsers, the JSON shape for the API."""
    if not wants_page(request):
        return on_http_error(request, exc)
    message = str(exc.detail)
    if exc.status_code == 403 and "CSRF" in message:
        message = "This form expired or came from another site; reload the page and try again."
    elif exc.status_code == 413:
        limit = request.app.state.settings.max_body_bytes
        message = (f"That upload is larger than this server accepts ({limit:,} bytes, set by VOUCH_MAX_BODY_BYTES); "
                   "nothing was saved.")
    return Template(template_name="error.html", status_code=exc.status_code,
                    context={"status": exc.status_code, "viewer": None, "message": message})


def web_router() -> Router:
    return Router(path="/", route_handlers=[*AUTH_ROUTES, *OIDC_ROUTES, *(r for m in PAGE_MODULES for r in m.ROUTES)],
                  exception_handlers={**PAGE_ERROR_HANDLERS, ValidationException: on_bad_form})


def static_router() -> Router:
    return create_static_files_router(path="/static", directories=[STATIC], send_as_attachment=False,
                                      cache_control=None, include_in_schema=False)
