"""Small factories that build test data through the real services."""

from __future__ import annotations

import itertools
import threading
from contextlib import contextmanager

from sqlalchemy import event
from sqlmodel import func, select

from server.accounts.groups import add_member, create_group
from server.accounts.models import Group, GroupMember, User
from server.audit.models import AuditEvent
from server.accounts.service import create_token, create_user
from server.cards.models import Collection
from server.cards.service import create_card
from server.db import Database
from server.facts.models import Customer, CustomerAccess, CustomerDomain, CustomerEmail
from server.facts.restriction import restrict_customer
from server.facts.service import add_fact
from server.search.index import SearchIndex

_n = itertools.count(1)


class Factory:
    def __init__(self, db: Database, index: SearchIndex):
        self.db = db
        self.index = index

    def user(self, name: str = "", *, role: str = "member", email: str | None = None,
             password: str | None = None) -> User:
        n = next(_n)
        with self.db.session() as s:
            return create_user(s, email=email or f"user{n}@example.test", name=name or f"User {n}", role=role,
                               password=password)

    def token(self, user: User, kind: str = "personal") -> str:
        with self.db.session() as s:
            return create_token(s, user=user, name="test", kind=kind)

    def headers(self, user: User, kind: str = "personal") -> dict[str, str]:
        """A script's token by default; kind="extension" for the extension's."""
        return {"Authorization": f"Bearer {self.token(user, kind)}"}

    def collection(self, slug: str = "", *, verifier: User | None = None, interval_days: int | None = 30) -> Collection:
        with self.db.session() as s:
            c = Collection(slug=slug or f"col-{next(_n)}", name=slug or "Collection",
                           default_verifier_id=verifier.id if verifier else None, default_interval_days=interval_days)
            s.add(c)
            s.commit()
            return c

    def card(self, collection: Collection, actor: User, title: str = "", body: str = "Some text.", **kwargs):
        with self.db.session() as s:
            return create_card(s, actor=actor, collection_slug=collection.slug, title=title or f"Card {next(_n)}",
                               body=body, **kwargs)

    def customer(self, name: str = "Acme", emails=(), domains=()) -> Customer:
        with self.db.session() as s:
            c = Customer(slug=f"cust-{next(_n)}", name=name)
            s.add(c)
            s.flush()
            for e in emails:
                s.add(CustomerEmail(email=e, customer_id=c.id))
            for d in domains:
                s.add(CustomerDomain(domain=d, customer_id=c.id))
            s.commit()
            return c

    def fact(self, customer: Customer, actor: User, text: str = "A fact.", **kwargs):
        with self.db.session() as s:
            return add_fact(s, actor=actor, customer_id=customer.id, text=text, **kwargs)

    def key_account_desk(self, *, password: str | None = None, other_group: str = "Finance",
                         fact: str = "Only the account lead promises discounts.") -> dict:
        """A desk with one customer kept to a group: Ada (admin) and Kim (member) outside
        "Key accounts", Lou (admin) and Sam (member) in it; Globex kept to it, with Sam's
        `fact`; Northwind Traders open to all; and `other_group`, empty. People by first
        name (first-name@example.test), with the customers and the fact."""
        people = {first: self.user(name, role=role, email=f"{first}@example.test", password=password)
                  for first, name, role in (("ada", "Ada Admin", "admin"), ("lou", "Lou Lead", "admin"),
                                            ("sam", "Sam Keyaccounts", "member"), ("kim", "Kim Agent", "member"))}
        with self.db.session() as s:
            group = create_group(s, actor=people["ada"], name="Key accounts")
            for member in (people["sam"], people["lou"]):
                add_member(s, actor=people["ada"], group_id=group.id, email=member.email)
            create_group(s, actor=people["ada"], name=other_group)
        globex = self.customer("Globex", emails=["hank@globex.example"], domains=["globex.example"])
        northwind = self.customer("Northwind Traders", emails=["maria@northwind.example"])
        written = self.fact(globex, people["sam"], fact)
        with self.db.session() as s:
            restrict_customer(s, actor=people["ada"], customer_id=globex.id, groups=["Key accounts"])
        return {**people, "globex": globex, "northwind": northwind, "fact": written}

    def restrict(self, collection: Collection) -> None:
        """A restricted collection: read only by those its access list names (none yet)."""
        with self.db.session() as s:
            s.get(Collection, collection.id).restricted = True
            s.commit()

    def key_account(self, customer: Customer, group: str = "Key accounts", members=()) -> int:
        """Makes `customer` readable only by the members of a new group `group`; its id."""
        with self.db.session() as s:
            made = Group(name=group)
            s.add(made)
            s.flush()
            s.add_all([GroupMember(group_id=made.id, user_id=member.id) for member in members])
            s.add(CustomerAccess(customer_id=customer.id, group_id=made.id))
            s.commit()
            return made.id


def count(client, model, *where) -> int:
    """How many rows of `model` match `where`, in the client's database."""
    with client.factory.db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def events(client, action: str) -> list[AuditEvent]:
    """The audit log's events of one kind, oldest first."""
    with client.factory.db.session() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# The app's own threads poll the database on their clock, not the request's (server/app.py).
BACKGROUND = {"index-follower", "index-merge", "embedder", "daily"}


@contextmanager
def counted_statements(engine):
    """The number of SQL statements requests run on `engine` inside the block, as a one-item list."""
    count = [0]

    def one_more(*_args) -> None:
        if threading.current_thread().name not in BACKGROUND:
            count[0] += 1

    event.listen(engine, "before_cursor_execute", one_more)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", one_more)
