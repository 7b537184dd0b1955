"""One JSON error shape for every API error: {"error": {"code", "message", "detail"}}."""

from __future__ import annotations

import logging

from typing import Any

from litestar import Request, Response
from litestar.exceptions import ClientException, HTTPException, ValidationException

from server.errors import (Conflict, Forbidden, Invalid, NotAuthenticated, NotFound, TooManyAttempts, VersionRequired,
                           VouchError)

log = logging.getLogger(__name__)

STATUS = {NotFound: 404, Invalid: 400, NotAuthenticated: 401, Forbidden: 403, Conflict: 409, VersionRequired: 428,
          TooManyAttempts: 429}
HTTP_CODES = {
    400: "invalid_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "request_too_large", 415: "unsupported_media_type",
    429: "too_many_requests",
}


class JsonLimitedRequest(Request):
    """A request whose JSON body, nested past what the decoder can follow (about a
    thousand levels), is refused as malformed (400) rather than failing as a server error."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise ClientException("The request's JSON is nested too deeply.") from None


def error_body(code: str, message: str, detail: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "detail": detail or {}}}


def status_of(exc: VouchError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def on_domain_error(_: Request, exc: VouchError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthenticated) else None
    return Response(error_body(exc.code, exc.message, exc.detail), status_code=status_of(exc), headers=headers)


def on_validation_error(_: Request, exc: ValidationException) -> Response:
    errors = exc.extra if isinstance(exc.extra, list) else []
    message = "The request is malformed: " + "; ".join(
        f"{e.get('key', 'body')}: {e.get('message', '')}" for e in errors if isinstance(e, dict)
    ) if errors else "The request is malformed."
    return Response(error_body("invalid_request", message, {"errors": errors}), status_code=400)


def on_http_error(_: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    return Response(error_body(HTTP_CODES.get(status, "http_error"), str(exc.detail)), status_code=status,
                    headers=exc.headers)


def on_unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return Response(error_body("internal_error", "Something went wrong on the server; it has been logged."),
                    status_code=500)


EXCEPTION_HANDLERS = {
    VouchError: on_domain_error,
    ValidationException: on_validation_error,
    HTTPException: on_http_error,
    Exception: on_unexpected_error,
}
