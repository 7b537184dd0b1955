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
        counts = seed(session, CONTENT)
        assert counts["cards"] == session.exec(select(func.count()).select_from(Card)).one() >= 40
        assert session.exec(select(func.count()).select_from(Collection)).one() >= 4
        assert session.exec(select(func.count()).select_from(Customer)).one() >= 10
        languages = set(session.exec(select(Card.language)))
        assert {"en", "tr", "zh", "et"} <= languages
        assert session.exec(select(func.count()).select_from(QuickFact).where(QuickFact.expires_at != None)).one()  # noqa: E711
        assert all(card.verifier_id for card in session.exec(select(Card)))
    hits, _ = service.search(index, text="refund", readable=None)
    assert "Handling a refund request" in [h.title for h in hits]


def test_seeding_twice_adds_nothing(services):
    db, _ = services
    with db.session() as session:
        seed(session, CONTENT)
        assert seed(session, CONTENT) == {"users": 0, "collections": 0, "cards": 0, "customers": 0}


def test_an_imported_card_says_how_it_came_in(services):
    db, _ = services
    from server.cards.models import CardRevision

    with db.session() as session:
        seed(session, CONTENT)
        notes = {r.status: r.note for r in session.exec(select(CardRevision).where(CardRevision.version == 1))}
    assert notes == {"verified": "Imported as verified.", "unverified": "Imported; waiting for its verifier."}
