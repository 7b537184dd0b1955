"""An existing installation keeps working after an upgrade: a column added to a model,
an index built by an earlier analysis."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import select

from server.app import open_services
from server.db import add_missing_columns
from server.facts.models import Customer
from server.search import service
from server.search.index import VERSION_FILE
from tests.factories import Factory


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


def test_an_index_built_by_an_earlier_version_is_rebuilt_when_the_server_opens(settings):
    db, index = open_services(settings)
    factory = Factory(db, index)
    expert = factory.user("Expert")
    card = factory.card(factory.collection("kb", verifier=expert), expert, title="Greeting customers in China",
                        body="Start with 您好，感谢您联系我们。", language="en")
    index.close()
    db.dispose()
    # An index from before the analysis was versioned has no version file (its English
    # fields held a Chinese run as one word, which no Chinese query meets).
    (settings.index_dir / VERSION_FILE).unlink()
    db, index = open_services(settings)
    try:
        assert index.is_current()
        assert [h.card_id for h in service.search(index, text="感谢", readable=None)[0]] == [card.id]
        assert not index.rebuild_if_outdated()  # once only
    finally:
        index.close()
        db.dispose()
