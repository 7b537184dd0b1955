from server.content.export import export_collection
from server.content.files import read_document


def test_export_writes_cards_that_seed_reads_back(factory, services, tmp_path):
    db, _ = services
    expert = factory.user("Expert", role="admin")
    collection = factory.collection("billing", verifier=expert)
    factory.card(collection, expert, title="Refunds <b>fast</b>", body="# Refunds\n\nWithin 14 days.",
                 tags=["refund", "money"])
    with db.session() as session:
        assert export_collection(session, "billing", tmp_path) == 1
    files = list((tmp_path / "billing").glob("*.md"))
    assert len(files) == 1
    doc = read_document(files[0])
    assert doc.meta["title"] == "Refunds <b>fast</b>"
    assert doc.meta["tags"] == ["refund", "money"]
    assert doc.body == "# Refunds\n\nWithin 14 days."
