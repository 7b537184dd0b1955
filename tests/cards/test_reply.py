"""POST /api/cards/{id}/reply: the card filled in for a conversation, and its use recorded."""

import pytest
from sqlmodel import func, select

from server.analytics.models import CardUse

BODY = ("Hi {{customer.first_name}},\n\nYour {{company}} plan is **{{fact:Plan}}** until {{fact:Renewal}}.\n\n"
        "`{{agent.name}}` stays code.\n\n— {{agent.first_name}}")


@pytest.fixture
def desk(client):
    f = client.factory
    owner, agent = f.user("Olive Owner"), f.user("Sam Agent")
    kb, secret = f.collection("kb", verifier=owner), f.collection("secret", verifier=owner)
    card = f.card(kb, owner, title="Renewal reminder", body=BODY)
    hidden_card = f.card(secret, owner, title="Legal", body="Hi {{customer.name}}")
    northwind, globex = f.customer("Northwind Traders"), f.customer("Globex")
    f.fact(northwind, owner, "Plan: Enterprise\nsince 2024")
    f.fact(globex, owner, "Plan: Secret tier")
    f.restrict(secret)
    f.key_account(globex)
    return {"agent": f.headers(agent), "card": card, "hidden_card": hidden_card, "northwind": northwind,
            "globex": globex}


def reply(client, desk, card_id=None, **body):
    return client.post(f"/api/cards/{card_id or desk['card'].id}/reply", headers=desk["agent"],
                       json={"action": "inserted", **body})


def uses(client) -> list[CardUse]:
    with client.factory.db.session() as s:
        return list(s.exec(select(CardUse).order_by(CardUse.id)))


def test_the_reply_is_filled_from_the_contact_the_customer_its_facts_and_the_agent(client, desk):
    response = reply(client, desk, customer_id=desk["northwind"].id, contact_name="Maria Garcia",
                     conversation="acme.zendesk.com ticket 123", host="acme.zendesk.com")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"html", "text", "unfilled", "use_id"}
    assert answer["text"] == ("Hi Maria,\n\nYour Northwind Traders plan is **Enterprise** until {{fact:Renewal}}.\n\n"
                              "`{{agent.name}}` stays code.\n\n— Sam")
    assert "<p>Hi Maria,</p>" in answer["html"] and "<strong>Enterprise</strong>" in answer["html"]
    assert ('<mark class="placeholder-unfilled" data-placeholder="fact:Renewal">{{fact:Renewal}}</mark>'
            in answer["html"])
    assert "<code>{{agent.name}}</code>" in answer["html"]
    assert answer["unfilled"] == ["fact:Renewal"]
    [use] = uses(client)
    assert (use.id, use.action, use.conversation, use.host, use.customer_id) == (
        answer["use_id"], "inserted", "acme.zendesk.com ticket 123", "acme.zendesk.com", desk["northwind"].id)


def test_without_a_conversation_what_is_not_known_is_listed_and_marked(client, desk):
    answer = reply(client, desk, action="copied").json()
    assert answer["unfilled"] == ["customer.first_name", "company", "fact:Plan", "fact:Renewal"]
    assert answer["html"].count('class="placeholder-unfilled"') == 4
    assert answer["text"].startswith("Hi {{customer.first_name}},")
    assert uses(client)[0].action == "copied"


def test_a_hostile_contact_name_comes_out_as_text(client, desk):
    answer = reply(client, desk, contact_name="<img src=x onerror=alert(1)>").json()
    assert "<img" not in answer["html"] and "&lt;img" in answer["html"]


def test_a_customer_the_agent_may_not_read_is_as_good_as_none(client, desk):
    hidden = reply(client, desk, customer_id=desk["globex"].id).json()
    missing = reply(client, desk, customer_id=999_999).json()
    assert "Globex" not in hidden["html"] and "Secret tier" not in hidden["html"]
    assert {k: v for k, v in hidden.items() if k != "use_id"} == {k: v for k, v in missing.items() if k != "use_id"}
    assert [u.customer_id for u in uses(client)] == [None, None]


def test_a_card_the_agent_may_not_read_is_404_like_a_missing_one_and_nothing_is_recorded(client, desk):
    hidden = reply(client, desk, card_id=desk["hidden_card"].id)
    missing = reply(client, desk, card_id=999_999)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["code"] == missing.json()["error"]["code"]
    assert uses(client) == []


@pytest.mark.parametrize("body", [{"action": "opened"}, {"action": "liked"}, {}, {"action": "inserted", "customer_id": 0},
                                  {"action": "inserted", "contact_name": "x" * 201},
                                  {"action": "inserted", "conversation": "x" * 301},
                                  {"action": "inserted", "host": "x" * 256}])
def test_bad_actions_and_oversized_fields_are_400(client, desk, body):
    response = client.post(f"/api/cards/{desk['card'].id}/reply", headers=desk["agent"], json=body)
    assert response.status_code == 400, response.text
    with client.factory.db.session() as s:
        assert s.exec(select(func.count()).select_from(CardUse)).one() == 0


def test_sign_in_is_required(client, desk):
    assert client.post(f"/api/cards/{desk['card'].id}/reply", json={"action": "copied"}).status_code == 401
