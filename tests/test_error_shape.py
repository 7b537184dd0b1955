"""One error shape for the whole API, pinned (every route, every failure)."""

import pytest

ENDPOINTS = [
    ("GET", "/api/me"), ("GET", "/api/search?q=refund"), ("POST", "/api/context"),
    ("GET", "/api/cards/1"), ("POST", "/api/cards"), ("PUT", "/api/cards/1"), ("POST", "/api/cards/1/verify"),
    ("GET", "/api/cards/1/revisions"), ("GET", "/api/customers"), ("GET", "/api/customers/1"),
    ("GET", "/api/customers/1/facts"), ("POST", "/api/customers/1/facts"), ("PUT", "/api/facts/1"),
    ("DELETE", "/api/facts/1"), ("GET", "/api/tokens"), ("DELETE", "/api/tokens/1"),
    ("POST", "/api/cards/1/archive"), ("POST", "/api/cards/1/revisions/1/restore"),
]


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"code", "message", "detail"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_every_api_route_refuses_without_a_token_in_one_shape(client, method, path):
    response = client.request(method, path, json={})
    error = assert_error_shape(response, 401, "not_authenticated")
    assert "token" in error["message"].lower()
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_route_and_wrong_method(client):
    assert_error_shape(client.get("/api/nothing-here"), 404, "not_found")
    assert_error_shape(client.delete("/api/health"), 405, "method_not_allowed")


def test_revoked_or_garbage_tokens_are_401(client):
    for header in ["Bearer", "Bearer " + "x" * 5000, "bearer \u0000", "Token abc"]:
        assert_error_shape(client.get("/api/me", headers={"Authorization": header}), 401, "not_authenticated")


def test_health_and_openapi_need_no_token(client):
    assert client.get("/api/health").json() == {"status": "ok", "version": "0.1.0"}
    spec = client.get("/schema/openapi.json").json()
    assert "/api/cards/{card_id}" in spec["paths"]
    assert "/api/context" in spec["paths"]


def test_search_endpoint_answers_with_summaries(client):
    f = client.factory
    expert = f.user("Expert")
    kb = f.collection("kb", verifier=expert)
    f.card(kb, expert, title="Handling a refund request", body="Refund within **30 days** of a charge.")
    h = f.headers(f.user("Agent"))
    body = client.get("/api/search", params={"q": "refunds"}, headers=h).json()
    assert body["total"] == 1 and body["query"] == "refunds"
    hit = body["results"][0]
    assert (hit["title"], hit["status"], hit["collection"]["slug"]) == ("Handling a refund request", "verified", "kb")
    assert "<mark>Refund</mark>" in hit["snippet"]
    assert client.get("/api/search", params={"q": ""}, headers=h).json()["results"] == []
    assert_error_shape(client.get("/api/search", params={"q": "x" * 1001}, headers=h), 400, "query_too_long")
    assert_error_shape(client.get("/api/search", params={"q": "a", "limit": 0}, headers=h), 400, "invalid_request")
