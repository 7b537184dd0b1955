"""Card API: read, create, save with versions, verify, history; auth and bad input."""

import pytest

from tests.html_checks import runnable_parts


@pytest.fixture
def world(client):
    f = client.factory
    expert = f.user("Ada Expert")
    agent = f.user("Sam Agent")
    policies = f.collection("policies", verifier=expert, interval_days=90)
    card = f.card(policies, expert, title="Refunds within 30 days", body="Refund **in full** within 30 days.")
    return {"f": f, "expert": expert, "agent": agent, "collection": policies, "card": card,
            "as_expert": f.headers(expert), "as_agent": f.headers(agent)}


def test_read_card_shows_status_verifier_and_permissions(client, world):
    response = client.get(f"/api/cards/{world['card'].id}", headers=world["as_agent"])
    assert response.status_code == 200
    card = response.json()
    assert response.headers["etag"] == '"1"'
    assert card["status"] == "verified"
    assert card["verifier"]["name"] == "Ada Expert"
    assert card["html"] == "<p>Refund <strong>in full</strong> within 30 days.</p>\n"
    assert card["can"] == {"edit": True, "verify": False, "keep_verified_on_save": False, "manage": False,
                           "is_verifier": False, "take": False}
    as_admin = world["f"].headers(world["f"].user("Admin", role="admin"))
    # An admin may verify, but a save by an admin still sends the card to its expert: the
    # sidebar reads keep_verified_on_save, the same rule the save follows.
    admin_can = client.get(f"/api/cards/{world['card'].id}", headers=as_admin).json()["can"]
    assert admin_can == {"edit": True, "verify": True, "keep_verified_on_save": False, "manage": True,
                         "is_verifier": False, "take": False}
    saved = client.put(f"/api/cards/{world['card'].id}", headers={**as_admin, "If-Match": '"1"'},
                       json={"title": "Refunds", "body": "Refund half within 30 days."}).json()
    assert saved["status"] == "unverified"
    expert_can = client.get(f"/api/cards/{world['card'].id}", headers=world["as_expert"]).json()["can"]
    assert expert_can["keep_verified_on_save"] is True
    assert card["collection"]["slug"] == "policies"
    assert card["verify_due_at"] is not None


def test_agent_save_unverifies_and_records_origin(client, world):
    card_id = world["card"].id
    from_extension = world["f"].headers(world["agent"], kind="extension")
    response = client.put(f"/api/cards/{card_id}", headers={**from_extension, "If-Match": '"1"'},
                          json={"body": "Refund in full within 14 days.",
                                "origin": {"kind": "sidebar", "host": "mail.google.com"}})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "unverified"
    assert response.json()["version"] == 2
    revisions = client.get(f"/api/cards/{card_id}/revisions", headers=world["as_agent"]).json()
    assert [r["version"] for r in revisions] == [2, 1]
    assert revisions[0]["author"]["name"] == "Sam Agent"
    assert (revisions[0]["origin"], revisions[0]["origin_host"]) == ("sidebar", "mail.google.com")
    assert revisions[0]["status"] == "unverified"


def test_the_origin_is_the_servers_to_say_not_the_body(client, world):
    """A script's token that claims to be the sidebar on another host is recorded as the API."""
    card_id = world["card"].id
    response = client.put(f"/api/cards/{card_id}", headers={**world["as_agent"], "If-Match": '"1"'},
                          json={"body": "Refund in full within 15 days.",
                                "origin": {"kind": "sidebar", "host": "mail.google.com"}})
    assert response.status_code == 200
    newest = client.get(f"/api/cards/{card_id}/revisions", headers=world["as_agent"]).json()[0]
    assert (newest["origin"], newest["origin_host"]) == ("api", None)


def test_expert_save_keeps_card_verified(client, world):
    response = client.put(f"/api/cards/{world['card'].id}", headers={**world["as_expert"], "If-Match": "1"},
                          json={"body": "Refund in full within 45 days."})
    assert response.json()["status"] == "verified"
    assert response.json()["verified_by"]["name"] == "Ada Expert"


def test_verify_by_expert_and_forbidden_for_agent(client, world):
    card_id = world["card"].id
    client.put(f"/api/cards/{card_id}", headers={**world["as_agent"], "If-Match": "1"}, json={"body": "Changed words."})
    denied = client.post(f"/api/cards/{card_id}/verify", headers=world["as_agent"])
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    verified = client.post(f"/api/cards/{card_id}/verify", headers=world["as_expert"])
    assert verified.status_code == 200
    assert verified.json()["status"] == "verified"
    assert verified.json()["needs_verification"] is False


