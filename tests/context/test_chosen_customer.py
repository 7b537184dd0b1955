""""Not this customer": the sidebar may choose the conversation's customer, and is offered the
other customers the conversation's addresses, names and handles point to, only ones the
person reads, never a Vouch user or a free-mail domain."""

import pytest


@pytest.fixture
def world(client):
    from server.accounts.groups import add_member, create_group
    from server.facts.restriction import restrict_customer

    f = client.factory
    agent = f.user("Sam Agent", email="sam@vouch.example")
    admin = f.user("Ann Admin", role="admin", email="ann@vouch.example")
    insider = f.user("Kim Key", email="kim@vouch.example")
    northwind = f.customer("Northwind Traders", emails=["maria@northwind.example"], domains=["northwind.example"])
    contoso = f.customer("Contoso", domains=["contoso.example"])
    fabrikam = f.customer("Fabrikam", emails=["ops@fabrikam.example"])
    secret = f.customer("Tailspin Toys", emails=["ceo@tailspin.example"])
    f.customer("Gmail Users", domains=[])  # free mail never names a customer
    f.fact(northwind, agent, "Enterprise plan.")
    f.fact(contoso, agent, "Pays by invoice.")
    with f.db.session() as s:
        group = create_group(s, actor=admin, name="Key accounts")
        add_member(s, actor=admin, group_id=group.id, email=insider.email)
        restrict_customer(s, actor=admin, customer_id=secret.id, groups=["Key accounts"])
    return {"agent": f.headers(agent), "insider": f.headers(insider),
            "ids": {c.name: c.id for c in (northwind, contoso, fabrikam, secret)}}


def _panel(client, headers, **body) -> dict:
    response = client.post("/api/context", headers=headers, json=body)
    assert response.status_code == 200, response.text
    return response.json()


PAGE = {"emails": ["maria@northwind.example", "li@contoso.example", "ceo@tailspin.example",
                   "someone@gmail.com", "sam@vouch.example"], "names": ["Fabrikam"]}


def test_the_chosen_customer_wins_and_the_matched_one_becomes_a_candidate(client, world):
    ids = world["ids"]
    panel = _panel(client, world["agent"], **PAGE, customer_id=ids["Contoso"])
    assert (panel["customer"]["name"], panel["customer"]["matched_by"]) == ("Contoso", "chosen")
    assert [f["text"] for f in panel["facts"]] == ["Pays by invoice."]
    assert panel["candidates"] == [
        {"id": ids["Northwind Traders"], "name": "Northwind Traders", "matched_by": "email",
         "identity": "maria@northwind.example"},
        {"id": ids["Fabrikam"], "name": "Fabrikam", "matched_by": "name", "identity": "Fabrikam"}]


def test_a_page_showing_two_customers_addresses_lists_the_other_as_a_candidate(client, world):
    ids = world["ids"]
    panel = _panel(client, world["agent"], emails=["maria@northwind.example", "li@contoso.example"])
    assert (panel["customer"]["name"], panel["customer"]["matched_by"]) == ("Northwind Traders", "email")
    assert panel["customer"]["matched_on"] == "maria@northwind.example"  # what the sidebar names
    assert panel["candidates"] == [{"id": ids["Contoso"], "name": "Contoso", "matched_by": "domain",
                                    "identity": "contoso.example"}]


def test_a_chosen_customer_one_may_not_read_or_that_does_not_exist_is_ignored(client, world):
    plain = _panel(client, world["agent"], **PAGE)
    for chosen in (world["ids"]["Tailspin Toys"], 999_999):
        panel = _panel(client, world["agent"], **PAGE, customer_id=chosen)
        assert panel == plain
    assert (plain["customer"]["name"], plain["customer"]["matched_by"]) == ("Northwind Traders", "email")


def test_a_restricted_customer_is_a_candidate_only_for_its_groups(client, world):
    outside = _panel(client, world["agent"], **PAGE)
    assert "Tailspin Toys" not in str(outside)
    assert [c["name"] for c in outside["candidates"]] == ["Contoso", "Fabrikam"]
    inside = _panel(client, world["insider"], **PAGE)
    assert [c["name"] for c in inside["candidates"]] == ["Tailspin Toys", "Contoso", "Fabrikam"]  # addresses first
    chosen = _panel(client, world["insider"], **PAGE, customer_id=world["ids"]["Tailspin Toys"])
    assert chosen["customer"]["matched_by"] == "chosen"


def test_candidates_are_at_most_ten_and_a_bad_customer_id_is_400(client, world):
    f = client.factory
    emails = [f.customer(f"Customer {n}", emails=[f"c{n}@many{n}.example"]) and f"c{n}@many{n}.example"
              for n in range(14)]
    panel = _panel(client, world["agent"], emails=emails)
    assert panel["customer"]["name"] == "Customer 0" and len(panel["candidates"]) == 10
    for bad in ("one", 0, -1, 2**40):
        response = client.post("/api/context", headers=world["agent"], json={"customer_id": bad})
        assert response.status_code == 400, (bad, response.text)
