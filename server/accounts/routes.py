"""Who am I, and is the server up."""

from __future__ import annotations

from litestar import get

from server import __version__
from server.dependencies import AUTHENTICATED, CurrentUser
from server.presenting import user_summary


@get("/api/health", tags=["system"], sync_to_thread=False)
def health() -> dict:
    return {"status": "ok", "version": __version__}


@get("/api/me", dependencies=AUTHENTICATED, tags=["accounts"], sync_to_thread=False)
def me(user: CurrentUser) -> dict:
    return {**user_summary(user), "role": user.role}
