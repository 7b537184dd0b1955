"""Connecting the browser extension: a signed-in user agrees, and the extension (which opened
this page) reads the new API token from it. The token never travels in a URL."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post

from server.accounts.tokens import issue_token
from server.dependencies import DbSession
from server.editor.pages import page
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer

TOKEN_NAME = "Browser extension"


class ConnectPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/connect", sync_to_thread=True)
    def ask(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        return page(request, db_session, viewer, "connect/ask.html")

    @post("/connect", sync_to_thread=True, status_code=200)
    def connect(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        token = issue_token(db_session, actor=viewer, name=TOKEN_NAME, kind="extension")
        response = page(request, db_session, viewer, "connect/done.html", token=token)
        response.headers["Cache-Control"] = "no-store"
        return response


ROUTES = [ConnectPages]