def test_stale_save_gets_409_with_current_card_and_changes_nothing(client, world):
    card_id = world["card"].id
    first = client.put(f"/api/cards/{card_id}", headers={**world["as_expert"], "If-Match": "1"},
                       json={"body": "Newer text from the expert."})
    assert first.status_code == 200
    stale = client.put(f"/api/cards/{card_id}", headers={**world["as_agent"], "If-Match": '"1"'},
                       json={"body": "Older edit that must not win."})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "card_conflict"
    assert error["detail"]["current"]["body"] == "Newer text from the expert."
    assert error["detail"]["current"]["version"] == 2
    now = client.get(f"/api/cards/{card_id}", headers=world["as_agent"]).json()
    assert now["body"] == "Newer text from the expert."
    assert now["version"] == 2


def test_save_without_if_match_is_refused(client, world):
    response = client.put(f"/api/cards/{world['card'].id}", headers=world["as_agent"], json={"body": "x"})
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "version_required"


@pytest.mark.parametrize("if_match", ["abc", '"1', "1,2", "-1"])
def test_malformed_if_match_is_a_clear_400(client, world, if_match):
    response = client.put(f"/api/cards/{world['card'].id}", headers={**world["as_agent"], "If-Match": if_match},
                          json={"body": "x"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_version"


def test_missing_card_is_404(client, world):
    assert client.get("/api/cards/999999", headers=world["as_agent"]).status_code == 404
    response = client.put("/api/cards/999999", headers={**world["as_agent"], "If-Match": "1"}, json={"body": "x"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.post("/api/cards/999999/verify", headers=world["as_expert"]).status_code == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_card_routes_need_a_valid_token(client, world, headers):
    response = client.get(f"/api/cards/{world['card'].id}", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", b'{"title": 5}', b'{"tags": "refunds"}', b'{"title": ""}', b'{"body": null, "title": "   "}',
])
def test_malformed_save_bodies_are_400_and_change_nothing(client, world, body):
    response = client.put(f"/api/cards/{world['card'].id}",
                          headers={**world["as_agent"], "If-Match": "1", "Content-Type": "application/json"},
                          content=body)
    assert response.status_code == 400, response.text
    assert set(response.json()["error"]) == {"code", "message", "detail"}
    assert client.get(f"/api/cards/{world['card'].id}", headers=world["as_agent"]).json()["version"] == 1


def test_oversized_body_is_413(client, world):
    response = client.put(f"/api/cards/{world['card'].id}", headers={**world["as_agent"], "If-Match": "1"},
                          json={"body": "x" * 1_200_000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_create_card_by_non_verifier_waits_for_verification(client, world):
    response = client.post("/api/cards", headers=world["as_agent"],
                           json={"collection": "policies", "title": "Chargebacks", "body": "Never refund twice.",
                                 "tags": ["Billing", "billing", " disputes "]})
    assert response.status_code == 201, response.text
    card = response.json()
    assert card["status"] == "unverified"
    assert card["tags"] == ["billing", "disputes"]
    assert card["verifier"]["name"] == "Ada Expert"


def test_create_card_in_unknown_collection_is_404(client, world):
    response = client.post("/api/cards", headers=world["as_agent"], json={"collection": "nope", "title": "x"})
    assert response.status_code == 404


def test_hostile_markdown_is_rendered_harmless(client, world):
    body = '<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror="alert(1)">'
    created = client.post("/api/cards", headers=world["as_expert"],
                          json={"collection": "policies", "title": "<b>Bold?</b>", "body": body}).json()
    assert runnable_parts(created["html"]) == []
    assert "&lt;script&gt;" in created["html"]  # shown as text, not dropped silently
    assert created["title"] == "<b>Bold?</b>"  # stored as text; the client escapes it


def test_nul_characters_are_dropped_not_a_500(client, world):
    response = client.post("/api/cards", headers=world["as_expert"],
                           json={"collection": "policies", "title": "Nul\u0000 title", "body": "a\u0000b", "tags": ["x\u0000"]})
    assert response.status_code == 201, response.text
    assert (response.json()["title"], response.json()["body"], response.json()["tags"]) == ("Nul title", "ab", ["x"])
