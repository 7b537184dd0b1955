"""What every web page carries: a strict Content-Security-Policy, CSRF checks on forms,
and the secret that signs CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from pathlib import Path

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope
from litestar.config.csrf import CSRFConfig

from sqlalchemy.exc import IntegrityError

from server.accounts.models import SigningKey
from server.clock import now
from server.db import Database
from server.settings import Settings

log = logging.getLogger(__name__)

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


def _fingerprint(key: str) -> str:
    return hmac.new(key.encode(), b"vouch: which key signs this database's forms", hashlib.sha256).hexdigest()


def agree_on_signing_key(db: Database, settings: Settings, key: str) -> None:
    """Nodes sharing a database (VOUCH_DATABASE_URL) must sign forms with one key. A node
    whose key was made for its own data directory (no VOUCH_SECRET_KEY) refuses to start
    beside a node that signs with another: its forms would fail there with 403. A key
    set on purpose becomes the database's key (the other nodes must then be given it)."""
    if not settings.database_url:
        return  # SQLite in the data directory: every node of it shares the key file too
    fingerprint = _fingerprint(key)
    with db.session() as session:
        row = session.get(SigningKey, 1)
        if row is not None and row.fingerprint == fingerprint:
            return
        if row is not None and not settings.secret_key:
            raise InsecureSecret(
                "Another Vouch node uses this database with a different secret key, so forms served by one "
                "node would fail on the other. Set VOUCH_SECRET_KEY (32 or more random characters) to the "
                "same value on every node.")
        if row is not None:
            log.warning("VOUCH_SECRET_KEY differs from the key this database's nodes used until now: give "
                        "every node the same VOUCH_SECRET_KEY")
            row.fingerprint, row.updated_at = fingerprint, now()
        else:
            row = SigningKey(id=1, fingerprint=fingerprint)
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # another node started at the same moment: compare with its key
            session.rollback()
            agree_on_signing_key(db, settings, key)


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
