"""Concurrent saves against a real server process: one wins, the others get 409, nothing is lost."""

from concurrent.futures import ThreadPoolExecutor

import httpx


def test_parallel_saves_from_one_version_have_exactly_one_winner(live_server):
    with live_server.api("sam@vouch.example") as api:
        card = api.get("/api/search", params={"q": "refund"}).json()["results"][0]
        start = api.get(f"/api/cards/{card['id']}").json()
    headers = {"Authorization": f"Bearer {live_server.token_for('sam@vouch.example')}",
               "If-Match": f'"{start["version"]}"'}

    def save(n: int) -> httpx.Response:
        return httpx.put(f"{live_server.url}/api/cards/{card['id']}", headers=headers, timeout=30,
                         json={"body": f"{start['body']}\n\nEdit number {n}."})

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(save, range(8)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 7, [r.text for r in responses if r.status_code not in (200, 409)]
    winner = next(r.json() for r in responses if r.status_code == 200)
    with live_server.api("sam@vouch.example") as api:
        final = api.get(f"/api/cards/{card['id']}").json()
        revisions = api.get(f"/api/cards/{card['id']}/revisions").json()
    assert final["body"] == winner["body"] and final["version"] == start["version"] + 1
    assert [r["version"] for r in revisions][0] == final["version"]
    loser = next(r.json() for r in responses if r.status_code == 409)
    assert loser["error"]["detail"]["current"]["version"] in (start["version"] + 1,)


def test_parallel_fact_additions_all_land(live_server):
    with live_server.api("sam@vouch.example") as api:
        customer = api.get("/api/customers", params={"q": "northwind"}).json()[0]
        before = len(api.get(f"/api/customers/{customer['id']}/facts").json())
    headers = {"Authorization": f"Bearer {live_server.token_for('sam@vouch.example')}"}

    def add(n: int) -> int:
        return httpx.post(f"{live_server.url}/api/customers/{customer['id']}/facts", headers=headers, timeout=30,
                          json={"text": f"Parallel fact {n}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(add, range(16))) == {201}
    with live_server.api("sam@vouch.example") as api:
        assert len(api.get(f"/api/customers/{customer['id']}/facts").json()) == before + 16
