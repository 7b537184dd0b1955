"""Writing a card that already exists shows the near-duplicates."""


def test_near_duplicates_of_a_draft(client):
    f = client.factory
    ada = f.user("Ada")
    kb = f.collection("kb", verifier=ada)
    refund = f.card(kb, ada, title="Handling a refund request",
                    body="Customers can get a full refund within 30 days of a charge.")
    f.card(kb, ada, title="Seat limits", body="Team has 25 seats.")
    h = f.headers(ada)
    found = client.get("/api/search/duplicates", headers=h, params={
        "title": "Refund requests", "text": "A customer gets a full refund within 30 days of being charged."}).json()
    assert [d["title"] for d in found] == ["Handling a refund request"]
    assert 0.3 <= found[0]["similarity"] <= 1
    # Editing that very card does not list it as its own duplicate.
    assert client.get("/api/search/duplicates", headers=h, params={
        "title": "Handling a refund request", "card_id": refund.id}).json() == []
    assert client.get("/api/search/duplicates", headers=h, params={"title": "Lunch menu"}).json() == []
    assert client.get("/api/search/duplicates", headers=h, params={"title": "x" * 301}).status_code == 400
