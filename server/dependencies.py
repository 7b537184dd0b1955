"""Request-scoped dependencies: a database session, the signed-in user, the search index."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlmodel import Session

from server.accounts.models import User
from server.accounts.service import user_for_token
from server.db import release
from server.errors import Invalid, NotAuthenticated, VersionRequired
from server.search.index import SearchIndex

_VERSION = re.compile(r'^\s*(?:W/)?(?:"(\d{1,12})"|(\d{1,12}))\s*$')

# Typed names for what handlers receive, so every route says what it depends on.
DbSession = NamedDependency[Session]
CurrentUser = NamedDependency[User]
Index = NamedDependency[SearchIndex]


async def provide_session(state: State) -> AsyncGenerator[Session, None]:
    """A session for the request, closed on the event loop when the response is made.
    Litestar runs a plain generator's cleanup in a worker thread: under load every
    thread was busy with handlers waiting for connections that sessions awaiting their
    cleanup held, and nothing moved until the pool's 30-second timeout (500s). Closing
    hands the connection back with a rollback of a finished read, which never waits
    for a lock."""
    session = state.db.session()
    try:
        yield session
    finally:
        session.close()


def provide_user(request: Request, db_session: DbSession) -> User:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Sign in: send an API token as 'Authorization: Bearer <token>'.")
    user, kind = user_for_token(db_session, token.strip())
    release(db_session)
    acting(db_session, request)
    request.state[TOKEN_KIND] = kind
    return user


TOKEN_KIND = "vouch_token_kind"


def save_origin(request: Request) -> str:
    """Where a card change came from, as the history records it: the sidebar when the request
    carries a token the extension's connect page made, else the API. Decided here, from how
    the request came, never taken from its body."""
    return "sidebar" if request.state.get(TOKEN_KIND) == "extension" else "api"


ACTING = "vouch_acting"  # a session's info: the request its signed-in user makes ("PUT /api/cards/3")


def acting(session: Session, request: Request) -> None:
    """Mark the session as serving `request` from here on: what it writes now is the user's
    action (before, only the sign-in's own bookkeeping), which is one transaction."""
    session.info[ACTING] = f"{request.method} {request.url.path}"


def provide_index(state: State) -> SearchIndex:
    return state.index


def expected_version(request: Request) -> int:
    """The version a save started from, from If-Match ("3" or W/"3")."""
    header = request.headers.get("if-match")
    if header is None:
        raise VersionRequired("Send the version you started from as an If-Match header, so a newer edit is "
                              "never overwritten.")
    match = _VERSION.match(header)
    if not match:
        raise Invalid("If-Match must be a card version such as \"3\".", code="invalid_version")
    return int(match.group(1) or match.group(2))


DEPENDENCIES = {
    "db_session": Provide(provide_session),
    "index": Provide(provide_index, sync_to_thread=False),
}
AUTHENTICATED = {"user": Provide(provide_user, sync_to_thread=True)}
