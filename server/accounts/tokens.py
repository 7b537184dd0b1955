"""API tokens after they are made: naming a new one, listing, and revoking (DESIGN: tokens
are revocable; a revoked token fails on its very next request)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, func, select

from server.accounts.models import ApiToken, User
from server.accounts.service import create_token, users_by_id
from server.audit.service import record
from server.clock import now
from server.db import begin_write
from server.errors import NotFound, TooManyAttempts
from server.policies.accounts import can_revoke_token, require_admin
from server.text import required_line

MAX_NAME = 200


TOKENS_PER_WINDOW = 10  # tokens one person may make (token pages, API, extension) within TOKEN_WINDOW
TOKEN_WINDOW = timedelta(minutes=10)


def issue_token(session: Session, *, actor: User, name: str, kind: str = "personal") -> str:
    """A new named token for `actor`, returned once; only its hash is kept. A person makes a
    few a day at most: a script making them in a loop is stopped after TOKENS_PER_WINDOW."""
    problem = f"Give the token a name of at most {MAX_NAME} characters, e.g. the laptop it is for."
    name = required_line(name, max_chars=MAX_NAME, code="invalid_name", missing=problem, too_long=problem)
    recent = session.exec(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == actor.id, ApiToken.created_at > now() - TOKEN_WINDOW)).one()
    if recent >= TOKENS_PER_WINDOW:
        raise TooManyAttempts(f"You made {recent} tokens in the last {TOKEN_WINDOW.seconds // 60} minutes: wait a few "
                              "minutes before making another.")
    return create_token(session, user=actor, name=name, kind=kind)


def list_tokens(session: Session, *, actor: User, everyone: bool = False) -> list[ApiToken]:
    """The actor's tokens, newest first; every user's with `everyone` (admins only)."""
    if everyone:
        require_admin(actor)
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if not everyone:
        query = query.where(ApiToken.user_id == actor.id)
    return list(session.exec(query))


def owners_of(session: Session, tokens: list[ApiToken]) -> dict[int, User]:
    return users_by_id(session, [t.user_id for t in tokens])


def revoke_token(session: Session, *, actor: User, token_id: int) -> ApiToken:
    """Revoke a token now. Revoking a revoked token changes nothing, so a double click is harmless.
    Someone else's token is reported as missing unless the actor is an admin, so ids reveal nothing."""
    begin_write(session)
    token = session.get(ApiToken, token_id)
    if token is None or not can_revoke_token(actor, token):
        raise NotFound(f"There is no API token {token_id} of yours.")
    if token.revoked_at is None:
        token.revoked_at = now()
        session.add(token)
        record(session, actor_id=actor.id, action="token_revoked", target_type="api_token", target_id=token.id,
               owner_id=token.user_id, name=token.name)
    session.commit()
    session.refresh(token)
    return token
