"""An existing database keeps working after an upgrade adds a column to a model."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import select

from server.db import add_missing_columns
from server.facts.models import Customer


def test_a_column_added_since_the_database_was_made_is_added_with_its_default(services):
    db, _ = services
    with db.engine.begin() as connection:  # a database made before customers had versions
        connection.execute(text("ALTER TABLE customer DROP COLUMN version"))
        connection.execute(text("INSERT INTO customer (slug, name, notes, external_ids, created_at) "
                                "VALUES ('acme', 'Acme', '', '{}', CURRENT_TIMESTAMP)"))
    assert add_missing_columns(db.engine) == ["customer.version"]
    with db.session() as session:
        assert session.exec(select(Customer).where(Customer.slug == "acme")).one().version == 1
    assert add_missing_columns(db.engine) == []
