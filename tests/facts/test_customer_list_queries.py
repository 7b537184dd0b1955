"""Listing customers costs the same number of SQL statements for 3 customers as for 30 (the
API answer and the web page alike), and the API lists each customer as it answers for it alone."""

from __future__ import annotations

from server.accounts.models import Group, GroupMember
from server.facts.models import CustomerAccess, CustomerHandle
from tests.factories import counted_statements
from tests.web.pages import HTML, sign_in

PASSWORD = "pw-for-tests"


def key_accounts(client, member) -> int:
    """A group that alone reads the key accounts, `member` in it; its id. One group for all of
    them: the page's queue badge asks once per group the viewer is in, not per customer."""
    with client.factory.db.session() as s:
        group = Group(name="Key accounts")
        s.add(group)
        s.flush()
        s.add(GroupMember(group_id=group.id, user_id=member.id))
        s.commit()
        return group.id


def add_customers(client, how_many: int, agent, key_group: int, start: int = 0) -> None:
    """Customers with addresses, a domain, a handle and a fact; every third one a key account
    `agent` reads, so each detail the list shows is there to load."""
    f = client.factory
    for n in range(start, start + how_many):
        customer = f.customer(f"Customer {n:03}", emails=[f"b{n}@c{n}.example", f"a{n}@c{n}.example"],
                              domains=[f"c{n}.example"])
        with f.db.session() as s:
            s.add(CustomerHandle(handle=f"customer {n} on chat", customer_id=customer.id))
            if n % 3 == 0:
                s.add(CustomerAccess(customer_id=customer.id, group_id=key_group))
            s.commit()
        f.fact(customer, agent, f"Fact {n}.")


def test_the_api_list_costs_no_query_per_customer(client):
    agent = client.factory.user("Sam Agent")
    headers, engine = client.factory.headers(agent), client.factory.db.engine
    group = key_accounts(client, agent)
    add_customers(client, 3, agent, group)
    client.get("/api/customers", headers=headers)  # the first request warms caches, not counted
    with counted_statements(engine) as few:
        assert len(client.get("/api/customers", headers=headers).json()) == 3
    add_customers(client, 27, agent, group, start=3)
    with counted_statements(engine) as many:
        listed = client.get("/api/customers", headers=headers).json()
    assert len(listed) == 30
    assert many[0] == few[0], f"3 customers took {few[0]} statements, 30 took {many[0]}"
    for customer in listed:
        assert customer == client.get(f"/api/customers/{customer['id']}", headers=headers).json()
    third = next(c for c in listed if c["name"] == "Customer 003")
    assert (third["emails"], third["handles"], third["restricted_to"]) == (
        ["a3@c3.example", "b3@c3.example"], ["customer 3 on chat"], ["Key accounts"])
    assert next(c for c in listed if c["name"] == "Customer 004")["restricted_to"] == []


def test_the_list_page_costs_no_query_per_customer(client):
    agent = client.factory.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    sign_in(client, "sam@example.test", PASSWORD)
    engine = client.factory.db.engine
    group = key_accounts(client, agent)
    add_customers(client, 3, agent, group)
    client.get("/customers", headers=HTML)
    with counted_statements(engine) as few:
        assert "Customer 002" in client.get("/customers", headers=HTML).text
    add_customers(client, 27, agent, group, start=3)
    with counted_statements(engine) as many:
        page = client.get("/customers", headers=HTML).text
    assert "Customer 029" in page and "a29@c29.example" in page
    assert many[0] == few[0], f"3 customers took {few[0]} statements, 30 took {many[0]}"
