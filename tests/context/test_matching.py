"""The sidebar's customer: by email, then domain (never free mail), then name, then handle;
never a Vouch user nor a no-reply sender; each match says how it was made."""

import pytest

from server.facts.free_mail import is_automatic_sender, is_free_mail
from server.facts.matching import clean_handle


@pytest.fixture
def world(client):
    f = client.factory
    agent = f.user("Sam Agent", email="sam@vouch.example")
    f.user("Maria Santos", email="maria.santos@vouch.example")  # a colleague who shares a customer's name
    by_email = f.customer("Northwind Traders", emails=["li@contoso.example"])
    by_domain = f.customer("Contoso", domains=["contoso.example"])
    by_name = f.customer("Jonas Berg")
    by_handle = f.customer("Fabrikam")
    namesake = f.customer("Maria Santos")
    with f.db.session() as s:
        from server.facts.customers import update_customer
        update_customer(s, actor=agent, customer_id=by_handle.id, name="Fabrikam", expected_version=1,
                        handles=["@fabrikam_ops", "+49 30 1234 5678"], external_ids={"zendesk": "12345"})
    ids = {c.name: c.id for c in (by_email, by_domain, by_name, by_handle, namesake)}
    return {"as_agent": f.headers(agent), "ids": ids}


def _customer(client, world, **body):
    response = client.post("/api/context", headers=world["as_agent"], json=body)
    assert response.status_code == 200, response.text
    customer = response.json()["customer"]
    return customer and (customer["name"], customer["matched_by"])


def test_email_beats_domain_beats_name_beats_handle(client, world):
    everything = {"emails": ["li@contoso.example"], "names": ["Jonas Berg"], "handles": ["fabrikam_ops"]}
    assert _customer(client, world, **everything) == ("Northwind Traders", "email")
    assert _customer(client, world, **{**everything, "emails": ["ola@contoso.example"]}) == ("Contoso", "domain")
    assert _customer(client, world, **{**everything, "emails": []}) == ("Jonas Berg", "name")
    assert _customer(client, world, handles=["fabrikam_ops"], names=["Nobody Known"]) == ("Fabrikam", "handle")


def test_handles_match_case_and_spacing_phone_digits_and_help_desk_ids(client, world):
    assert _customer(client, world, handles=["@Fabrikam_OPS"]) == ("Fabrikam", "handle")
    assert _customer(client, world, handles=["+49 (30) 1234-5678"]) == ("Fabrikam", "handle")
    assert _customer(client, world, handles=["zendesk:12345"]) == ("Fabrikam", "handle")
    assert _customer(client, world, handles=["zendesk:99999", "freshdesk:12345"]) is None
    assert _customer(client, world, names=["jonas  BERG"]) == ("Jonas Berg", "name")


def test_free_mail_never_matches_a_company(client, world):
    client.factory.customer("Googlers", domains=["gmail.com"])  # stored before free mail was refused
    assert _customer(client, world, emails=["someone@gmail.com"]) is None
    # a free-mail address still finds a customer that lists it exactly, and a name still counts
    assert _customer(client, world, emails=["someone@gmail.com"], names=["Jonas Berg"]) == ("Jonas Berg", "name")


def test_vouch_users_and_automatic_senders_are_never_the_customer(client, world):
    # An agent named like a customer: the name is theirs, so it is not matched.
    assert _customer(client, world, names=["Maria Santos"]) is None
    assert _customer(client, world, names=["Sam Agent"], handles=["sam@vouch.example"]) is None
    # The agent's own address comes first in a reply; the customer's address still wins.
    assert _customer(client, world, emails=["sam@vouch.example", "ola@contoso.example"]) == ("Contoso", "domain")
    assert _customer(client, world, emails=["no-reply@contoso.example", "notifications@contoso.example"]) is None


def test_names_and_handles_are_bounded(client, world):
    for body in ({"names": ["x"] * 51}, {"handles": ["x"] * 51}, {"handles": ["x" * 201]}, {"names": "Jonas"}):
        response = client.post("/api/context", headers=world["as_agent"], json=body)
        assert response.status_code == 400, body


def test_free_mail_and_automatic_senders_are_known_in_one_place():
    assert all(is_free_mail(d) for d in ("gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "gmx.de",
                                          "yandex.ru", "qq.com", "163.com"))
    assert not any(is_free_mail(d) for d in ("contoso.example", "mail.contoso.example", "gmxtra.com"))
    assert all(is_automatic_sender(a) for a in ("noreply@x.example", "do-not-reply@x.example",
                                                "notifications@github.com", "mailer-daemon@x.example"))
    assert not is_automatic_sender("maria@x.example")
    assert clean_handle("  @Maria  Santos ") == "maria santos"
