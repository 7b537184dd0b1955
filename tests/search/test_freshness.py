"""No write is ever answered from a stale cache. Searches, a suggestion and filtered searches
are asked BEFORE each kind of write, so their answers are kept for the index generation; right
after the write's service call returns (no waiting, no polling), the same questions must give
what an index rebuilt from the database gives, and something must have changed."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from server.accounts import groups
from server.cards import archive, editing, restore
from server.cards import service as cards
from server.content.batches import bulk_index
from server.content.importer import import_archive, import_folders
from server.search import service
from server.search.index import SearchIndex
from server.search.service import Filters
from server.verification import assignment

CONVERSATION = "Hello, I was charged twice and want my refund within the 30 days, as your refund policy says."


@dataclass
class World:
    factory: object
    admin: object
    expert: object
    other: object
    agent: object
    kb: object
    elsewhere: object
    card: object  # "Refund window", verified by `expert`, in `kb`


@pytest.fixture
def world(factory) -> World:
    admin, expert, other, agent = (factory.user(n, role=r) for n, r in
                                   (("Ada", "admin"), ("Eve", "member"), ("Oli", "member"), ("Sam", "member")))
    kb = factory.collection("kb", verifier=expert)
    elsewhere = factory.collection("elsewhere", verifier=other)
    card = factory.card(kb, expert, title="Refund window", body="Refunds are possible within 30 days of a charge.",
                        tags=["refund"])
    factory.card(kb, expert, title="Refunds for annual plans", body="Annual plans get a prorated refund.")
    factory.card(elsewhere, other, title="Charged twice", body="A double charge is refunded at once.")
    return World(factory, admin, expert, other, agent, kb, elsewhere, card)


def _questions(w: World) -> dict:
    """Every question whose answer the index keeps: plain, filtered, and a suggestion."""
    searches = {
        "refund": Filters(), "refund verified": Filters(status="verified"),
        "refund unverified": Filters(status="unverified"),
        "refund by eve": Filters(verifier_id=w.expert.id), "refund by oli": Filters(verifier_id=w.other.id),
        "refund by ada": Filters(verifier_id=w.admin.id), "refund in kb": Filters(collection_id=w.kb.id),
        "refund elsewhere": Filters(collection_id=w.elsewhere.id), "refund tagged": Filters(tag="refund"),
        "reimbursed": Filters(),
    }
    return {"search": searches, "suggest": [CONVERSATION]}


def _answers(index: SearchIndex, w: World) -> dict:
    questions = _questions(w)
    answers = {}
    for name, filters in questions["search"].items():
        hits, total = service.search(index, text=name.split()[0], readable=None, limit=20, filters=filters)
        answers[name] = (sorted(h.card_id for h in hits), total)
    for text in questions["suggest"]:
        answers["suggest"] = sorted(h.card_id for h in service.suggest(index, text=text, readable=None))
    return answers


def _rebuilt(w: World, tmp_path) -> dict:
    replica = SearchIndex(tmp_path / "rebuilt", w.factory.db.session)
    try:
        replica.rebuild()
        return _answers(replica, w)
    finally:
        replica.close()


def _session(w: World):
    return w.factory.db.session()


def create(w):
    with _session(w) as s:
        cards.create_card(s, actor=w.agent, collection_slug="kb", title="Refund by bank transfer",
                          body="Refunds by bank transfer take five days.")


def edit(w):
    with _session(w) as s:
        cards.update_card(s, actor=w.agent, card_id=w.card.id, expected_version=1, title="Money back window",
                          body="Charges are reimbursed as a refund within 30 days.", tags=[])


def verify(w):
    with _session(w) as s:
        cards.verify_card(s, actor=w.expert, card_id=w.card.id)


def unverify(w):
    with _session(w) as s:
        cards.unverify_card(s, actor=w.agent, card_id=w.card.id, reason="The window is 14 days now.")


def archive_card(w):
    with _session(w) as s:
        archive.archive_card(s, actor=w.expert, card_id=w.card.id)


def unarchive(w):
    with _session(w) as s:
        archive.unarchive_card(s, actor=w.expert, card_id=w.card.id)


def restore_revision(w):
    with _session(w) as s:
        restore.restore_revision(s, actor=w.expert, card_id=w.card.id, version=1, expected_version=2)


def reassign_to_person(w):
    with _session(w) as s:
        assignment.reassign_verifier(s, actor=w.admin, card_id=w.card.id, user_id=w.other.id)


def reassign_to_group(w):
    with _session(w) as s:
        team = groups.create_group(s, actor=w.admin, name="Billing team")
    with _session(w) as s:
        assignment.reassign_verifier(s, actor=w.expert, card_id=w.card.id, group_id=team.id)


def deactivate_verifier(w):
    with _session(w) as s:
        groups.deactivate_user(s, actor=w.admin, user_id=w.expert.id)


def move(w):
    with _session(w) as s:
        editing.move_card(s, actor=w.expert, card_id=w.card.id, collection_slug="elsewhere")


def import_zip(w):
    archive_bytes = io.BytesIO()
    with zipfile.ZipFile(archive_bytes, "w") as zipped:
        zipped.writestr(f"kb/{w.card.slug}.md", "---\ntitle: Refund window\n---\nCharges are reimbursed in 30 days.\n")
        zipped.writestr("kb/refund-in-kind.md", "---\ntitle: Refund in kind\n---\nA voucher instead of money.\n")
    with _session(w) as s:
        import_archive(s, actor=w.admin, collection_slug="kb", data=archive_bytes.getvalue(), index=w.factory.index)


def import_folder(w):
    """`vouch import`: cards written a batch per transaction, the index brought up to date at the end."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "kb").mkdir()
        text = "---\ntitle: Refund window\n---\nReimbursed in 30 days.\n"
        (Path(folder) / "kb" / f"{w.card.slug}.md").write_text(text)
        with _session(w) as s, bulk_index(w.factory.index, w.factory.db.session):
            import_folders(s, Path(folder))


