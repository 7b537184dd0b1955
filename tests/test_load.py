"""Many API clients at once on a real server: every request is answered, none with a
server error, and a lone request sent during the crowd is answered too. Bounded: a few
seconds per crowd, on 127.0.0.1 only. (With SQLAlchemy's default pool of 5 + 10, 50
clients got 500s after a 30-second stall and 100 got nothing at all.)"""

from __future__ import annotations

import pytest

from tests.live import LiveServer
from tests.load import drive

SECONDS = 6.0


def _card_ids(server: LiveServer) -> list[int]:
    with server.api("sam@vouch.example") as api:
        return [c["id"] for c in api.get("/api/search", params={"q": "the", "limit": 50}).json()["results"]]


def _assert_all_answered(report) -> None:
    assert not report.failures, report.line() + "\n" + "\n".join(report.failures[:5])
    assert report.server_errors == 0, report.line()
    assert set(report.statuses) == {200}, report.line()
    assert report.lone_status == 200, report.line()
    assert report.answered >= report.clients, report.line()  # each client got through at least once


@pytest.fixture(params=["sqlite", "postgresql"])
def crowded_server(request, tmp_path):
    url = ""
    if request.param == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        name = cluster.create_database()
        url = cluster.url(name)
    server = LiveServer(tmp_path, database_url=url).start()
    yield server
    server.stop()
    if url:
        cluster.drop_database(name)


@pytest.mark.parametrize("clients", [16, 100])
def test_a_crowd_of_clients_is_answered_in_full(crowded_server, clients):
    report = drive(crowded_server.url, crowded_server.token_for("sam@vouch.example"), _card_ids(crowded_server),
                   clients, SECONDS)
    print(report.line())
    _assert_all_answered(report)


def test_four_workers_answer_a_crowd_in_full(tmp_path):
    server = LiveServer(tmp_path, workers=4).start()
    try:
        report = drive(server.url, server.token_for("sam@vouch.example"), _card_ids(server), 50, SECONDS)
        print(report.line())
        _assert_all_answered(report)
    finally:
        server.stop()
