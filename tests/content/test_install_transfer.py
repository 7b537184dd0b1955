"""A whole install moves without loss: `vouch export` of everything, `vouch import` into an
empty install, and `vouch export` again give the same files, and the cards keep their state
(overdue stays overdue, archived stays archived, a group stays the verifier, history and
dates stay), with users, groups, triggers, flags, customers (restricted ones still restricted
to their groups) and their facts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import select

from server import clock
from server.accounts.groups import add_member, create_group, deactivate_user
from server.accounts.models import Group, User
from server.app import open_services
from server.cards import access_lists
from server.cards import service as cards
from server.cards.archive import archive_card
from server.cards.models import Card, CardRevision, Collection, CollectionGrant
from server.content.install_export import MANIFEST, install_documents
from server.content.install_import import check_install, import_install, read_install_folder
from server.errors import Invalid
from server.facts.models import CustomerAccess, CustomerHandle, QuickFact
from server.facts.restriction import restrict_customer
from server.facts.service import add_fact, confirm_fact
from server.search import service as search
from server.search.index import SearchIndex
from server.settings import Settings
from server.triggers.service import create_trigger
from server.verification import assignment
from server.verification.flags import raise_flag, resolve_flag
from server.verification.snooze import snooze_card
from tests.search.test_freshness import _stored
from tests.test_cli import run

LONG_AGO = datetime(2026, 1, 5, 9, 30, 15, 123456, tzinfo=timezone.utc)


def _build(factory) -> dict[str, int]:
    """An install with every kind of state a move must keep, some of it made months ago."""
    admin = factory.user("Ada Admin", role="admin", email="ada@example.test")
    expert = factory.user("Eli Expert", email="eli@example.test")
    leaver = factory.user("Lee Leaver", email="lee@example.test")
    policies = factory.collection("policies", verifier=expert, interval_days=30)
    factory.collection("empty-one", verifier=None, interval_days=None)
    clock.freeze(LONG_AGO)
    overdue = factory.card(policies, expert, "Refunds within 30 days", "Refund **in full** within 30 days.\n\n- one",
                           tags=["refunds", "billing"])
    archived = factory.card(policies, expert, "Old fax number", "Fax us.")
    grouped = factory.card(policies, admin, "Security review", "Ask the security team.")
    with factory.db.session() as s:
        group = create_group(s, actor=admin, name="Security team")
        add_member(s, actor=admin, group_id=group.id, email="eli@example.test")
        add_member(s, actor=admin, group_id=group.id, email="lee@example.test")
        assignment.reassign_verifier(s, actor=admin, card_id=grouped.id, group_id=group.id)
        cards.update_card(s, actor=admin, card_id=overdue.id, expected_version=overdue.version,
                          title=overdue.title, body=overdue.body + "\n\nUpdated by an admin.", tags=["refunds"],
                          origin="sidebar", origin_host="mail.example.test")
        cards.verify_card(s, actor=expert, card_id=overdue.id)
        create_trigger(s, actor=admin, card_id=overdue.id, kind="domain", pattern="northwind.example")
        flag = raise_flag(s, actor=leaver, card_id=overdue.id, kind="unclear", reason="Which currency?")
        resolve_flag(s, actor=expert, flag_id=flag.id, resolution="Any currency.", fixed=False)
        raise_flag(s, actor=admin, card_id=grouped.id, kind="outdated", reason="New team lead.")
    clock.freeze(LONG_AGO + timedelta(days=40))
    with factory.db.session() as s:
        archive_card(s, actor=expert, card_id=archived.id)
        snooze_card(s, actor=expert, card_id=overdue.id, days=7)
    customer = factory.customer("Northwind Traders", emails=["maria@northwind.example"], domains=["northwind.example"])
    with factory.db.session() as s:
        add_fact(s, actor=admin, customer_id=customer.id, text="Enterprise plan, renews 1 March.", pinned=True)
        leave = add_fact(s, actor=expert, customer_id=customer.id, text="Maria is on leave.",
                         remind_at=date(2026, 3, 3), expires_at=datetime(2026, 3, 3, tzinfo=timezone.utc))
        confirm_fact(s, actor=admin, fact_id=leave.id)  # confirmed by someone other than its author
        restrict_customer(s, actor=admin, customer_id=customer.id, groups=["Security team"])
        s.add(CustomerHandle(handle="northwind_it", customer_id=customer.id))
        s.commit()
        legal = factory.collection("legal", verifier=expert)  # restricted, with an access list
        access_lists.grant(s, actor=admin, collection_id=legal.id, role="read", group_id=group.id)
        access_lists.grant(s, actor=admin, collection_id=legal.id, role="own", user_id=admin.id)
        access_lists.set_restricted(s, actor=admin, collection_id=legal.id, restricted=True)
        deactivate_user(s, actor=admin, user_id=leaver.id)
    clock.freeze(None)
    return {"overdue": overdue.id, "archived": archived.id, "grouped": grouped.id}


def _fresh(tmp_path: Path, name: str):
    return open_services(Settings(data_dir=tmp_path / name, index_poll_seconds=0.2))


def _files(db) -> dict[str, str]:
    with db.session() as s:
        return dict(install_documents(s))


def _card(db, slug: str) -> tuple[Card, list[CardRevision]]:
    with db.session() as s:
        card = s.exec(select(Card).where(Card.slug == slug)).one()
        return card, list(s.exec(select(CardRevision).where(CardRevision.card_id == card.id)
                                 .order_by(CardRevision.version)))


def test_an_install_moved_whole_exports_the_same_files_and_keeps_every_card_state(factory, tmp_path):
    _build(factory)
    first = _files(factory.db)
    db, index = _fresh(tmp_path, "moved")
    try:
        with db.session() as s:
            report = import_install(s, first, actor=None)
        assert report.counts == {"users": 3, "groups": 1, "collections": 3, "cards": 3, "customers": 1, "facts": 2}
        assert _files(db) == first  # the same files, byte for byte

        # What a user would check on the moved install, card by card.
        for slug in ("refunds-within-30-days", "old-fax-number", "security-review"):
            (was, was_history), (now, now_history) = _card(factory.db, slug), _card(db, slug)
            keep = ("title", "body", "tags", "status", "verified_at", "verify_due_at", "version", "created_at",
                    "updated_at", "interval_days", "language")
            assert {k: getattr(now, k) for k in keep} == {k: getattr(was, k) for k in keep}
            assert [(r.version, r.title, r.body, r.origin, r.created_at) for r in now_history] == \
                   [(r.version, r.title, r.body, r.origin, r.created_at) for r in was_history]
        overdue, history = _card(db, "refunds-within-30-days")
        assert overdue.status == "verified" and overdue.verify_due_at < clock.now()  # still overdue
        assert history[1].origin_host == "mail.example.test" and len(history) == 3
        assert _card(db, "old-fax-number")[0].status == "archived"
        with db.session() as s:
            grouped = s.exec(select(Card).where(Card.slug == "security-review")).one()
            assert s.get(Group, grouped.verifier_group_id).name == "Security team" and grouped.verifier_id is None
            leaver = s.exec(select(User).where(User.email == "lee@example.test")).one()
            assert not leaver.active and leaver.password_hash is None
            facts = s.exec(select(QuickFact).order_by(QuickFact.id)).all()
            assert [f.remind_at for f in facts] == [None, date(2026, 3, 3)] and facts[0].pinned
            assert [s.get(User, f.confirmed_by_id).email for f in facts] == ["ada@example.test"] * 2
            assert all(f.confirmed_at is not None for f in facts)
            assert [s.get(Group, a.group_id).name for a in s.exec(select(CustomerAccess))] == ["Security team"]
            assert [h.handle for h in s.exec(select(CustomerHandle))] == ["northwind_it"]
            assert s.exec(select(Collection).where(Collection.slug == "empty-one")).one().default_interval_days is None
            legal = s.exec(select(Collection).where(Collection.slug == "legal")).one()
            grants = s.exec(select(CollectionGrant).where(CollectionGrant.collection_id == legal.id)).all()
            assert legal.restricted and sorted(
                (g.role, g.user_id and s.get(User, g.user_id).email, g.group_id and s.get(Group, g.group_id).name)
                for g in grants) == [("own", "ada@example.test", None), ("read", None, "Security team")]
        # The index followed the import: each card's document is the one a rebuild makes, live
        # cards are found and the archived one is not.
        index.apply_pending()
        replica = SearchIndex(tmp_path / "rebuilt", db.session)
        try:
            replica.rebuild()
            assert _stored(index) == _stored(replica) and len(_stored(index)) == 2
        finally:
            replica.close()
        with db.session() as s:
            refunds = s.exec(select(Card.id).where(Card.slug == "refunds-within-30-days")).one()
        assert [h.card_id for h in search.search(index, text="refunds", readable=None)[0]] == [refunds]
        assert search.search(index, text="fax", readable=None)[0] == []
    finally:
        index.close()
        db.dispose()


def test_an_install_with_content_refuses_a_whole_import_and_keeps_what_it_has(factory, tmp_path):
    _build(factory)
    files = _files(factory.db)
    with factory.db.session() as s:
        before = len(s.exec(select(Card)).all())
        with pytest.raises(Invalid, match="empty"):
            import_install(s, files, actor=None)
        assert len(s.exec(select(Card)).all()) == before


@pytest.mark.parametrize("broken, problem", [
    ({"cards/policies/refunds-within-30-days.md": "---\ntitle: X\nstatus: lost\n---\nBody"}, "'status' must be"),
    ({"cards/policies/x.md": "---\ntitle: X\nverifier: nobody@example.test\n---\nB"}, "not in users.yaml"),
    ({"cards/nowhere/x.md": "---\ntitle: X\n---\nB"}, "no collections/nowhere.yaml"),
    ({"users.yaml": "- email: not an email\n  name: X\n"}, "not an email address"),
    ({MANIFEST: "format: vouch-install\nversion: 9\n"}, "newer Vouch"),
    ({"cards/policies/y.md": "---\ntitle: Y\nhistory: [{version: 2}, {version: 1}]\n---\nB"}, "oldest first"),
    ({"collections/legal.yaml": "name: Legal\nrestricted: true\naccess: [{group: Nobody, role: read}]\n"},
     "access #1: 'group' names Nobody, a group not in groups.yaml"),
    ({"collections/legal.yaml": "name: Legal\naccess: [{user: ada@example.test, role: boss}]\n"},
     "access #1: 'role' must be one of read, edit, verify, own"),
    ({"customers/key.md": "---\nname: Key\nrestricted_to: [Nobody]\n---\n"},
     "'restricted_to' names Nobody, a group not in groups.yaml"),
])
def test_a_bad_file_imports_nothing_and_is_named_with_its_key(factory, tmp_path, broken, problem):
    _build(factory)
    files = {**_files(factory.db), **broken}
    db, index = _fresh(tmp_path, "target")
    try:
        with db.session() as s:
            with pytest.raises(Invalid, match=problem) as refused:
                import_install(s, files, actor=None)
            assert "nothing was imported" in refused.value.message
            assert not s.exec(select(Card)).all() and not s.exec(select(User)).all()
    finally:
        index.close()
        db.dispose()


def test_hostile_names_and_hand_written_cards(tmp_path):
    folder = tmp_path / "export"
    (folder / "cards" / "kb").mkdir(parents=True)
    (folder / "collections").mkdir()
    (folder / MANIFEST).write_text("format: vouch-install\nversion: 1\n")
    (folder / "collections" / "kb.yaml").write_text("name: Knowledge\n")
    (folder / "cards" / "kb" / "hello.md").write_text("---\ntitle: Hello <script>\n---\nSay [hi](javascript:x).")
    plan = check_install(read_install_folder(folder))
    card = plan.cards[0]
    assert card["title"] == "Hello <script>" and card["status"] == "unverified"
    assert [r["version"] for r in card["history"]] == [1]  # history starts with the card
    (folder / "notes.txt").write_text("stray")
    with pytest.raises(Invalid, match="notes.txt: not a file of an install"):
        read_install_folder(folder)


def test_vouch_export_and_import_of_a_whole_install_on_the_command_line(tmp_path):
    assert run(tmp_path / "a", "seed").returncode == 0
    exported = run(tmp_path / "a", "export", str(tmp_path / "first"))
    assert exported.returncode == 0, exported.stderr
    assert "Exported the whole install" in exported.stdout
    again = run(tmp_path / "a", "export", str(tmp_path / "first"))
    assert again.returncode == 2 and "not empty" in again.stderr  # never mixed into an earlier export
    refused = run(tmp_path / "a", "import", str(tmp_path / "first"))
    assert refused.returncode == 2 and "A whole install is imported only into an empty one" in refused.stderr
    imported = run(tmp_path / "b", "import", str(tmp_path / "first"))
    assert imported.returncode == 0, imported.stderr
    assert run(tmp_path / "b", "export", str(tmp_path / "second")).returncode == 0
    first = {p.relative_to(tmp_path / "first"): p.read_bytes() for p in (tmp_path / "first").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "second"): p.read_bytes() for p in (tmp_path / "second").rglob("*")
              if p.is_file()}
    assert len(first) > 30 and first == second
    found = run(tmp_path / "b", "reindex")
    assert found.returncode == 0
