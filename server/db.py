"""Engine and sessions: SQLite (WAL, foreign keys, busy timeout) by default, PostgreSQL by URL."""

from __future__ import annotations

import functools
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.schema import CreateColumn
from sqlmodel import Session as _SQLModelSession
from sqlmodel import SQLModel, create_engine

from server.errors import Invalid
from server.search.outbox import DIRTY
from server.settings import Settings

T = TypeVar("T")
_IMMEDIATE = "vouch_immediate"
_ACTION = "vouch_action"
_BROKEN = "rolled back"


class Session(_SQLModelSession):
    """SQLModel's session, whose commit inside `one_action` only flushes: the action
    commits once, at its end."""

    def commit(self) -> None:
        if self.info.get(_ACTION) == _BROKEN:
            raise RuntimeError("a service rolled back inside one action, then went on to write")
        if self.info.get(_ACTION):
            self.flush()
        else:
            super().commit()

    def rollback(self) -> None:
        if self.info.get(_ACTION):
            # What the action wrote before is gone: it must not go on and commit the rest.
            self.info[_ACTION] = _BROKEN
        super().rollback()


@contextmanager
def one_action(session: Session) -> Iterator[None]:
    """One user action that calls several services (save the words, move the card, change
    its verifier, verify it) as one transaction: the services' commits only flush, and it
    commits once at the end, so an action refused half-way (a later permission check, a
    conflict) changes nothing. It takes the write lock at its start (see begin_write).
    Nested, the outermost commits."""
    if session.info.get(_ACTION):
        yield
        return
    begin_write(session)
    session.info[_ACTION] = True
    try:
        yield
    except BaseException:
        session.info.pop(_ACTION, None)
        session.rollback()
        raise
    if session.info.pop(_ACTION, None) == _BROKEN:
        raise RuntimeError("a service rolled back inside one action, which would have kept only its last part")
    session.commit()


def as_one_action(function: Callable[..., T]) -> Callable[..., T]:
    """The service `function(session, ...)` runs as one_action."""
    @functools.wraps(function)
    def run(session: Session, *args, **kwargs) -> T:
        with one_action(session):
            return function(session, *args, **kwargs)
    return run


# Connections beyond one per request thread: the index follower, the daily schedule, and
# requests whose work is done but whose session the event loop has not closed yet.
SPARE_CONNECTIONS = 4


def make_engine(settings: Settings) -> Engine:
    """The pool holds a connection for every thread that can use one, so a request never
    waits for a connection held by another request that is itself waiting for a thread
    (with SQLAlchemy's 5 + 10 and more clients than that, both waited until a 500)."""
    url = settings.sqlalchemy_url
    pool = {"pool_size": settings.worker_threads + SPARE_CONNECTIONS, "max_overflow": settings.worker_threads}
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, **pool)
    event.listen(engine, "handle_error", _refuse_out_of_range)
    return engine


_OUT_OF_RANGE = "22003"  # SQLSTATE numeric_value_out_of_range


def _refuse_out_of_range(context) -> None:
    """A number too large for the database (an id of 2**70 in a path, a query or a body)
    is the request's fault: a clear 400 from wherever it reaches the database, not a 500
    from each route. SQLite refuses it while binding, PostgreSQL with SQLSTATE 22003."""
    original = context.original_exception
    if isinstance(original, OverflowError) or getattr(original, "sqlstate", None) == _OUT_OF_RANGE:
        raise Invalid("A number in this request is too large.", code="number_out_of_range") from original


