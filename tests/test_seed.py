"""Every file in content/ loads through the real seeding code, and what it says holds."""

from pathlib import Path

from sqlmodel import func, select

from server.cards.models import Card, Collection
from server.content.batches import bulk_index
from server.content.seed import seed
from server.facts.models import Customer, QuickFact
from server.search import service

CONTENT = Path(__file__).resolve().parent.parent / "content"


def test_all_starter_content_loads_and_is_searchable(services):
    db, index = services
    with db.session() as session, bulk_index(index, db.session):
        counts = seed(session, CONTENT).added
        assert counts["cards"] == session.exec(select(func.count()).select_from(Card)).one() >= 40
        assert session.exec(select(func.count()).select_from(Collection)).one() >= 4
        assert session.exec(select(func.count()).select_from(Customer)).one() >= 10
        languages = set(session.exec(select(Card.language)))
        assert {"en", "tr", "zh", "et"} <= languages
        assert session.exec(select(func.count()).select_from(QuickFact).where(QuickFact.expires_at != None)).one()  # noqa: E711
        assert all(card.verifier_id for card in session.exec(select(Card)))
    hits, _ = service.search(index, text="refund", readable=None)
    assert "Handling a refund request" in [h.title for h in hits]


def test_seeding_twice_adds_nothing_and_says_so_per_file(services):
    db, _ = services
    with db.session() as session:
        first = seed(session, CONTENT)
        assert first.kept == [] and first.changed == []
        again = seed(session, CONTENT)
    assert again.added == {"users": 0, "collections": 0, "cards": 0, "customers": 0, "facts": 0}
    assert again.changed == []
    files = len(list(CONTENT.glob("collections/*.yaml"))) + len(list(CONTENT.glob("cards/*/*.md"))) \
        + len(list(CONTENT.glob("customers/*.md"))) + 1  # users.yaml
    assert len(again.kept) == files
    assert "cards/policies/chargebacks.md: card chargebacks is in policies already" in "\n".join(again.kept)


def test_a_new_fact_for_a_customer_there_already_is_added_not_skipped(services, tmp_path):
    import shutil

    db, _ = services
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    with db.session() as session:
        seed(session, folder)
    customer_file = sorted((folder / "customers").glob("*.md"))[0]
    text = customer_file.read_text()
    assert "facts:\n" in text
    customer_file.write_text(text.replace("facts:\n", "facts:\n  - text: Moved to annual billing in March.\n", 1))
    with db.session() as session:
        report = seed(session, folder)
        texts = set(session.exec(select(QuickFact.text)))
    assert report.added["facts"] == 1 and "Moved to annual billing in March." in texts
    assert len(report.changed) == 1
    assert report.changed[0].startswith(f"customers/{customer_file.name}: 1 new fact(s) added to ")
