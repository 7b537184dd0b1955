"""Zip export and import of a collection through the web pages, on SQLite and PostgreSQL:
the zip holds what `vouch export` writes, a round trip changes nothing, and hostile zips are
refused file by file (or whole, for a zip bomb) with nothing half-imported."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from litestar.testing import TestClient
from sqlmodel import select

from server.app import create_app

from server.audit.models import AuditEvent
from server.cards.models import Card, CardRevision, Collection
from server.content.export import export_collection, export_install
from server.settings import Settings
from tests.factories import Factory
from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "pw-for-tests"
CARD = "---\ntitle: {title}\ntags: [billing]\nstatus: verified\n---\n{body}\n"


@pytest.fixture
def shelf(client):
    f = client.factory
    admin = f.user("Alex Admin", email="admin@example.test", password=PASSWORD, role="admin")
    ada = f.user("Ada Expert", email="ada@example.test", password=PASSWORD)
    f.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    policies = f.collection("policies", verifier=ada)
    f.collection("archive-copy", verifier=ada)
    f.card(policies, ada, title="Refund window", body="Refunds within **30 days**.", tags=["billing"])
    f.card(policies, ada, title="Plan changes", body="Upgrades apply at once.\n\n- one\n- two", tags=["plans", "billing"],
           interval_days=None)
    f.index.apply_pending()
    return {"client": client, "admin": admin, "ada": ada, "policies": policies}


def _as(client, email):
    client.cookies.clear()
    return sign_in(client, email, PASSWORD)


def _zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def _import(client, collection: str, archive: bytes, name: str = "cards.zip"):
    return post_form(client, "/transfer/import", {"collection": collection}, page="/transfer",
                     files={"archive": (name, archive, "application/zip")})


def _cards(client, slug="policies") -> dict[str, Card]:
    with client.factory.db.session() as s:
        return {c.slug: c for c in s.exec(select(Card).join(Collection).where(Collection.slug == slug))}


def test_the_zip_holds_exactly_what_vouch_export_writes(shelf, tmp_path):
    client = _as(shelf["client"], "sam@example.test")
    page = client.get("/transfer", headers=HTML).text
    assert 'href="/collections/policies/export.zip"' in page
    assert "Only an admin or a collection" in page and 'action="/transfer/import"' not in page
    response = client.get("/collections/policies/export.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert 'filename="policies.zip"' in response.headers["content-disposition"]
    with client.factory.db.session() as session:
        export_collection(session, "policies", tmp_path)
    written = {f"policies/{p.name}": p.read_bytes() for p in (tmp_path / "policies").glob("*.md")}
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == written
    assert len(written) == 2
    assert client.get("/collections/nope/export.zip", headers=HTML).status_code == 404


def test_a_round_trip_changes_nothing_and_edits_come_back_as_import_revisions(shelf):
    client = _as(shelf["client"], "admin@example.test")
    archive = client.get("/collections/policies/export.zip").content
    before = {slug: (c.version, c.status) for slug, c in _cards(client).items()}
    same = _import(client, "policies", archive)
    assert same.status_code == 200 and "Every file was imported." in same.text
    assert "<strong>0</strong> created" in same.text and "<strong>2</strong> unchanged" in same.text
    assert {slug: (c.version, c.status) for slug, c in _cards(client).items()} == before

    with zipfile.ZipFile(io.BytesIO(archive)) as old:
        files = {n: old.read(n).decode() for n in old.namelist()}
    files["policies/refund-window.md"] = files["policies/refund-window.md"].replace("30 days", "14 days")
    files["policies/shipping-times.md"] = CARD.format(title="Shipping times", body="Two to five working days.")
    result = _import(client, "policies", _zip(files))
    assert "<strong>1</strong> created" in result.text and "<strong>1</strong> updated" in result.text
    cards = _cards(client)
    assert "14 days" in cards["refund-window"].body
    assert cards["refund-window"].status == "unverified"  # saved by an admin, not its verifier (rule 2)
    assert cards["shipping-times"].status == "verified" and cards["shipping-times"].tags == ["billing"]
    with client.factory.db.session() as s:
        revision = s.exec(select(CardRevision).where(CardRevision.card_id == cards["refund-window"].id)
                          .order_by(CardRevision.version.desc())).first()
    assert revision.origin == "import" and revision.note.startswith("Imported.")
    client.factory.index.apply_pending()
    assert "Shipping times" in client.get("/cards?q=shipping", headers=HTML).text
    with client.factory.db.session() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.target_type == "collection")
                        .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["export", "import", "import"]
    assert events[-1].details == {"created": 1, "updated": 1, "unchanged": 1, "errors": 0}


def test_a_zip_imported_into_another_collection_makes_the_same_cards(shelf):
    client = _as(shelf["client"], "ada@example.test")  # the default verifier may import
    archive = client.get("/collections/policies/export.zip").content
    result = _import(client, "archive-copy", archive)
    assert "<strong>2</strong> created" in result.text
    original, copy = _cards(client, "policies"), _cards(client, "archive-copy")
    for slug, card in original.items():
        twin = copy[slug]
        assert (twin.title, twin.body, twin.tags, twin.status, twin.interval_days, twin.verifier_id, twin.language) == \
               (card.title, card.body, card.tags, card.status, card.interval_days, card.verifier_id, card.language)


def test_hostile_files_are_reported_by_name_and_the_good_one_imported(shelf):
    client = _as(shelf["client"], "admin@example.test")
    good = CARD.format(title="Good card", body="Fine.")
    result = _import(client, "policies", _zip({
        "good.md": good,
        "../escape.md": good,
        "/etc/absolute.md": good,
        "deep/er/nested.md": good,
        "notes.txt": "hello",
        "latin.md": "---\ntitle: Caf\xe9\n---\nx".encode("latin-1"),
        "no-front.md": "# Just Markdown",
        "bad-yaml.md": "---\ntitle: [unclosed\n---\nx",
        "bad-status.md": "---\ntitle: X\nstatus: maybe\n---\nx",
        "who.md": "---\ntitle: X\nverifier: nobody@example.test\n---\nx",
        "<img src=x onerror=alert(1)>.md": good,
        "__MACOSX/._good.md": b"\x00\x05",
    }))
    assert result.status_code == 200
    text = result.text
    assert "<strong>1</strong> created" in text and "<strong>10</strong> with errors" in text
    for name, why in (("../escape.md", "leaves the archive"), ("/etc/absolute.md", "absolute paths"),
                      ("deep/er/nested.md", "in one folder"), ("notes.txt", "not a Markdown file"),
                      ("latin.md", "not UTF-8"), ("no-front.md", "expected YAML front matter"),
                      ("bad-yaml.md", "not valid YAML"), ("bad-status.md", "verified, unverified or archived"),
                      ("who.md", "has no active account")):
        assert f"<code>{name}</code>" in text and why in text, name
    assert "&lt;img src=x onerror=alert(1)&gt;.md" in text and "<img src=x" not in text
    assert "__MACOSX" not in text
    assert set(_cards(client)) == {"refund-window", "plan-changes", "good"}


@pytest.mark.parametrize("archive, message", [
    (b"this is not a zip", "not a zip archive"),
    (_zip({f"c{n}.md": b"\x00" * 900_000 for n in range(25)}), "unpack to more than"),
    (_zip({f"c{n}.md": "---\ntitle: x\n---\n" for n in range(1001)}), "at most 1,000 can be imported"),
])
def test_bad_archives_are_refused_whole(shelf, archive, message):
    client = _as(shelf["client"], "admin@example.test")
    refused = _import(client, "policies", archive)
    assert refused.status_code == 400 and message in refused.text and "Nothing was imported." in refused.text
    assert set(_cards(client)) == {"refund-window", "plan-changes"}


def test_a_zip_bomb_entry_and_an_oversized_upload_are_refused(shelf):
    client = _as(shelf["client"], "admin@example.test")
    bomb = _import(client, "policies", _zip({"bomb.md": b"a" * 5_000_000, "ok.md": CARD.format(title="Ok", body="ok")}))
    assert "larger than 1,000,000 bytes unpacked" in bomb.text and "<strong>1</strong> created" in bomb.text
    too_big = _import(client, "policies", os.urandom(1_100_000))
    assert too_big.status_code == 413 and "VOUCH_MAX_BODY_BYTES" in too_big.text


def test_only_admins_and_the_default_verifier_import(shelf):
    client = _as(shelf["client"], "sam@example.test")
    refused = _import(client, "policies", _zip({"x.md": CARD.format(title="X", body="x")}))
    assert refused.status_code == 403 and "Only an admin or the default verifier of “policies”" in refused.text
    assert "x" not in _cards(client)
    client = _as(client, "admin@example.test")
    missing = post_form(client, "/transfer/import", {"collection": "policies"}, page="/transfer",
                        files={"archive": ("", b"", "application/octet-stream")})
    assert missing.status_code == 400 and "Choose a zip file" in missing.text
    unknown = _import(client, "nope", _zip({"x.md": CARD.format(title="X", body="x")}))
    assert unknown.status_code == 404


def test_the_install_zip_is_refused_to_an_admin_who_may_not_read_all_of_it(shelf):
    """It holds every card and fact: an admin not on a restricted collection's list, or in none of
    a key account's groups, is told which, and no export is made or logged."""
    from server.cards import access_lists
    from server.accounts.groups import add_member, create_group
    from server.facts.restriction import restrict_customer

    client, f = shelf["client"], shelf["client"].factory
    customer = f.customer("Northwind Traders")
    with f.db.session() as s:
        access_lists.set_restricted(s, actor=shelf["admin"], collection_id=shelf["policies"].id, restricted=True)
        group = create_group(s, actor=shelf["admin"], name="Key accounts")
        add_member(s, actor=shelf["admin"], group_id=group.id, email="ada@example.test")
        restrict_customer(s, actor=shelf["admin"], customer_id=customer.id, groups=["Key accounts"])
    client = _as(client, "admin@example.test")
    refused = client.get("/transfer/install.zip", headers=HTML)
    assert refused.status_code == 403 and "policies" in refused.text
    with f.db.session() as s:
        access_lists.grant(s, actor=shelf["admin"], collection_id=shelf["policies"].id, role="read",
                           user_id=shelf["admin"].id)
    refused = client.get("/transfer/install.zip", headers=HTML)
    assert refused.status_code == 403 and "Northwind Traders" in refused.text
    with f.db.session() as s:
        add_member(s, actor=shelf["admin"], group_id=group.id, email="admin@example.test")
        assert s.exec(select(AuditEvent).where(AuditEvent.target_type == "install")).all() == []
    assert client.get("/transfer/install.zip").status_code == 200