def _use_wal(cursor, wait_s: float = 30.0) -> None:
    """WAL mode (kept in the file once set). Only a new database needs switching, and the
    switch needs the database to itself: when several processes open a new database at once,
    it can answer 'database is locked' at once instead of waiting, so try again a while."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() == "wal":
                return  # (a switch that could not happen answers with the mode it kept)
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked: could not switch a new database to WAL mode")
        time.sleep(0.05)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # We issue BEGIN ourselves (below) so writes can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # A read that later writes would fail with SQLITE_BUSY when another writer
        # committed in between; a writing transaction locks at its start instead.
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def rows(session: Session, statement, params: dict | None = None):
    """Run a Core statement on the session's connection and transaction, past the ORM's
    per-statement work (which cost more than SQLite running it): for plain rows and
    writes on paths every search takes. Nothing in the session sees what it changes.
    On those paths, build the statement once with bind parameters and pass `params`:
    building one cost more than running it."""
    return session.connection().execute(statement, params)


def release(session: Session) -> None:
    """End a read-only transaction, so its connection goes back to the pool while the
    request waits for its next thread (the user is looked up in one, the handler runs in
    another). Objects read stay loaded (sessions do not expire them on commit)."""
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        session.commit()


def begin_write(session: Session) -> None:
    """Make the session's transaction a writing one (SQLite: BEGIN IMMEDIATE). Call it
    before a service's first read. A read-only transaction already open (say, the token
    lookup) is ended first: upgrading it later could fail with 'database is locked'."""
    if session.in_transaction():
        if session.connection().get_execution_options().get(_IMMEDIATE):
            return
        session.commit()  # nothing pending: this only ends the read transaction
    session.connection(execution_options={_IMMEDIATE: True})


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"  # the schema as it was when migrations began
_MIGRATION_LOCK = 7_221_002  # names PostgreSQL's advisory lock for migrating


def _alembic(connection):
    """Alembic's configuration, in code (no alembic.ini): where the migrations are, and the
    connection (with its transaction and lock) to run them on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the database's schema to this version's, by Alembic's migrations, one process
    at a time (several workers and nodes start together): SQLite's write lock or a
    PostgreSQL advisory lock is held for it. A database made before migrations existed
    (tables, no alembic_version) gets the columns added since, then is stamped with the
    first revision, and migrates on from there."""
    from alembic import command

    import server.models  # noqa: F401  (registers every table)

    with engine.connect().execution_options(**{_IMMEDIATE: True}) as connection:
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            tables = set(inspect(connection).get_table_names())
            config = _alembic(connection)
            if tables and "alembic_version" not in tables:
                add_missing_columns(connection)
                command.stamp(config, FIRST_REVISION)
            command.upgrade(config, "head")


def create_tables(engine: Engine) -> None:
    migrate(engine)


def add_missing_columns(engine_or_connection) -> list[str]:
    """Columns added to a model after a database was made are added to it, with their
    defaults: the step that kept upgrades working before migrations, kept for databases
    made then. Only additions: a column that is neither nullable nor has a server
    default cannot be added and stops start-up."""
    import server.models  # noqa: F401  (registers every table)

    inspector = inspect(engine_or_connection)
    added = []
    with _in_transaction(engine_or_connection) as connection:
        for table in SQLModel.metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable and column.server_default is None:
                    raise RuntimeError(f"Cannot add {table.name}.{column.name} to an existing database: "
                                       "give it a server default or make it nullable.")
                dialect = connection.dialect
                definition = CreateColumn(column).compile(dialect=dialect)
                connection.execute(text(f"ALTER TABLE {dialect.identifier_preparer.format_table(table)} "
                                        f"ADD COLUMN {definition}"))
                added.append(f"{table.name}.{column.name}")
    if added:
        logging.getLogger(__name__).info("added columns to the existing database: %s", ", ".join(added))
    return added


@contextmanager
def _in_transaction(engine_or_connection) -> Iterator:
    if isinstance(engine_or_connection, Engine):
        with engine_or_connection.begin() as connection:
            yield connection
    else:
        yield engine_or_connection  # a connection: its caller's transaction


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


class Database:
    """The engine, a session factory, and the hook that tells the index to catch up after
    a commit that wrote to the outbox (so a save is searchable as soon as it returns)."""

    def __init__(self, settings: Settings):
        self.engine = make_engine(settings)
        self._maker = sessionmaker(self.engine, class_=Session, expire_on_commit=False)
        self._listeners: list = []
        event.listen(self._maker, "after_commit", self._after_commit)

    def session(self) -> Session:
        return self._maker()

    def create_tables(self) -> None:
        create_tables(self.engine)

    def on_outbox_commit(self, listener) -> None:
        self._listeners.append(listener)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(DIRTY, False):
            for listener in self._listeners:
                try:
                    listener()
                except Exception:  # the commit stands; the index's poll retries
                    logging.getLogger(__name__).exception("index update after commit failed")

    def dispose(self) -> None:
        self.engine.dispose()
