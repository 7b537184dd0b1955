"""What every web page carries: a strict Content-Security-Policy, CSRF checks on forms,
and the secret that signs CSRF tokens."""

from __future__ import annotations

import secrets
from pathlib import Path

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope
from litestar.config.csrf import CSRFConfig

from server.settings import Settings

# No inline scripts or styles, nothing from another origin: an injected <script> in a card
# cannot run even if it got past the sanitizer.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
    "frame-ancestors 'none'", "form-action 'self'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class InsecureSecret(RuntimeError):
    pass


def secret_key(settings: Settings) -> str:
    """VOUCH_SECRET_KEY; in development a random key kept in the data directory, so restarts
    and several workers agree. Production refuses to start without a real one."""
    if settings.secret_key:
        if len(settings.secret_key) < 32:
            raise InsecureSecret("VOUCH_SECRET_KEY must be at least 32 characters long.")
        return settings.secret_key
    if settings.environment == "production":
        raise InsecureSecret("Set VOUCH_SECRET_KEY (32 or more random characters) to run in production.")
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_suffix(f".{secrets.token_hex(4)}")
        candidate.write_text(secrets.token_urlsafe(48))
        candidate.chmod(0o600)
        try:
            path.hardlink_to(candidate)  # atomic: the first writer wins
        except FileExistsError:
            pass  # another worker made it first; use theirs
        finally:
            candidate.unlink(missing_ok=True)
    return path.read_text().strip()


def csrf_config(settings: Settings) -> CSRFConfig:
    """Double-submit tokens signed with the secret key on every form and htmx request.
    The API is excluded: it takes bearer tokens only, never cookies."""
    return CSRFConfig(secret=secret_key(settings), cookie_name="vouch_csrf", cookie_httponly=True,
                      cookie_secure=settings.base_url.startswith("https://"), cookie_samesite="lax",
                      exclude=["^/api/", "^/static/", "^/schema"])


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A before_send hook, so error pages and static files carry the headers too."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value
