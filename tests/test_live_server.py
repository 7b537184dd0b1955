"""The real server process starts seeded and answers with a token from the CLI."""


def test_live_server_serves_seeded_content(live_server):
    with live_server.api("sam@vouch.example") as api:
        me = api.get("/api/me").json()
        assert me["email"] == "sam@vouch.example"
        results = api.get("/api/search", params={"q": "refund"}).json()["results"]
        assert any(r["title"] == "Handling a refund request" for r in results)
