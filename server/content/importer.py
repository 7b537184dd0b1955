"""Importing cards into a collection (a zip from the web app, or `vouch import FOLDER`).

Each file is a card in the content format: a new slug creates a card, a known slug saves
the card as a new revision with origin "import" — through the card services, so the
verification rules, the history and the search index stay right. Every file is checked in
full before anything is written, so a file that fails leaves nothing half-imported."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server.accounts.models import Group, User
from server.audit.service import record
from server.cards import service as cards
from server.cards.archive import archive_card
from server.cards.handover import check_verifier_reads
from server.cards.models import INTERVALS, STATUSES, Card, Collection
from server.content.archive import ArchiveContents, FileError, Limits, SourceFile, decode, name_problem, read_zip
from server.content.batches import card_batches, deferred_chunks
from server.content.files import parse_document
from server.db import as_one_action, begin_write
from server.errors import Forbidden, Invalid, VouchError
from server.policies.access import access_of
from server.policies.collections import can_import_into
from server.search.index import SearchIndex
from server.verification import assignment

_SLUG = re.compile(r"[\w-]{1,200}")
WEB_CHUNK = 50  # cards per index commit in a web import: others' edits wait at most one chunk


@dataclass
class ImportReport:
    collection: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


@dataclass(frozen=True)
class CardFile:
    """One file's card, checked: what the importer would write."""

    name: str
    slug: str
    title: str
    body: str
    tags: list[str]
    language: str | None
    verifier: User | None
    group: Group | None  # a group verifies it (the file says verifier_group)
    interval: int | None | str  # "default" when the file does not say
    status: str  # verified | unverified | archived: used for a new card only


def check_may_import(session: Session, actor: User, collection_slug: str) -> Collection:
    collection = cards.readable_collection(session, actor, collection_slug)
    if not can_import_into(access_of(session, actor), collection):
        raise Forbidden(f"Only an admin or the default verifier of “{collection.name}” can import cards into it; "
                        "ask one of them, or export the collection instead.", code="import_forbidden")
    return collection


def _meta_str(meta: dict, key: str, name: str) -> str | None:
    value = meta.get(key)
    if value is not None and not isinstance(value, str | int | float):
        raise Invalid(f"{name}: '{key}' must be text.", code="invalid_content")
    return None if value is None else str(value)


def read_card_file(session: Session, source: SourceFile) -> CardFile:
    """Parse and check one file completely, raising Invalid with the file's name on the first problem."""
    name = source.name
    slug = name.rsplit("/", 1)[-1][:-3]
    if not _SLUG.fullmatch(slug):
        raise Invalid(f"{name}: the file name must be the card's slug (letters, digits and dashes).")
    doc = parse_document(name, source.text)
    meta = doc.meta
    tags = meta.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str | int | float) for t in tags):
        raise Invalid(f"{name}: 'tags' must be a list such as [billing, refunds].", code="invalid_content")
    status = meta.get("status", "verified")
    if status not in STATUSES:
        raise Invalid(f"{name}: 'status' must be verified, unverified or archived.", code="invalid_content")
    interval = meta.get("interval_days", "default")
    if interval != "default" and (isinstance(interval, bool) or (interval is not None and interval not in INTERVALS)):
        raise Invalid(f"{name}: 'interval_days' must be one of {', '.join(map(str, INTERVALS))}, or null for "
                      "never.", code="invalid_content")
    verifier = None
    if email := _meta_str(meta, "verifier", name):
        verifier = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if verifier is None or not verifier.active:
            raise Invalid(f"{name}: the verifier {email} has no active account here.", code="invalid_content")
    group = None
    if group_name := _meta_str(meta, "verifier_group", name):
        group = session.exec(select(Group).where(Group.name == group_name.strip())).first()
        if group is None:
            raise Invalid(f"{name}: there is no group {group_name[:200]} here to verify it.", code="invalid_content")
        if verifier is not None:
            raise Invalid(f"{name}: 'verifier' and 'verifier_group' cannot both be set.", code="invalid_content")
    language = _meta_str(meta, "language", name)
    try:
        return CardFile(name=name, slug=slug, title=cards.clean_title(_meta_str(meta, "title", name) or ""),
                        body=cards.clean_body(doc.body), tags=cards.clean_tags([str(t) for t in tags]),
                        language=language.strip().lower()[:10] if language and language.strip() else None,
                        verifier=verifier, group=group, interval=interval, status=status)
    except Invalid as error:
        raise Invalid(f"{name}: {error.message}", code=error.code) from None


def _same_words(card: Card, found: CardFile) -> bool:
    return (card.title, card.body.strip(), list(card.tags)) == (found.title, found.body.strip(), found.tags)


