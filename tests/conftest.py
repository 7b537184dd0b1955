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


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", base_url="http://vouch.test", index_poll_seconds=0.2)


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
