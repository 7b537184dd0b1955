"""Domain errors. Services raise these; server/http_errors.py maps them to HTTP."""

from __future__ import annotations

from typing import Any


class VouchError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, detail: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.detail = detail or {}


class NotFound(VouchError):
    code = "not_found"


class Invalid(VouchError):
    code = "invalid_request"


class NotAuthenticated(VouchError):
    code = "not_authenticated"


class Forbidden(VouchError):
    code = "forbidden"


class Conflict(VouchError):
    """A save that started from an older version; detail['current'] is the newer object."""

    code = "conflict"


class VersionRequired(VouchError):
    code = "version_required"


class TooManyAttempts(VouchError):
    """Too many tries in a short time; the message says how long to wait."""

    code = "too_many_attempts"
