"""API tokens: naming, listing, revoking (own or, for admins, anyone's), audit, and a revoked
token refused by the API on its next request."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient
from sqlmodel import select

from server.accounts import tokens
from server.accounts.token_routes import TokenController
from server.app import create_app
from server.audit.models import AuditEvent
from server.errors import Forbidden, Invalid, NotFound
from tests.factories import Factory


@pytest.fixture
def api(settings):
    """The app with the token API, whether or not app.py lists it yet."""
    app = create_app(settings)
    if not any(route.path.startswith("/api/tokens") for route in app.routes):
        app.register(TokenController)
    with TestClient(app=app, raise_server_exceptions=False) as client:
        client.factory = Factory(app.state.db, app.state.index)
        yield client


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_named_token_is_listed_without_its_secret_and_revoking_it_stops_it_at_once(api):
    ada = api.factory.user("Ada")
    with api.factory.db.session() as s:
        token = tokens.issue_token(s, actor=ada, name="  Work   laptop ")
    assert api.get("/api/me", headers=bearer(token)).status_code == 200
    listed = api.get("/api/tokens", headers=bearer(token)).json()
    assert [(t["name"], t["prefix"], t["active"]) for t in listed] == [("Work laptop", token[:10], True)]
    assert token not in str(listed) and "hash" not in str(listed)
    assert listed[0]["last_used_at"] is not None and listed[0]["user"]["name"] == "Ada"

    other = api.factory.token(ada)
    assert api.delete(f"/api/tokens/{listed[0]['id']}", headers=bearer(other)).status_code == 204
    response = api.get("/api/me", headers=bearer(token))
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
    assert api.delete(f"/api/tokens/{listed[0]['id']}", headers=bearer(other)).status_code == 204  # harmless twice
    with api.factory.db.session() as s:
        actions = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.target_type == "api_token"))]
    assert actions.count("token_created") == 2 and actions.count("token_revoked") == 1


def test_a_member_cannot_see_or_revoke_someone_elses_token_and_an_admin_can(api):
    ada, sam, boss = api.factory.user("Ada"), api.factory.user("Sam"), api.factory.user("Boss", role="admin")
    ada_token, sam_token, boss_token = api.factory.token(ada), api.factory.token(sam), api.factory.token(boss)
    ada_id = api.get("/api/tokens", headers=bearer(ada_token)).json()[0]["id"]

    assert [t["user"]["name"] for t in api.get("/api/tokens", headers=bearer(sam_token)).json()] == ["Sam"]
    refused = api.get("/api/tokens?all=true", headers=bearer(sam_token))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    missing = api.delete(f"/api/tokens/{ada_id}", headers=bearer(sam_token))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert api.get("/api/me", headers=bearer(ada_token)).status_code == 200

    everyone = api.get("/api/tokens?all=true", headers=bearer(boss_token)).json()
    assert {t["user"]["name"] for t in everyone} == {"Ada", "Sam", "Boss"}
    assert api.delete(f"/api/tokens/{ada_id}", headers=bearer(boss_token)).status_code == 204
    assert api.get("/api/me", headers=bearer(ada_token)).status_code == 401


def test_token_rules_in_the_service(factory):
    ada, admin = factory.user("Ada"), factory.user("Admin", role="admin")
    with factory.db.session() as s:
        for name in ("", "   ", "x" * 201):
            with pytest.raises(Invalid):
                tokens.issue_token(s, actor=ada, name=name)
        tokens.issue_token(s, actor=ada, name='<script>alert("x")</script>')
        with pytest.raises(Forbidden):
            tokens.list_tokens(s, actor=ada, everyone=True)
        with pytest.raises(NotFound):
            tokens.revoke_token(s, actor=ada, token_id=999_999)
        mine = tokens.list_tokens(s, actor=ada)
        assert [t.name for t in mine] == ['<script>alert("x")</script>']
        revoked = tokens.revoke_token(s, actor=admin, token_id=mine[0].id)
        assert revoked.revoked_at is not None
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "token_revoked")).one()
        assert (event.actor_id, event.details["owner_id"]) == (admin.id, ada.id)


def test_the_api_needs_a_token(api):
    response = api.get("/api/tokens")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
