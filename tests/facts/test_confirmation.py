"""A quick fact's last confirmation: saving its text or confirming it as it is records when and
by whom; a fact nobody confirmed for VOUCH_FACT_STALE_DAYS "may be stale". Pin, reminder and
expiry change alone, each without touching the text, and never confirm."""

from datetime import datetime, timedelta, timezone

import pytest

from server import clock
from server.settings import Settings

START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(client):
    from server.accounts.groups import add_member, create_group
    from server.facts.restriction import restrict_customer

    clock.freeze(START)
    f = client.factory
    ada, sam, admin = f.user("Ada Author"), f.user("Sam Agent"), f.user("Ann Admin", role="admin")
    customer = f.customer("Northwind Traders", emails=["maria@northwind.example"])
    secret = f.customer("Tailspin Toys")
    with f.db.session() as s:
        create_group(s, actor=admin, name="Key accounts")
        add_member(s, actor=admin, group_id=1, email=admin.email)
        restrict_customer(s, actor=admin, customer_id=secret.id, groups=["Key accounts"])
    hidden = f.fact(secret, admin, "Board member is the CEO's sister.")
    return {"f": f, "customer": customer, "hidden": hidden, "ada": ada, "sam": sam,
            "as_ada": f.headers(ada), "as_sam": f.headers(sam)}


def _add(client, world, **body) -> dict:
    response = client.post(f"/api/customers/{world['customer'].id}/facts", headers=world["as_ada"],
                           json={"text": "Renews on 1 March.", **body})
    assert response.status_code == 201, response.text
    return response.json()


def _put(client, world, fact: dict, version, who="as_sam", **body):
    return client.put(f"/api/facts/{fact['id']}", headers={**world[who], "If-Match": f'"{version}"'}, json=body)


def _confirm(client, world, fact: dict, who="as_sam", **headers):
    return client.post(f"/api/facts/{fact['id']}/confirm", headers={**world[who], **headers})


def test_a_new_fact_is_confirmed_by_its_author_and_confirming_records_date_and_person(client, world):
    fact = _add(client, world)
    assert (fact["confirmed_at"], fact["confirmed_by"]["name"], fact["stale"]) == \
        ("2026-03-01T09:00:00Z", "Ada Author", False)
    clock.freeze(START + timedelta(days=3))
    confirmed = _confirm(client, world, fact)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert (body["confirmed_at"], body["confirmed_by"]["name"]) == ("2026-03-04T09:00:00Z", "Sam Agent")
    # nothing else moves: the same words, version and last save, so no open edit turns into a conflict
    assert (body["text"], body["version"], body["updated_at"]) == (fact["text"], 1, fact["updated_at"])
    assert confirmed.headers["etag"] == '"1"'
    listed = client.get(f"/api/customers/{world['customer'].id}/facts", headers=world["as_ada"]).json()
    assert listed[0]["confirmed_by"]["name"] == "Sam Agent"


def test_confirming_is_audited(client, world):
    from sqlmodel import select

    from server.audit.models import AuditEvent

    fact = _add(client, world)
    _confirm(client, world, fact)
    with world["f"].db.session() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "confirm")).one()
    assert (event.target_type, event.target_id, event.actor_id) == ("fact", fact["id"], world["sam"].id)
    assert event.details["after"] == {"confirmed_at": "2026-03-01T09:00:00+00:00"}


def test_saving_the_text_confirms_it_and_pin_remind_or_expiry_alone_do_not(client, world):
    fact = _add(client, world)
    clock.freeze(START + timedelta(days=1))
    pinned = _put(client, world, fact, 1, pinned=True)
    assert pinned.status_code == 200, pinned.text
    assert (pinned.json()["pinned"], pinned.json()["text"], pinned.json()["version"]) == (True, fact["text"], 2)
    reminded = _put(client, world, fact, 2, remind_at="2026-04-01")
    assert (reminded.json()["remind_at"], reminded.json()["pinned"]) == ("2026-04-01", True)
    expiring = _put(client, world, fact, 3, expires_at="2026-05-01T00:00:00Z")
    assert expiring.json()["expires_at"] == "2026-05-01T00:00:00Z"
    assert expiring.json()["remind_at"] == "2026-04-01"
    assert expiring.json()["confirmed_by"]["name"] == "Ada Author"  # not confirmed by those changes
    cleared = _put(client, world, fact, 4, remind_at=None, expires_at=None).json()
    assert (cleared["remind_at"], cleared["expires_at"], cleared["text"], cleared["pinned"]) == \
        (None, None, fact["text"], True)
    saved = _put(client, world, fact, 5, text="Renews on 1 April.").json()
    assert (saved["confirmed_at"], saved["confirmed_by"]["name"]) == ("2026-03-02T09:00:00Z", "Sam Agent")


