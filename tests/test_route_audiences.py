"""Who may call each route, for every route the app has: a table kept here says each one's
audience, and every route is asked by anonymous visitors, a revoked token (a signed-out
browser), a deactivated user, a plain member and an admin. A route missing from the table
fails the test, so a new one is never added without saying who it is for.

The finer rules (each role on a card in a restricted collection, what each may do with it,
and 404s for what one may not read) are tests/test_authorization_matrix.py,
tests/cards/test_can_agrees.py and tests/test_restricted_reads.py."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from server.accounts.models import ApiToken, User
from server.verification.flags import raise_flag
from tests.web.pages import HTML, csrf_token, sign_in

PASSWORD = "correct horse battery"
PARAMETER = re.compile(r"\{(\w+):\w+\}")

# public: anyone, signed in or not. user: every active user. object: every active user, but
# the fixture's plain member is refused by the object's own rule (not their card, fact or
# collection). group: the members of the card's verifier group only, admins not included.
# owner: admins and owners of a collection. admin: admins only.
AUDIENCES = {
    "public": ["GET /", "GET /sign-in", "POST /sign-in", "GET /sign-in/oidc", "GET /sign-in/oidc/callback",
               "POST /sign-out", "GET /api/health", "GET /static/{file_path:path}", "GET /schema",
               "GET /schema/elements", "GET /schema/oauth2-redirect.html", "GET /schema/openapi.json",
               "GET /schema/openapi.yaml", "GET /schema/openapi.yml", "GET /schema/rapidoc", "GET /schema/redoc",
               "GET /schema/swagger", "GET /schema/{path:str}"],
    "user": [
        "POST /api/adapter-health", "POST /api/analytics/events", "POST /api/cards", "GET /api/cards/{card_id:int}",
        "PUT /api/cards/{card_id:int}", "GET /api/cards/{card_id:int}/changes", "POST /api/cards/{card_id:int}/flags",
        "POST /api/cards/{card_id:int}/request-verification", "GET /api/cards/{card_id:int}/revisions",
        "POST /api/cards/{card_id:int}/reply",
        "POST /api/cards/{card_id:int}/revisions/{version:int}/restore", "POST /api/cards/{card_id:int}/snooze",
        "POST /api/cards/{card_id:int}/unverify", "POST /api/context", "GET /api/customers", "POST /api/customers",
        "PUT /api/customers/{customer_id:int}",
        "GET /api/customers/{customer_id:int}", "GET /api/customers/{customer_id:int}/facts",
        "POST /api/customers/{customer_id:int}/facts", "PUT /api/facts/{fact_id:int}",
        "POST /api/facts/{fact_id:int}/confirm", "GET /api/flags",
        "GET /api/groups", "GET /api/me", "PUT /api/me/preferences", "GET /api/notifications",
        "POST /api/notifications/{notification_id:int}/read", "GET /api/queue", "GET /api/search",
        "GET /api/search/duplicates", "GET /api/tokens", "GET /api/triggers", "POST /api/triggers/test",
        "GET /api/trust", "GET /cards", "POST /cards", "GET /cards/duplicates", "GET /cards/new",
        "POST /cards/preview", "GET /cards/{card_id:int}", "GET /cards/{card_id:int}/changes",
        "GET /cards/{card_id:int}/edit", "POST /cards/{card_id:int}/edit", "POST /cards/{card_id:int}/flag",
        "GET /cards/{card_id:int}/history", "POST /cards/{card_id:int}/request-verification",
        "POST /cards/{card_id:int}/restore", "POST /cards/{card_id:int}/unverify",
        "GET /collections/{slug:str}/export.zip", "GET /connect", "POST /connect", "GET /customers",
        "POST /customers", "GET /customers/new", "GET /customers/{customer_id:int}",
        "GET /customers/{customer_id:int}/edit", "POST /customers/{customer_id:int}/edit",
        "POST /customers/{customer_id:int}/facts", "POST /customers/{customer_id:int}/facts/{fact_id:int}",
        "GET /flags", "POST /notifications/{notification_id:int}/read", "GET /queue",
        "POST /queue/{card_id:int}/snooze", "GET /tokens", "POST /tokens", "GET /transfer", "POST /transfer/import"],
    "object": [
        "POST /api/cards/{card_id:int}/archive", "POST /api/cards/{card_id:int}/unarchive",
        "POST /api/cards/{card_id:int}/verify", "PUT /api/cards/{card_id:int}/interval",
        "PUT /api/cards/{card_id:int}/verifier",
        "DELETE /api/facts/{fact_id:int}", "POST /api/flags/{flag_id:int}/resolve", "POST /api/triggers",
        "DELETE /api/triggers/{trigger_id:int}", "DELETE /api/tokens/{token_id:int}",
        "POST /cards/{card_id:int}/archive", "POST /cards/{card_id:int}/unarchive", "POST /cards/{card_id:int}/verify",
        "POST /cards/{card_id:int}/triggers",
        "POST /cards/{card_id:int}/triggers/{trigger_id:int}/delete",
        "POST /customers/{customer_id:int}/facts/{fact_id:int}/delete", "POST /customers/{customer_id:int}/delete",
        "POST /flags/{flag_id:int}/resolve", "POST /tokens/{token_id:int}/revoke"],
    "group": ["POST /api/cards/{card_id:int}/take", "POST /cards/{card_id:int}/take"],
    "owner": [
        "GET /analytics", "GET /analytics/{filename:str}", "GET /api/analytics/conversations",
        "GET /api/analytics/top-cards",
        "GET /api/analytics/top-queries", "GET /api/analytics/unused-cards", "GET /api/analytics/zero-results",
        "GET /api/collections/{slug:str}/access", "POST /api/collections/{slug:str}/access",
        "DELETE /api/collections/{slug:str}/access/{grant_id:int}", "PUT /api/collections/{slug:str}/restricted",
        "GET /admin/collections/{collection_id:int}/access", "POST /admin/collections/{collection_id:int}/access",
        "POST /admin/collections/{collection_id:int}/access/{grant_id:int}/remove",
        "POST /admin/collections/{collection_id:int}/restricted"],
    "admin": [
        "GET /admin", "GET /admin/adapters", "GET /admin/audit", "GET /admin/audit.csv", "GET /admin/collections",
        "POST /admin/collections", "GET /admin/collections/{collection_id:int}",
        "POST /admin/collections/{collection_id:int}", "GET /admin/groups", "POST /admin/groups",
        "POST /admin/groups/{group_id:int}/members", "POST /admin/groups/{group_id:int}/members/{user_id:int}/remove",
        "POST /admin/groups/{group_id:int}/rename", "POST /admin/groups/{group_id:int}/delete",
        "GET /admin/tokens", "POST /admin/users", "POST /admin/users/{user_id:int}/deactivate",
        "POST /admin/users/{user_id:int}/password", "POST /admin/users/{user_id:int}/reactivate",
        "POST /admin/users/{user_id:int}/role", "GET /api/adapter-health", "GET /api/audit", "GET /api/audit/csv",
        "PUT /api/customers/{customer_id:int}/access", "DELETE /api/customers/{customer_id:int}",
        "POST /api/customers/{customer_id:int}/merge", "POST /api/customers/bulk", "GET /customers/import",
        "POST /customers/import", "POST /api/groups", "POST /api/groups/{group_id:int}/members",
        "DELETE /api/groups/{group_id:int}/members/{user_id:int}", "POST /api/users/{user_id:int}/deactivate",
        "PUT /api/groups/{group_id:int}", "DELETE /api/groups/{group_id:int}",
        "POST /customers/{customer_id:int}/access", "POST /transfer/install", "GET /transfer/install.zip"],
}
AUDIENCE = {route: audience for audience, routes in AUDIENCES.items() for route in routes}
# Bodies that pass validation, so that a refusal is the route's rule and not a malformed body.
BODIES = {
    "POST /api/collections/{slug:str}/access": {"user_email": "sam@example.test", "role": "read"},
    "PUT /api/collections/{slug:str}/restricted": {"restricted": False},
    "POST /api/flags/{flag_id:int}/resolve": {"resolution": "Any currency.", "fixed": False},
    "POST /api/groups": {"name": "Support"},
    "POST /api/groups/{group_id:int}/members": {"email": "sam@example.test"},
    "PUT /api/groups/{group_id:int}": {"name": "Billing team"},
    "POST /api/triggers": {"card_id": "{card_id}", "kind": "words", "pattern": "refunds"},
    "PUT /api/cards/{card_id:int}/interval": {"interval_days": 30},
    "PUT /api/cards/{card_id:int}/verifier": {"user_id": "{user_id}"},
    "POST /api/cards/{card_id:int}/reply": {"action": "copied", "customer_id": "{customer_id}"},
    "PUT /api/customers/{customer_id:int}/access": {"groups": []},
    "POST /api/customers": {"name": "Contoso"},
    "PUT /api/customers/{customer_id:int}": {"name": "Northwind Traders Ltd"},
    "POST /api/customers/{customer_id:int}/merge": {"into": "{other_customer_id}"},
}
FORMS = {
    "POST /admin/collections": {"slug": "kb-two", "name": "KB two", "default_interval_days": "30"},
    "POST /admin/collections/{collection_id:int}": {"name": "KB", "default_interval_days": "30"},
    "POST /admin/collections/{collection_id:int}/access": {"user_email": "sam@example.test", "role": "read"},
    "POST /admin/users/{user_id:int}/password": {"password": "a long new password"},
    "POST /admin/users/{user_id:int}/role": {"role": "member"},
    "POST /admin/groups/{group_id:int}/rename": {"name": "Billing team"},
    "POST /cards/{card_id:int}/triggers": {"kind": "words", "pattern": "refunds"},
    "POST /flags/{flag_id:int}/resolve": {"resolution": "Any currency.", "fixed": "no"},
}


def _filled(body: dict, values: dict) -> dict:
    return {k: values[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v for k, v in body.items()}


def _routes(app) -> list[str]:
    return sorted(f"{method} {route.path}" for route in app.routes for method in route.methods
                  if method not in ("HEAD", "OPTIONS"))


def test_every_route_is_in_the_table_once(client):
    routes = _routes(client.app)
    listed = [route for routes_of in AUDIENCES.values() for route in routes_of]
    assert sorted(set(routes) - set(listed)) == [], "say who these routes are for"
    assert sorted(set(listed) - set(routes)) == [], "these routes are gone: take them out of the table"
    assert len(listed) == len(set(listed))


@pytest.fixture
def world(client):
    f = client.factory
    owner = f.user("Olive Owner", email="olive@example.test", password=PASSWORD)
    member = f.user("Sam Member", email="sam@example.test", password=PASSWORD)
    admin = f.user("Ann Admin", role="admin", email="ann@example.test", password=PASSWORD)
    gone = f.user("Dee Parted", email="dee@example.test", password=PASSWORD)
    kb = f.collection("kb", verifier=owner)
    card = f.card(kb, owner, title="Refund window", body="Refunds within 30 days.")
    customer = f.customer("Northwind Traders", emails=["maria@northwind.example"])
    other_customer = f.customer("Northwind (old)")
    fact = f.fact(customer, owner, "Renews on 1 March.")
    with f.db.session() as s:
        flag = raise_flag(s, actor=owner, card_id=card.id, kind="unclear", reason="Which currency?")
        token_id = s.exec(select(ApiToken.id).where(ApiToken.user_id == owner.id)).first()
    client.post("/api/triggers", json={"card_id": card.id, "kind": "words", "pattern": "refund"},
                headers=f.headers(owner))
    owner_token = f.token(owner)
    with f.db.session() as s:
        token_id = s.exec(select(ApiToken.id).where(ApiToken.user_id == owner.id)).first()
        trigger = client.get("/api/triggers", headers={"Authorization": f"Bearer {owner_token}"}).json()[0]["id"]
        grant = client.post("/api/collections/kb/access", json={"user_email": "ann@example.test", "role": "read"},
                            headers={"Authorization": f"Bearer {owner_token}"}).json()["id"]
        group = client.post("/api/groups", json={"name": "Billing"}, headers=f.headers(admin)).json()["id"]
    values = {"card_id": card.id, "version": 1, "customer_id": customer.id, "fact_id": fact.id, "flag_id": flag.id,
              "trigger_id": trigger, "token_id": token_id, "grant_id": grant, "group_id": group, "user_id": owner.id,
              "collection_id": kb.id, "slug": "kb", "other_customer_id": other_customer.id, "notification_id": 1, "filename": "top-queries.csv",
              "file_path": "app.css", "path": "openapi.json"}
    return {"owner": owner, "member": member, "admin": admin, "gone": gone, "values": values}


def _path(route: str, values: dict) -> tuple[str, str]:
    method, template = route.split(" ", 1)
    return method, PARAMETER.sub(lambda m: str(values[m.group(1)]), template)


def _ask(client, route: str, values: dict, headers: dict):
    method, path = _path(route, values)
    if path.startswith("/api/"):
        return client.request(method, path, json=_filled(BODIES.get(route, {}), values),
                              headers={**headers, "If-Match": '"1"'}, follow_redirects=False)
    if method == "GET":
        return client.get(path, headers=HTML, follow_redirects=False)
    token = csrf_token(client, "/sign-in")
    return client.request(method, path, data={**FORMS.get(route, {}), "_csrf_token": token}, headers=HTML,
                          follow_redirects=False)


def _kept_out(route: str, response) -> bool:
    """What someone who is not signed in (or no longer may be) gets."""
    if route.split(" ", 1)[1].startswith("/api/"):
        return response.status_code == 401
    if response.status_code in (302, 303):
        return response.headers["location"].startswith("/sign-in")
    return response.status_code in (401, 403)


def _let_in(route: str, response) -> bool:
    if response.status_code in (401, 403) or response.status_code >= 500:
        return False
    return not (response.status_code in (302, 303) and response.headers["location"].startswith("/sign-in"))


def _as(client, world, who: str) -> dict:
    """Sign the client in as `who` (a browser) and return their API headers."""
    client.cookies.clear()
    if who == "anonymous":
        return {}
    person = world["admin" if who == "admin" else "member" if who == "member" else "gone"]
    headers = client.factory.headers(person)
    sign_in(client, person.email, PASSWORD)
    if who == "signed_out":
        client.post("/sign-out", data={"_csrf_token": csrf_token(client, "/queue")}, headers=HTML)
        with client.factory.db.session() as s:
            for token in s.exec(select(ApiToken).where(ApiToken.user_id == person.id)):
                s.delete(token)  # the revoked token is as good as a deleted one
            s.commit()
    if who == "deactivated":  # still holding a browser session and a token from before
        with client.factory.db.session() as s:
            row = s.get(User, person.id)
            row.active = False
            s.add(row)
            s.commit()
    return headers


@pytest.mark.parametrize("who", ["anonymous", "signed_out", "deactivated"])
def test_nobody_signed_in_gets_past_anything_but_the_public_routes(client, world, who):
    headers = _as(client, world, who)
    wrong = []
    for route in _routes(client.app):
        if route not in AUDIENCE:
            continue  # test_every_route_is_in_the_table_once names it
        response = _ask(client, route, world["values"], headers)
        if AUDIENCE[route] == "public":  # a refused sign-in says so with a 401 page: not a crash
            ok = response.status_code < 500
        else:
            ok = _kept_out(route, response)
        if not ok:
            wrong.append((route, response.status_code, response.headers.get("location")))
    assert wrong == []


@pytest.mark.parametrize("who", ["member", "admin"])
def test_members_and_admins_get_what_their_role_allows(client, world, who):
    headers = _as(client, world, who)
    wrong = []
    for route in _routes(client.app):
        if route in ("POST /sign-out",) or route not in AUDIENCE:
            continue  # signing out would end the rest; a route not in the table fails the test above
        audience = AUDIENCE[route]
        response = _ask(client, route, world["values"], headers)
        if audience == "public":
            ok = response.status_code < 500
        elif audience == "group" or (who == "member" and audience in ("object", "owner", "admin")):
            ok = response.status_code in (403, 404)
        else:
            ok = _let_in(route, response)
        if not ok:
            wrong.append((route, audience, response.status_code, response.text[:120]))
    assert wrong == [], "\n".join(map(repr, wrong))