def test_an_admin_exports_the_whole_install_and_imports_it_into_an_empty_one(shelf, tmp_path):
    """The install zip holds the same files as `vouch export`, only admins get it, and it goes
    only into an install with no content yet: here, this one after its content is gone."""
    client = _as(shelf["client"], "sam@example.test")
    assert "/transfer/install.zip" not in client.get("/transfer", headers=HTML).text
    assert client.get("/transfer/install.zip", headers=HTML).status_code == 403
    client = _as(client, "admin@example.test")
    assert 'action="/transfer/install"' in client.get("/transfer", headers=HTML).text
    response = client.get("/transfer/install.zip")
    assert response.status_code == 200 and 'filename="vouch-install.zip"' in response.headers["content-disposition"]
    with client.factory.db.session() as session:
        export_install(session, tmp_path / "folder")
    written = {p.relative_to(tmp_path / "folder").as_posix(): p.read_bytes()
               for p in (tmp_path / "folder").rglob("*") if p.is_file()}
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == written
    with client.factory.db.session() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.target_type == "install")).one().action == "export"

    refused = post_form(client, "/transfer/install", {}, page="/transfer",
                        files={"archive": ("all.zip", response.content, "application/zip")})
    assert refused.status_code == 400 and "imported only into an empty one" in refused.text
    broken = _zip({**{n: t for n, t in written.items()}, "cards/policies/bad.md": "---\ntitle: B\nstatus: gone\n---\n",
                   "notes/readme.txt": "hi"})
    refused = post_form(client, "/transfer/install", {}, page="/transfer",
                        files={"archive": ("all.zip", broken, "application/zip")})
    assert refused.status_code == 400 and "notes/readme.txt" in refused.text

    # A second install, empty but for its admin, takes the zip whole.
    settings = Settings(data_dir=tmp_path / "second", base_url="http://vouch.test", index_poll_seconds=0.2)
    app = create_app(settings)
    with TestClient(app=app, raise_server_exceptions=False) as second:
        new = Factory(app.state.db, app.state.index).user("New Admin", email="new@example.test", password=PASSWORD,
                                                           role="admin")
        done = post_form(sign_in(second, "new@example.test", PASSWORD), "/transfer/install", {}, page="/transfer",
                         files={"archive": ("all.zip", response.content, "application/zip")})
        assert done.status_code == 200, done.text
        assert "Install imported" in done.text and "<strong>2</strong> cards" in done.text
        found = second.get("/api/search", params={"q": "refund"},
                           headers=Factory(app.state.db, app.state.index).headers(new)).json()
        assert [r["title"] for r in found["results"]] == ["Refund window"]
