"""Facts from before confirmations existed count as confirmed by their last save: migration
0012 says so of the rows it finds, and an install export made before says so on import."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from alembic import command
from sqlalchemy import text
from sqlmodel import select

from server.app import open_services
from server.content.install_export import install_documents
from server.content.install_import import import_install
from server.db import _alembic, make_engine
from server.facts.models import QuickFact
from server.settings import Settings

SAVED = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_migration_0012_backfills_the_last_save_as_the_last_confirmation(settings):
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic(connection), "0011")
            connection.execute(text(
                "INSERT INTO \"user\" (email, name, role, active, digest, created_at) "
                "VALUES ('ada@example.test', 'Ada', 'member', :yes, :yes, :at)"), {"yes": True, "at": SAVED})
            connection.execute(text("INSERT INTO customer (slug, name, notes, external_ids, created_at, version) "
                                    "VALUES ('acme', 'Acme', '', '{}', :at, 1)"), {"at": SAVED})
            connection.execute(text(
                "INSERT INTO quickfact (customer_id, text, pinned, author_id, version, created_at, updated_at, "
                "updated_by_id) VALUES (1, 'Renews in March.', :no, 1, 1, :at, :at, 1)"), {"no": False, "at": SAVED})
        with engine.begin() as connection:
            command.upgrade(_alembic(connection), "head")
            row = connection.execute(text("SELECT confirmed_at, confirmed_by_id FROM quickfact")).one()
        confirmed_at = row[0] if isinstance(row[0], datetime) else datetime.fromisoformat(str(row[0]))
        assert confirmed_at.replace(tzinfo=timezone.utc) == SAVED and row[1] == 1
    finally:
        engine.dispose()


def test_an_export_made_before_confirmations_imports_them_as_the_last_save(factory, tmp_path):
    ada, sam = factory.user("Ada", email="ada@example.test"), factory.user("Sam", email="sam@example.test")
    customer = factory.customer("Northwind Traders", emails=["maria@northwind.example"])
    factory.fact(customer, ada, "Renews in March.")
    with factory.db.session() as s:
        fact = s.exec(select(QuickFact)).one()
        fact.updated_by_id, fact.confirmed_by_id, fact.updated_at = sam.id, ada.id, SAVED
        s.add(fact)
        s.commit()
        files = dict(install_documents(s))
    name = "customers/" + customer.slug + ".md"
    assert "confirmed_by: ada@example.test" in files[name]
    files[name] = re.sub(r"\n\s*confirmed_(at|by): [^\n]*", "", files[name])  # as written before 0012
    db, index = open_services(Settings(data_dir=tmp_path / "old", index_poll_seconds=0.2))
    try:
        with db.session() as s:
            import_install(s, files, actor=None)
            moved = s.exec(select(QuickFact)).one()
            assert moved.confirmed_at.replace(tzinfo=timezone.utc) == SAVED
            assert moved.confirmed_by_id == moved.updated_by_id is not None
    finally:
        index.close()
        db.dispose()
