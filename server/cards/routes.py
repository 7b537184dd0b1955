"""Card endpoints: thin — parse, call one service function, present."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, JSONBody
from sqlmodel import Field, Session, SQLModel

from server.cards import archive, restore, service
from server.cards.reply import write_reply
from server.cards.presenters import present_card, present_revisions
from server.cards.schemas import CardCreate, CardUpdate, Origin
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession, expected_version, save_origin
from server.errors import Conflict


def card_response(session: Session, card, user: CurrentUser, status_code: int = 200) -> Response:
    return Response(present_card(session, card, user), status_code=status_code,
                    headers={"ETag": f'"{card.version}"'})


def _origin(request: Request, said: Origin) -> dict:
    """The server decides where a change came from (save_origin); of what the body says, only the
    page the sidebar was open on is kept, and only for a change from the sidebar."""
    origin = save_origin(request)
    return {"origin": origin, "origin_host": said.host if origin == "sidebar" else None}


class ReplyRequest(SQLModel):
    """What the sidebar knows of the conversation a card goes into."""

    action: Literal["inserted", "copied"]
    customer_id: int | None = Field(default=None, ge=1)
    contact_name: str | None = Field(default=None, max_length=200)  # the person writing in, as shown
    conversation: str | None = Field(default=None, max_length=300)  # the sidebar's key for it
    host: str | None = Field(default=None, max_length=255)


class CardController(Controller):
    path = "/api/cards"
    dependencies = AUTHENTICATED
    tags = ["cards"]

    @get("/{card_id:int}", sync_to_thread=True)
    def read(self, card_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> Response:
        return card_response(db_session, service.readable_card(db_session, user, card_id), user)

    @post("/", sync_to_thread=True)
    def create(self, data: JSONBody[CardCreate], request: Request, db_session: DbSession,
               user: CurrentUser) -> Response:
        card = service.create_card(db_session, actor=user, collection_slug=data.collection, title=data.title,
                                   body=data.body, tags=data.tags, language=data.language,
                                   interval_days="default" if data.interval_days == -1 else data.interval_days,
                                   **_origin(request, data.origin))
        return card_response(db_session, card, user, status_code=201)

    @put("/{card_id:int}", sync_to_thread=True)
    def update(self, card_id: FromPath[int], data: JSONBody[CardUpdate], request: Request, db_session: DbSession, user: CurrentUser) -> Response:
        try:
            card = service.update_card(db_session, actor=user, card_id=card_id,
                                       expected_version=expected_version(request), title=data.title,
                                       body=data.body, tags=data.tags, **_origin(request, data.origin))
        except Conflict as conflict:
            conflict.detail["current"] = present_card(db_session, conflict.detail["current"], user)
            raise
        return card_response(db_session, card, user)

    @post("/{card_id:int}/verify", sync_to_thread=True, status_code=200)
    def verify(self, card_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> Response:
        return card_response(db_session, service.verify_card(db_session, actor=user, card_id=card_id), user)

    @post("/{card_id:int}/archive", sync_to_thread=True, status_code=200)
    def archive(self, card_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> Response:
        return card_response(db_session, archive.archive_card(db_session, actor=user, card_id=card_id), user)

    @post("/{card_id:int}/unarchive", sync_to_thread=True, status_code=200)
    def unarchive(self, card_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> Response:
        return card_response(db_session, archive.unarchive_card(db_session, actor=user, card_id=card_id), user)

    @post("/{card_id:int}/revisions/{version:int}/restore", sync_to_thread=True, status_code=200)
    def restore(self, card_id: FromPath[int], version: FromPath[int], request: Request, db_session: DbSession,
                user: CurrentUser) -> Response:
        card = restore.restore_revision(db_session, actor=user, card_id=card_id, version=version,
                                        expected_version=expected_version(request))
        return card_response(db_session, card, user)

    @get("/{card_id:int}/revisions", sync_to_thread=True)
    def revisions(self, card_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> list[dict]:
        return present_revisions(db_session, service.list_revisions(db_session, user, card_id))

    @post("/{card_id:int}/reply", sync_to_thread=True, status_code=200)
    def reply(self, card_id: FromPath[int], data: JSONBody[ReplyRequest], db_session: DbSession,
              user: CurrentUser) -> dict:
        """The card filled in for a conversation, as HTML and text, with the names left unfilled."""
        written = write_reply(db_session, user=user, card_id=card_id, action=data.action,
                                    customer_id=data.customer_id, contact_name=data.contact_name,
                                    conversation=data.conversation, host=data.host)
        return {"html": written.html, "text": written.text, "unfilled": written.unfilled, "use_id": written.use_id}
