"""Bad numbers and shapes get a clear 400, never a 500: a number too large for the
database on every route, API and page alike (wherever an id of 2**70 reaches the database,
it is refused there), and JSON nested deeper than the decoder follows."""

import re

import pytest

from tests.test_error_shape import assert_error_shape
from tests.web.pages import HTML, csrf_token, sign_in

HUGE = str(2**70)
_INT_PARAMETER = re.compile(r"\{(\w+):int\}")


def _routes_with_ids(client, api: bool):
    """(method, path with every integer parameter set to HUGE) for each route of the app."""
    for route in client.app.routes:
        if not _INT_PARAMETER.search(route.path):
            continue
        path = _INT_PARAMETER.sub(HUGE, route.path)
        if path.startswith("/api/") != api:
            continue
        for method in sorted(getattr(route, "methods", ()) - {"HEAD", "OPTIONS"}):
            yield method, path


def test_every_api_route_refuses_a_huge_id_with_400(client):
    f = client.factory
    headers = {**f.headers(f.user("Admin", role="admin")), "If-Match": "1"}
    checked = 0
    for method, path in _routes_with_ids(client, api=True):
        response = client.request(method, path, headers=headers, json={"title": "t", "body": "b", "value": "v"})
        assert response.status_code < 500, (method, path, response.text)
        if response.status_code == 400:
            assert_error_shape(response, 400)
        checked += 1
    assert checked >= 10
    assert_error_shape(client.get(f"/api/cards/{HUGE}", headers=headers), 400, "number_out_of_range")


def test_every_page_with_an_id_refuses_a_huge_one_without_a_server_error(client):
    f = client.factory
    f.user("Admin", role="admin", email="admin@example.test", password="a long enough password")
    sign_in(client, "admin@example.test", "a long enough password")
    token = csrf_token(client, "/cards")
    checked = 0
    for method, path in _routes_with_ids(client, api=False):
        response = client.request(method, path, headers=HTML, data={"_csrf_token": token, "title": "t"},
                                  follow_redirects=False)
        assert response.status_code < 500, (method, path, response.text[:300])
        checked += 1
    assert checked >= 10
    page = client.get(f"/cards/{HUGE}", headers=HTML)
    assert page.status_code == 400 and "too large" in page.text


@pytest.mark.parametrize("field", ["card_id", "search_id"])
def test_a_huge_number_in_a_body_is_a_400_too(client, field):
    f = client.factory
    expert = f.user("Expert")
    card = f.card(f.collection("kb", verifier=expert), expert, title="Refunds")
    event = {"card_id": card.id, "action": "copied", field: int(HUGE)}
    response = client.post("/api/analytics/events", json=event, headers=f.headers(f.user("Agent")))
    assert_error_shape(response, 400)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_past_what_the_decoder_follows_is_a_400(client, depth):
    f = client.factory
    headers = {**f.headers(f.user("Agent")), "content-type": "application/json"}
    for body in ["[" * depth + "]" * depth, '{"text": ' + "[" * depth + "]" * depth + "}"]:
        error = assert_error_shape(client.post("/api/context", content=body, headers=headers), 400, "invalid_request")
        assert "nested too deeply" in error["message"]
