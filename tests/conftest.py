"""Shared fixtures: every test gets its own temporary database and index directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from server import clock
from server.app import create_app, open_services
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


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """A real server process seeded with content/, shared by a test module."""
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()
