"""Schema changes are Alembic migrations: migrating an empty database to the newest
revision gives exactly the schema the models describe, on SQLite and PostgreSQL; a
database made before migrations is brought up and stamped; several processes starting
at once migrate one at a time."""

from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import server.models  # noqa: F401  (registers every table)
from server.db import MIGRATIONS, make_engine, migrate


def _differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                SQLModel.metadata)


def _revision(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def _head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_migrating_an_empty_database_gives_the_models_schema(settings):
    engine = make_engine(settings)
    try:
        migrate(engine)
        assert _differences(engine) == []
        assert _revision(engine) == _head()
        migrate(engine)  # again: nothing to do
        assert _revision(engine) == _head()
    finally:
        engine.dispose()


def test_a_database_made_before_migrations_is_brought_up_and_stamped(settings):
    engine = make_engine(settings)
    try:
        SQLModel.metadata.create_all(engine)  # as start-up made databases before migrations
        with engine.begin() as connection:  # and one made before customers had versions
            connection.execute(text("ALTER TABLE customer DROP COLUMN version"))
        assert "alembic_version" not in inspect(engine).get_table_names()
        migrate(engine)
        assert _differences(engine) == []
        assert _revision(engine) == _head()
    finally:
        engine.dispose()


def test_processes_starting_together_migrate_one_at_a_time(settings):
    engines = [make_engine(settings) for _ in range(3)]
    failures = []

    def start(engine) -> None:
        try:
            migrate(engine)
        except Exception as error:  # noqa: BLE001  (collected: a thread cannot fail the test)
            failures.append(error)

    try:
        threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert _differences(engines[0]) == []
    finally:
        for engine in engines:
            engine.dispose()