@as_one_action
def _apply(session: Session, actor: User, collection: Collection, found: CardFile) -> str:
    """Write one checked file, whole or not at all: 'created', 'updated' or 'unchanged'."""
    card = session.exec(select(Card).where(Card.collection_id == collection.id, Card.slug == found.slug)).first()
    if card is None:
        check_verifier_reads(session, collection, user=found.verifier)  # as reassigning checks it
        card = cards.create_card(session, actor=actor, collection_slug=collection.slug, title=found.title,
                                 body=found.body, tags=found.tags, language=found.language, verifier=found.verifier,
                                 interval_days=found.interval, slug=found.slug, verified=found.status == "verified",
                                 origin="import")
        if found.group is not None:
            assignment.reassign_verifier(session, actor=actor, card_id=card.id, group_id=found.group.id,
                                         keep_verified_date=True)
        if found.status == "archived":
            archive_card(session, actor=actor, card_id=card.id)
        return "created"
    changed = False
    if not _same_words(card, found):
        card = cards.update_card(session, actor=actor, card_id=card.id, expected_version=card.version,
                                 title=found.title, body=found.body, tags=found.tags, origin="import",
                                 why="Imported.")
        changed = True
    if found.verifier is not None and (card.verifier_id, card.verifier_group_id) != (found.verifier.id, None):
        card = assignment.reassign_verifier(session, actor=actor, card_id=card.id, user_id=found.verifier.id)
        changed = True
    if found.group is not None and (card.verifier_id, card.verifier_group_id) != (None, found.group.id):
        card = assignment.reassign_verifier(session, actor=actor, card_id=card.id, group_id=found.group.id)
        changed = True
    if found.interval != "default" and found.interval != card.interval_days:
        card = assignment.set_interval(session, actor=actor, card_id=card.id, interval_days=found.interval)
        changed = True
    if found.language and found.language != card.language:
        begin_write(session)
        card = cards.get_card(session, card.id)
        card.language = found.language
        session.add(card)
        session.commit()
        changed = True
    return "updated" if changed else "unchanged"


def import_files(session: Session, *, actor: User, collection_slug: str, contents: ArchiveContents,
                 written: Callable[[], None] = lambda: None) -> ImportReport:
    """Import every readable file into the collection; each failure is reported by file name.
    `written` is told of each card created or changed, so a bulk load can batch them."""
    collection = check_may_import(session, actor, collection_slug)
    report = ImportReport(collection=collection.slug, errors=list(contents.errors))
    seen: set[str] = set()
    for source in contents.files:
        try:
            found = read_card_file(session, source)
            if found.slug in seen:
                raise Invalid(f"{source.name}: another file in this import has the same name ({found.slug}.md).")
            seen.add(found.slug)
            outcome = _apply(session, actor, collection, found)
        except (VouchError, IntegrityError) as error:
            session.rollback()
            message = error.message if isinstance(error, VouchError) else "it clashes with a card saved meanwhile."
            report.errors.append(FileError(source.name, message.removeprefix(f"{source.name}: ")))
            continue
        getattr(report, outcome).append(source.name)
        if outcome != "unchanged":
            written()
    begin_write(session)
    record(session, actor_id=actor.id, action="import", target_type="collection", target_id=collection.id,
           created=len(report.created), updated=len(report.updated), unchanged=len(report.unchanged),
           errors=len(report.errors))
    session.commit()
    return report


def import_archive(session: Session, *, actor: User, collection_slug: str, data: bytes,
                   limits: Limits = Limits(), index: SearchIndex | None = None) -> ImportReport:
    """The web app's import: who may import is checked before the upload is even opened.
    With `index`, it applies the cards a chunk at a time instead of committing once per card."""
    check_may_import(session, actor, collection_slug)
    contents = read_zip(data, limits)
    with deferred_chunks(index, WEB_CHUNK) as chunks:
        return import_files(session, actor=actor, collection_slug=collection_slug, contents=contents,
                            written=chunks.written)


def read_folder(folder: Path, limits: Limits = Limits()) -> ArchiveContents:
    """The files of one exported collection folder, read with the same checks as a zip's entries."""
    contents = ArchiveContents()
    for path in sorted(p for p in folder.iterdir() if p.name not in (".DS_Store", "Thumbs.db")):
        name = f"{folder.name}/{path.name}"
        problem = "folders inside a collection are not read." if path.is_dir() else name_problem(name)
        if problem is None and path.stat().st_size > limits.max_file_bytes:
            problem = f"larger than {limits.max_file_bytes:,} bytes."
        if problem:
            contents.errors.append(FileError(name, problem))
            continue
        decoded = decode(name, path.read_bytes())
        (contents.errors if isinstance(decoded, FileError) else contents.files).append(decoded)
    return contents


def import_folders(session: Session, folder: Path, slugs: list[str] | None = None,
                   progress=lambda _: None) -> list[ImportReport]:
    """`vouch import`: each folder/<slug>/ into collection <slug>, as the first admin (like `vouch seed`).
    Cards are written a batch per transaction; the caller's index applies them (batches.bulk_index)."""
    actor = session.exec(select(User).where(User.role == "admin", User.active == True)  # noqa: E712
                         .order_by(User.id)).first()
    if actor is None:
        raise Invalid("Importing needs an admin to record as the author: run 'vouch user add --admin'.")
    slugs = slugs or sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    for slug in slugs:
        if not (folder / slug).is_dir():
            raise Invalid(f"No folder {slug!r} in {folder.name or folder}.")
        try:  # every collection must exist before anything is imported
            cards.get_collection(session, slug)
        except VouchError:
            raise Invalid(f"There is no collection {slug!r}: create it first ('vouch seed' or the admin pages), "
                          "or name another with --collection.") from None
    session.commit()  # ends this read, so what the batches commit is seen by it afterwards
    reports = []
    with card_batches(session.get_bind()) as batches:
        for slug in slugs:
            reports.append(import_files(batches.session, actor=actor, collection_slug=slug,
                                        contents=read_folder(folder / slug), written=batches.written))
            counted = sum(map(len, (reports[-1].created, reports[-1].updated, reports[-1].unchanged)))
            progress(f"{slug}: {counted} cards")
    return reports
