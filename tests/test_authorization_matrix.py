"""Every route that names a card (or its flag, trigger or collection), or a customer (or one of
its facts), asked by someone who may not read it, answers exactly as it answers for one that
does not exist, and writes nothing.

The routes come from the app itself: a new route that names a card is in the matrix the day it
is added, and the test fails until it says which body the route takes (BODIES, FORMS), so
that its "not found" is the card lookup's and not a refused body's."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from server.audit.models import AuditEvent
from server.cards.models import Card, Collection, CollectionGrant
from server.triggers.models import Trigger
from server.verification.flags import raise_flag
from tests.web.pages import HTML, csrf_token, sign_in

PASSWORD = "correct horse battery"
PARAMETER = re.compile(r"\{(\w+):\w+\}")
# The path parameters that point at a card, one of its parts, or its collection.
NAMES_A_CARD = {"card_id", "version", "flag_id", "trigger_id", "slug"}
MISSING = {"card_id": 999_999, "version": 1, "flag_id": 999_999, "trigger_id": 999_999, "slug": "no-such-collection"}
# Bodies that pass validation, so the route reaches its lookup of the card.
BODIES = {
    "PUT /api/cards/{card_id:int}": {"title": "Changed", "body": "Changed."},
    "POST /api/cards/{card_id:int}/unverify": {"reason": "Out of date."},
    "POST /api/cards/{card_id:int}/request-verification": {"note": "Please."},
    "POST /api/cards/{card_id:int}/flags": {"kind": "wrong", "reason": "Out of date."},
    "PUT /api/cards/{card_id:int}/interval": {"interval_days": 30},
    "PUT /api/cards/{card_id:int}/verifier": {"user_id": 1},
    "POST /api/flags/{flag_id:int}/resolve": {"resolution": "Fixed.", "fixed": True},
    "POST /api/cards/{card_id:int}/snooze": {"days": 7},
    "POST /api/cards/{card_id:int}/reply": {"action": "copied", "contact_name": "Maria Garcia"},
    "POST /api/collections/{slug:str}/access": {"user_email": "someone@example.test", "role": "read"},
    "PUT /api/collections/{slug:str}/restricted": {"restricted": False},
}
FORMS = {
    "POST /cards/{card_id:int}/unverify": {"reason": "Out of date."},
    "POST /cards/{card_id:int}/flag": {"kind": "wrong", "reason": "Out of date."},
    "POST /cards/{card_id:int}/request-verification": {"note": "Please."},
    "POST /cards/{card_id:int}/edit": {"title": "Changed", "body": "Changed.", "tags": "", "collection": "secret",
                                       "verifier": "", "interval": "default", "version": "1"},
    "POST /cards/{card_id:int}/restore": {"version": "1", "current": "1"},
    "POST /flags/{flag_id:int}/resolve": {"resolution": "Fixed.", "fixed": "yes"},
    "POST /queue/{card_id:int}/snooze": {"days": "7"},
    "POST /cards/{card_id:int}/triggers": {"kind": "words", "pattern": "refund"},
}
# Admins manage every collection's access list, restricted ones too: for them these routes
# are the management pages, not reads of the cards.
MANAGED_BY_ADMINS = re.compile(r"^/api/collections/\{slug:str\}/(access|restricted)")


def _matrix(app, names_allowed: set[str] = NAMES_A_CARD,
            anchors: frozenset[str] = frozenset({"card_id", "flag_id", "trigger_id", "slug"})) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        names = set(PARAMETER.findall(route.path))
        if names and names <= names_allowed and names & anchors:
            found += [(method, route.path) for method in sorted(route.methods) if method not in ("HEAD", "OPTIONS")]
    return found


def _fill(path: str, values: dict) -> str:
    return PARAMETER.sub(lambda m: str(values[m.group(1)]), path)


@pytest.fixture
def world(client):
    f = client.factory
    owner = f.user("Olive Owner", email="olive@example.test", password=PASSWORD)
    outsider = f.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    admin = f.user("Ann Admin", role="admin", email="ann@example.test", password=PASSWORD)
    secret = f.collection("secret", verifier=owner)
    card = f.card(secret, owner, title="Escalation to legal", body="Call the counsel on duty.")
    with f.db.session() as s:
        row = s.get(Collection, secret.id)
        row.restricted = True
        s.add(row)
        s.add(Trigger(card_id=card.id, kind="words", pattern="subpoena", created_by_id=owner.id))
        s.commit()
        flag = raise_flag(s, actor=owner, card_id=card.id, kind="unclear", reason="Which counsel?")
        trigger = s.exec(select(Trigger).where(Trigger.card_id == card.id)).one()
        ids = {"card_id": card.id, "version": 1, "flag_id": flag.id, "trigger_id": trigger.id, "slug": "secret"}
    return {"owner": owner, "outsider": outsider, "admin": admin, "card": card, "ids": ids}


def _ask(client, method: str, template: str, values: dict, token_headers: dict):
    path, key = _fill(template, values), f"{method} {template}"
    if template.startswith("/api/"):
        headers = {**token_headers, "If-Match": '"1"'}
        return client.request(method, path, json=BODIES.get(key, {}), headers=headers)
    if method == "GET":
        return client.get(path, headers=HTML, follow_redirects=False)
    data = {**FORMS.get(key, {}), "_csrf_token": csrf_token(client, "/cards")}
    return client.request(method, path, data=data, headers=HTML, follow_redirects=False)


def _same_answer(secret, missing, values: dict, missing_values: dict = MISSING) -> bool:
    """The same status, and the same words once the ids in them are put back."""
    if secret.status_code != missing.status_code:
        return False
    def words(response, ids: dict) -> str:
        text = response.text
        for name, value in ids.items():
            text = text.replace(str(value), f"<{name}>")
        return text
    return words(secret, values) == words(missing, missing_values) or "text/html" in secret.headers.get("content-type", "")


def _state(client, card_id: int) -> tuple:
    with client.factory.db.session() as s:
        card = s.get(Card, card_id)
        return (card.version, card.status, card.title, card.collection_id, card.verifier_id,
                s.exec(select(func.count()).select_from(CollectionGrant)).one(),
                s.exec(select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.target_type.in_(("card", "collection")))).one(),
                s.get(Collection, card.collection_id).restricted)


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_every_route_naming_a_card_answers_an_unreadable_one_as_if_it_did_not_exist(client, world, who):
    person = world[who]
    sign_in(client, person.email, PASSWORD)
    token = client.factory.headers(person)
    matrix = _matrix(client.app)
    assert len(matrix) >= 30, matrix  # the card API, its verification routes and the web pages
    missing_bodies = [f"{m} {p}" for m, p in matrix if m in ("POST", "PUT") and p.startswith("/api/")
                      and f"{m} {p}" not in BODIES and not p.endswith(("/verify", "/archive", "/unarchive", "/take",
                                                                          "/restore"))]
    assert not missing_bodies, f"say which body these routes take: {missing_bodies}"
    before = _state(client, world["card"].id)
    differing = []
    for method, template in matrix:
        if who == "admin" and MANAGED_BY_ADMINS.match(template):
            continue
        missing = _ask(client, method, template, MISSING, token)
        secret = _ask(client, method, template, world["ids"], token)
        assert missing.status_code == 404, (method, template, missing.status_code, missing.text[:300])
        if not _same_answer(secret, missing, world["ids"]):
            differing.append((method, template, secret.status_code, secret.text[:200]))
    assert differing == [], "\n".join(map(repr, differing))
    assert _state(client, world["card"].id) == before


def test_the_matrix_is_not_vacuous_its_owner_reads_every_page_of_the_card(client, world):
    owner = world["owner"]
    sign_in(client, owner.email, PASSWORD)
    token = client.factory.headers(owner)
    for method, template in _matrix(client.app):
        if method == "GET":
            response = _ask(client, method, template, world["ids"], token)
            assert response.status_code in (200, 303), (template, response.status_code, response.text[:300])
            if response.status_code == 303:  # "what changed" is the history page, shown from its diff
                assert response.headers["location"].startswith(f"/cards/{world['card'].id}/history")


# A customer restricted to groups (a key account): the same promise for its routes and its facts.
CUSTOMER_MISSING = {"customer_id": 999_999, "fact_id": 999_999}
CUSTOMER_BODIES = {
    "POST /api/customers/{customer_id:int}/facts": {"text": "Renews in March."},
    "PUT /api/facts/{fact_id:int}": {"text": "Renews in April."},
    "POST /api/facts/{fact_id:int}/confirm": {},
    "PUT /api/customers/{customer_id:int}/access": {"groups": []},
    "PUT /api/customers/{customer_id:int}": {"name": "Changed"},
    "POST /api/customers/{customer_id:int}/merge": {"into": 999_998},
}
CUSTOMER_FORMS = {
    "POST /customers/{customer_id:int}/edit": {"name": "Changed", "emails": "", "domains": "", "version": "1"},
    "POST /customers/{customer_id:int}/facts": {"text": "Renews in March."},
    "POST /customers/{customer_id:int}/facts/{fact_id:int}": {"action": "save", "text": "Renews in April.",
                                                              "version": "1"},
    "POST /customers/{customer_id:int}/access": {"groups": ""},
}
# Deciding who reads a customer is for admins, whether or not they read it: a member is refused
# it alike for any customer, an admin manages it.
CUSTOMER_MANAGED = re.compile(r"^(/api)?/customers/\{customer_id:int\}/access$")


@pytest.fixture
def key_account(client):
    from server.accounts.groups import add_member, create_group
    from server.facts.restriction import restrict_customer
    from server.facts.service import add_fact

    f = client.factory
    outsider = f.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    admin = f.user("Ann Admin", role="admin", email="ann@example.test", password=PASSWORD)
    member = f.user("Kim Key", email="kim@example.test", password=PASSWORD)
    customer = f.customer("Northwind Traders", emails=["maria@northwind.example"])
    with f.db.session() as s:
        group = create_group(s, actor=admin, name="Key accounts")
        add_member(s, actor=admin, group_id=group.id, email=member.email)
        fact = add_fact(s, actor=member, customer_id=customer.id, text="Renews on 1 March.")
        restrict_customer(s, actor=admin, customer_id=customer.id, groups=["Key accounts"])
        ids = {"customer_id": customer.id, "fact_id": fact.id}
    return {"outsider": outsider, "admin": admin, "member": member, "ids": ids}


def _customer_state(client, ids: dict) -> tuple:
    from server.facts.models import Customer, CustomerAccess, QuickFact

    with client.factory.db.session() as s:
        customer, fact = s.get(Customer, ids["customer_id"]), s.get(QuickFact, ids["fact_id"])
        return (customer.name, customer.version, fact.text, fact.version,
                s.exec(select(func.count()).select_from(QuickFact)).one(),
                s.exec(select(func.count()).select_from(CustomerAccess)).one())


def _ask_customer(client, method: str, template: str, values: dict, token_headers: dict):
    path, key = _fill(template, values), f"{method} {template}"
    if template.startswith("/api/"):
        return client.request(method, path, json=CUSTOMER_BODIES.get(key, {}),
                              headers={**token_headers, "If-Match": '"1"'})
    if method == "GET":
        return client.get(path, headers=HTML, follow_redirects=False)
    data = {**CUSTOMER_FORMS.get(key, {}), "_csrf_token": csrf_token(client, "/customers")}
    return client.request(method, path, data=data, headers=HTML, follow_redirects=False)


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_every_route_naming_a_customer_answers_a_restricted_one_as_if_it_did_not_exist(client, key_account, who):
    person = key_account[who]
    sign_in(client, person.email, PASSWORD)
    token = client.factory.headers(person)
    matrix = _matrix(client.app, {"customer_id", "fact_id"}, frozenset({"customer_id", "fact_id"}))
    assert len(matrix) >= 12, matrix
    before = _customer_state(client, key_account["ids"])
    differing = []
    for method, template in matrix:
        managed = CUSTOMER_MANAGED.match(template)
        if who == "admin" and managed:
            continue
        missing = _ask_customer(client, method, template, CUSTOMER_MISSING, token)
        secret = _ask_customer(client, method, template, key_account["ids"], token)
        assert managed or missing.status_code == 404, (method, template, missing.status_code, missing.text[:300])
        if not _same_answer(secret, missing, key_account["ids"], CUSTOMER_MISSING):
            differing.append((method, template, secret.status_code, secret.text[:200]))
    assert differing == [], "\n".join(map(repr, differing))
    assert _customer_state(client, key_account["ids"]) == before


def test_a_member_of_the_key_account_group_reads_every_page_of_it(client, key_account):
    member = key_account["member"]
    sign_in(client, member.email, PASSWORD)
    token = client.factory.headers(member)
    for method, template in _matrix(client.app, {"customer_id", "fact_id"}, frozenset({"customer_id", "fact_id"})):
        if method == "GET":
            response = _ask_customer(client, method, template, key_account["ids"], token)
            assert response.status_code == 200, (template, response.status_code, response.text[:300])
