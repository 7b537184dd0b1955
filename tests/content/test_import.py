"""`vouch import` and the import service: a lossless round trip with `vouch export`, updates
as 'import' revisions, and hostile archives and folders read without trusting them."""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from sqlmodel import select

from server.cards.models import Card
from server.content.archive import Limits, name_problem, read_zip
from server.content.importer import import_folders
from server.errors import Invalid
from tests.test_cli import run

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _mark_encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag of a one-entry zip in both headers."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + offset
        data[at] |= 0x1
    return bytes(data)


def _lie_about_size(data: bytes, declared: int) -> bytes:
    """Rewrite the uncompressed size in the local and central headers (a classic zip bomb trick)."""
    data = bytearray(data)
    local = data.find(b"PK\x03\x04")
    data[local + 22:local + 26] = struct.pack("<I", declared)
    central = data.find(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", declared)
    return bytes(data)


@pytest.mark.parametrize("name, problem", [
    ("card.md", None), ("policies/card.md", None), ("../card.md", "leaves"), ("a/../card.md", "leaves"),
    ("/abs/card.md", "absolute"), ("C:/x/card.md", "absolute"), ("a\\card.md", "leaves"),
    ("a/b/card.md", "one folder"), ("card.MD", None), ("card.html", "not a Markdown file"), ("a//card.md", "leaves"),
])
def test_entry_names(name, problem):
    found = name_problem(name)
    assert (found is None) if problem is None else (problem in found)


def test_a_zip_that_lies_about_its_sizes_reads_nothing_it_did_not_promise():
    bomb = _lie_about_size(_zip({"bomb.md": b"a" * 3_000_000}), declared=100)
    contents = read_zip(bomb)
    assert contents.files == [] and "damaged" in contents.errors[0].message


def test_limits_on_files_total_size_encryption_and_archive_size():
    small = Limits(max_archive_bytes=10_000, max_total_bytes=5_000, max_file_bytes=3_000, max_files=3)
    with pytest.raises(Invalid, match="at most 3"):
        read_zip(_zip({f"{n}.md": b"x" for n in range(4)}), small)
    with pytest.raises(Invalid, match="more than 5,000 bytes"):
        read_zip(_zip({"a.md": b"x" * 2_900, "b.md": b"y" * 2_900}), small)
    with pytest.raises(Invalid, match="larger than 10,000 bytes"):
        read_zip(b"PK" + bytes(10_000), small)
    contents = read_zip(_zip({"big.md": b"x" * 3_001, "ok.md": "---\ntitle: é\n---\n".encode()}), small)
    assert [f.name for f in contents.files] == ["ok.md"] and contents.files[0].text.startswith("---\ntitle: é")
    assert [(e.name, e.message) for e in contents.errors] == [("big.md", "larger than 3,000 bytes unpacked.")]
    secret = read_zip(_mark_encrypted(_zip({"secret.md": b"x"})), small)
    assert [(e.name, e.message) for e in secret.errors] == [("secret.md", "encrypted entries cannot be imported.")]


def test_import_folders_updates_and_reports_per_file(factory, services, tmp_path):
    db, _ = services
    admin = factory.user("Admin", role="admin")
    expert = factory.user("Expert", email="expert@example.test")
    faq = factory.collection("faq", verifier=expert)
    factory.card(faq, expert, title="Opening hours", body="Nine to five.", tags=["hours"])
    folder = tmp_path / "out" / "faq"
    folder.mkdir(parents=True)
    (folder / "opening-hours.md").write_text("---\ntitle: Opening hours\ntags: [hours]\nverifier: expert@example.test\n"
                                             "interval_days: 30\n---\nNine to six.\n", encoding="utf-8")
    (folder / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG")
    with db.session() as session:
        [report] = import_folders(session, tmp_path / "out")
        assert report.updated == ["faq/opening-hours.md"] and report.created == []
        assert {e.name for e in report.errors} == {"faq/broken.md", "faq/image.png"}
        card = session.exec(select(Card).where(Card.slug == "opening-hours")).one()
        assert card.body == "Nine to six." and card.status == "unverified" and card.updated_by_id == admin.id
        (tmp_path / "out" / "nope").mkdir()
        with pytest.raises(Invalid, match="no collection 'nope'"):
            import_folders(session, tmp_path / "out")
        with pytest.raises(Invalid, match="No folder 'gone'"):
            import_folders(session, tmp_path / "out", ["gone"])


def test_vouch_export_then_import_into_a_fresh_install_is_lossless(tmp_path):
    """Seed the starter content, export its collections, import them into an install that has
    only the users and collections, export again: the two exports are the same files, byte for
    byte. (A whole install's export: test_install_transfer.py.)"""
    assert run(tmp_path / "a", "seed").returncode == 0
    chosen = [arg for path in sorted((CONTENT / "collections").glob("*.yaml")) for arg in ("--collection", path.stem)]
    exported = run(tmp_path / "a", "export", str(tmp_path / "first"), *chosen)
    assert exported.returncode == 0, exported.stderr
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(CONTENT / "users.yaml", bare / "users.yaml")
    shutil.copytree(CONTENT / "collections", bare / "collections")
    assert run(tmp_path / "b", "seed", str(bare)).returncode == 0
    imported = run(tmp_path / "b", "import", str(tmp_path / "first"))
    assert imported.returncode == 0, imported.stderr
    assert "unchanged 0, errors 0" in imported.stdout
    assert run(tmp_path / "b", "export", str(tmp_path / "second"), *chosen).returncode == 0
    first = {p.relative_to(tmp_path / "first"): p.read_bytes() for p in (tmp_path / "first").rglob("*.md")}
    second = {p.relative_to(tmp_path / "second"): p.read_bytes() for p in (tmp_path / "second").rglob("*.md")}
    assert len(first) > 10 and first == second
    again = run(tmp_path / "b", "import", str(tmp_path / "second"))
    assert again.returncode == 0 and "created 0, updated 0" in again.stdout
    kept = [line for line in again.stdout.splitlines() if line.endswith(": unchanged, kept as it was")]
    assert len(kept) == len(second)  # every file named: nothing is passed over without a word


def test_vouch_import_reports_errors_and_unknown_collections(tmp_path):
    assert run(tmp_path, "user", "add", "admin@example.test", "--name", "Admin", "--admin").returncode == 0
    (tmp_path / "in" / "policies").mkdir(parents=True)
    missing = run(tmp_path, "import", str(tmp_path / "in"))
    assert missing.returncode == 2 and "no collection 'policies'" in missing.stderr
    nowhere = run(tmp_path, "import", str(tmp_path / "absent"))
    assert nowhere.returncode == 2 and "No folder" in nowhere.stderr


def test_a_collection_copied_keeps_archived_cards_archived_and_group_verifiers(factory, services, tmp_path):
    """A collection's files say when a card is archived or a group verifies it, and importing them
    into another collection keeps both (they used to come back live, verified by the default)."""
    from server.accounts.groups import create_group
    from server.cards.archive import archive_card
    from server.content.export import export_collection
    from server.verification.assignment import reassign_verifier

    db, _ = services
    admin = factory.user("Admin", role="admin")
    faq = factory.collection("faq", verifier=admin)
    factory.collection("faq-copy", verifier=admin)
    gone = factory.card(faq, admin, title="Fax number")
    grouped = factory.card(faq, admin, title="Security review")
    with db.session() as session:
        group = create_group(session, actor=admin, name="Security team")
        archive_card(session, actor=admin, card_id=gone.id)
        reassign_verifier(session, actor=admin, card_id=grouped.id, group_id=group.id)
        export_collection(session, "faq", tmp_path)
    (tmp_path / "faq").rename(tmp_path / "faq-copy")
    with db.session() as session:
        [report] = import_folders(session, tmp_path, ["faq-copy"])
        assert sorted(report.created) == ["faq-copy/fax-number.md", "faq-copy/security-review.md"]
        copies = {c.slug: c for c in session.exec(select(Card).where(Card.collection_id != faq.id))}
        assert copies["fax-number"].status == "archived"
        assert (copies["security-review"].verifier_id, copies["security-review"].verifier_group_id) == (None, group.id)
        assert copies["security-review"].status == "verified"