def test_a_fact_may_be_stale_after_the_set_number_of_days_until_confirmed(client, world):
    fact = _add(client, world)
    clock.freeze(START + timedelta(days=179, hours=23))
    assert _confirm(client, world, fact, who="as_ada").json()["stale"] is False
    confirmed = START + timedelta(days=179, hours=23)
    clock.freeze(confirmed + timedelta(days=180))
    listed = client.get(f"/api/customers/{world['customer'].id}/facts", headers=world["as_ada"]).json()
    assert listed[0]["stale"] is True
    panel = client.post("/api/context", headers=world["as_ada"], json={"emails": ["maria@northwind.example"]})
    assert panel.json()["facts"][0]["stale"] is True
    assert _confirm(client, world, fact).json()["stale"] is False
    clock.freeze(confirmed + timedelta(days=190))
    assert _put(client, world, fact, 1, pinned=True).json()["stale"] is False  # confirmed 10 days ago


def test_a_stale_version_is_a_conflict_for_an_edit_and_for_a_confirmation_that_sends_one(client, world):
    fact = _add(client, world)
    assert _put(client, world, fact, 1, pinned=True).status_code == 200
    stale = _put(client, world, fact, 1, remind_at="2026-04-01")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "fact_conflict"
    assert stale.json()["error"]["detail"]["current"]["pinned"] is True
    refused = _confirm(client, world, fact, **{"If-Match": '"1"'})
    assert refused.status_code == 409 and refused.json()["error"]["detail"]["current"]["version"] == 2
    assert refused.json()["error"]["detail"]["current"]["confirmed_by"]["name"] == "Ada Author"
    assert _confirm(client, world, fact, **{"If-Match": '"2"'}).status_code == 200
    assert _confirm(client, world, fact, **{"If-Match": "three"}).status_code == 400


@pytest.mark.parametrize("body, key", [({"remind_at": "2026-13-01"}, "remind_at"),
                                       ({"remind_at": 20260301}, "remind_at"),
                                       ({"expires_at": "next week"}, "expires_at"),
                                       ({"pinned": "maybe"}, "pinned")])
def test_bad_dates_are_400_with_a_clear_message_and_change_nothing(client, world, body, key):
    fact = _add(client, world)
    for response in (_put(client, world, fact, 1, **body),
                     client.post(f"/api/customers/{world['customer'].id}/facts", headers=world["as_ada"],
                                 json={"text": "Another.", **body})):
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["detail"]["errors"][0]["key"] == key
        if "date" in str(body) or key != "pinned":
            assert "such as 2027-03-03" in error["message"]
    listed = client.get(f"/api/customers/{world['customer'].id}/facts", headers=world["as_ada"]).json()
    assert [(f["text"], f["version"]) for f in listed] == [(fact["text"], 1)]


def test_a_new_fact_takes_pin_reminder_and_expiry(client, world):
    fact = _add(client, world, pinned=True, remind_at="2026-04-01", expires_at="2026-05-01")
    assert (fact["pinned"], fact["remind_at"], fact["expires_at"]) == (True, "2026-04-01", "2026-05-01T00:00:00Z")


def test_an_unreadable_customers_fact_is_404_and_one_who_may_not_edit_may_not_confirm(client, world, monkeypatch):
    hidden = {"id": world["hidden"].id}
    for missing in (hidden, {"id": 999_999}):
        answer = _confirm(client, world, missing)
        assert answer.status_code == 404
        assert answer.json()["error"]["message"] == f"There is no quick fact {missing['id']}."
    fact = _add(client, world)
    # Confirming asks the same rule as editing: whoever it refuses is refused both.
    monkeypatch.setattr("server.facts.service.can_edit_fact", lambda user, *, reads_customer: False)
    refused = _confirm(client, world, fact)
    assert refused.status_code == 403
    assert _put(client, world, fact, 1, text="Changed.").status_code == 403
    monkeypatch.undo()
    again = client.get(f"/api/customers/{world['customer'].id}/facts", headers=world["as_ada"]).json()[0]
    assert (again["confirmed_by"]["name"], again["text"]) == ("Ada Author", fact["text"])


def test_the_stale_setting_is_read_and_checked():
    assert Settings().fact_stale_days == 180
    assert "VOUCH_FACT_STALE_DAYS" in Settings.documented()
    for bad in (0, -5, 100_000):
        with pytest.raises(ValueError, match="VOUCH_FACT_STALE_DAYS"):
            Settings(fact_stale_days=bad)


def test_the_stale_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("VOUCH_FACT_STALE_DAYS", "30")
    assert Settings.from_env().fact_stale_days == 30
    monkeypatch.setenv("VOUCH_FACT_STALE_DAYS", "a month")
    with pytest.raises(ValueError, match="VOUCH_FACT_STALE_DAYS must be a whole number"):
        Settings.from_env()
