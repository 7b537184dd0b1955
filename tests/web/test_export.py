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


def test_vouch_export_command(factory, settings, tmp_path, monkeypatch):
    from server.cli import main

    expert = factory.user("Expert", role="admin")
    factory.card(factory.collection("faq", verifier=expert), expert, title="Opening hours")
    monkeypatch.setattr("server.cli.Settings.from_env", staticmethod(lambda: settings))
    assert main(["export", str(tmp_path / "out"), "--collection", "faq"]) == 0
    assert [p.name for p in (tmp_path / "out" / "faq").glob("*.md")] == ["opening-hours.md"]
    assert main(["export", str(tmp_path / "all")]) == 0  # the whole install: the content folder's layout
    assert [p.name for p in (tmp_path / "all" / "cards" / "faq").glob("*.md")] == ["opening-hours.md"]