def nothing(w):
    pass


# (what comes first, the write whose answers are checked)
WRITES = [(nothing, create), (nothing, edit), (edit, verify), (nothing, unverify), (nothing, archive_card),
          (archive_card, unarchive), (edit, restore_revision), (nothing, reassign_to_person),
          (nothing, reassign_to_group), (nothing, deactivate_verifier), (nothing, move), (nothing, import_zip),
          (nothing, import_folder)]


@pytest.mark.parametrize(("first", "write"), WRITES, ids=[w.__name__ for _, w in WRITES])
def test_every_write_is_searchable_the_moment_it_returns(world, first, write, tmp_path):
    first(world)
    before = _answers(world.factory.index, world)  # now kept for this index generation
    assert _answers(world.factory.index, world) == before
    write(world)
    after = _answers(world.factory.index, world)
    assert after != before, "the write should change some answer"
    assert after == _rebuilt(world, tmp_path)


def group_change(w):
    """A group verifies the card; then its members change (their turns go back in the rotation)."""
    reassign_to_group(w)
    with _session(w) as s:
        team = s.get(type(w.card), w.card.id).verifier_group_id
        groups.add_member(s, actor=w.admin, group_id=team, email=w.other.email)
    with _session(w) as s:
        groups.remove_member(s, actor=w.admin, group_id=team, user_id=w.other.id)


def fact_edit(w):
    customer = w.factory.customer("Northwind", emails=["dana@northwind.example"])
    fact = w.factory.fact(customer, w.agent, text="Refunds go to their finance team.")
    from server.facts import service as facts

    with _session(w) as s:
        facts.update_fact(s, actor=w.agent, fact_id=fact.id, expected_version=1, text="Refunds: finance team.")


def _stored(index: SearchIndex) -> dict:
    """Each card's stored document in the index, by card id."""
    with index.searcher() as searcher:
        return {int(d["id"]): d for d in searcher.documents()}


@pytest.mark.parametrize(("first", "write"), [*WRITES, (nothing, group_change), (nothing, fact_edit)],
                         ids=[w.__name__ for _, w in WRITES] + ["group_change", "fact_edit"])
def test_after_every_write_each_cards_document_is_the_one_a_rebuild_makes(world, first, write, tmp_path):
    # MoinMoin's way to hold an index to its store: compare with a rebuild, document by document.
    first(world)
    write(world)
    replica = SearchIndex(tmp_path / "rebuilt", world.factory.db.session)
    try:
        replica.rebuild()
        assert _stored(world.factory.index) == _stored(replica)
    finally:
        replica.close()
