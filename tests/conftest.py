"""Shared fixtures: every test gets its own temporary database and index directory."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session as SQLAlchemySession

from server import clock, db
from server.app import create_app, open_services
from server.dependencies import ACTING
from server.settings import Settings
from tests.factories import Factory
from tests.live import LiveServer
from tests.postgres import Cluster


@pytest.fixture(scope="session")
def postgres_cluster():
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> Iterator[str]:
    """Every database-backed test runs on SQLite and on a real PostgreSQL."""
    if request.param == "sqlite":
        yield ""
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name = cluster.create_database()
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, base_url="http://vouch.test",
                    index_poll_seconds=0.2)


@pytest.fixture
def services(settings):
    db, index = open_services(settings)
    yield db, index
    index.close()
    db.dispose()


@pytest.fixture
def factory(services) -> Factory:
    db, index = services
    return Factory(db, index)


@pytest.fixture
def client(settings) -> Iterator[TestClient]:
    """An API client on a fresh app; its database is shared with `api_factory`."""
    app = create_app(settings)
    with TestClient(app=app, raise_server_exceptions=False) as test_client:
        test_client.factory = Factory(app.state.db, app.state.index)
        yield test_client


@pytest.fixture(autouse=True)
def _release_clock():
    yield
    clock.freeze(None)


# Requests that commit more than once by design: an import commits file by file (a bad file
# keeps the others), and the sidebar's context counts trigger hits apart from its search record.
MANY_COMMITS = (re.compile(r"^POST /transfer/import$"), re.compile(r"^POST /api/context/?$"))


@pytest.fixture(autouse=True)
def _one_transaction_per_request(monkeypatch):
    """Every request the tests make writes in one transaction at most (one_action): a request
    that committed twice could be refused after its first commit and keep half its change."""
    commits: dict[int, list[str]] = {}
    plain_commit = db.Session.commit

    def commit(session) -> None:
        request = session.info.get(ACTING)
        wrote = session.new or session.dirty or session.deleted or session.info.get(_WROTE)
        if request and wrote and not session.info.get(db._ACTION):  # inside an action a commit only flushes
            # Keyed by a number the session keeps: id() is reused once a session is gone.
            commits.setdefault(session.info.setdefault(_KEY, next(_sessions)), []).append(request)
        session.info.pop(_WROTE, None)
        plain_commit(session)

    monkeypatch.setattr(db.Session, "commit", commit)
    yield
    twice = [requests[0] for requests in commits.values()
             if len(requests) > 1 and not any(p.match(requests[0]) for p in MANY_COMMITS)]
    assert not twice, f"these requests committed more than once (make the action one_action): {twice}"


_WROTE = "tests_wrote"
_KEY = "tests_session"
_sessions = itertools.count()


@event.listens_for(SQLAlchemySession, "after_flush")
def _wrote(session, _context) -> None:
    session.info[_WROTE] = True


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """A real server process seeded with content/, shared by a test module."""
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()
