"""Two server processes on one data directory: writes on either are searchable on both,
and neither fails on the index lock (there is one index writer at a time, fed by the outbox)."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.live import LiveServer


@pytest.fixture
def two_servers(tmp_path):
    first = LiveServer(tmp_path).start()
    second = LiveServer(tmp_path, content=None).start()  # same data dir, already seeded
    yield first, second
    second.stop()
    first.stop()


def _eventually(check, attempts: int = 100):
    """Poll (not sleep-and-hope): followers apply the outbox every half second."""
    import time

    for _ in range(attempts):
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_save_on_one_worker_is_found_on_the_other(two_servers):
    first, second = two_servers
    token = first.token_for("ada@vouch.example")
    headers = {"Authorization": f"Bearer {token}"}
    card = httpx.get(f"{first.url}/api/search", params={"q": "refund"}, headers=headers).json()["results"][0]
    saved = httpx.put(f"{first.url}/api/cards/{card['id']}", headers={**headers, "If-Match": '"1"'},
                      json={"body": "Refunds are now handled by the zebrafinch team."})
    assert saved.status_code == 200

    def found_on_second():
        found = httpx.get(f"{second.url}/api/search", params={"q": "zebrafinch"}, headers=headers).json()
        return [r["id"] for r in found["results"]] == [card["id"]]

    assert _eventually(found_on_second)


def test_parallel_writes_across_workers_never_fail(two_servers):
    first, second = two_servers
    headers = {"Authorization": f"Bearer {first.token_for('ada@vouch.example')}"}

    def create(n: int) -> int:
        server = (first, second)[n % 2]
        return httpx.post(f"{server.url}/api/cards", headers=headers, timeout=60, json={
            "collection": "policies", "title": f"Parallel kestrel {n}", "body": f"Body number {n}."
        }).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(create, range(24))) == {201}

    def all_found(server):
        return lambda: httpx.get(f"{server.url}/api/search", params={"q": "kestrel", "limit": 50},
                                 headers=headers).json()["total"] == 24

    assert _eventually(all_found(first)) and _eventually(all_found(second))
