"""Loading a whole install's export (install_export) into an empty install: `vouch import
FOLDER` when the folder holds vouch-install.yaml, and the web app's install zip.

Every file is read and checked before anything is written, and everything is written in
one transaction: an export with one bad value imports nothing and names every problem
(up to PROBLEMS_SHOWN). Rows are written as the files say, dates and versions included,
not through the card services: those would make each card new again (verified today,
history from version 1), which is what a move between installs must not do. The cards'
outbox rows are written by the flush hook as for any write, so the index follows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, func, select

from server.accounts.models import Group, GroupMember, User
from server.accounts.service import ROLES
from server.audit.service import record
from server.cards.collections import SLUG as COLLECTION_SLUG
from server.cards.models import INTERVALS, STATUSES, Card, CardRevision, Collection, CollectionGrant
from server.cards.models import ROLES as COLLECTION_ROLES
from server.cards.service import MAX_BODY, MAX_TAG, MAX_TAGS, MAX_TITLE, ORIGINS
from server.clock import now
from server.content.archive import ArchiveContents, FileError, Limits, decode, read_zip
from server.content.files import Document, parse_document, parse_yaml
from server.content.install_export import FORMAT, MANIFEST, VERSION
from server.content.install_fields import Fields
from server.db import begin_write
from server.errors import Invalid, VouchError
from server.facts.customers import clean_domain, clean_email
from server.facts.matching import clean_handle
from server.facts.models import Customer, CustomerAccess, CustomerDomain, CustomerEmail, CustomerHandle, QuickFact
from server.facts.service import MAX_FACT
from server.policies.accounts import is_admin
from server.triggers.models import KINDS as TRIGGER_KINDS
from server.triggers.models import Trigger
from server.triggers.service import MAX_PATTERN
from server.verification.models import FLAG_KINDS, Flag, Snooze

PROBLEMS_SHOWN = 20
FLUSH_EVERY = 500  # cards between flushes: the session holds no more than this many at once
_CARD_SLUG = re.compile(r"[\w-]{1,200}")
_NAMES = (re.compile(rf"^(?:{re.escape(MANIFEST)}|users\.yaml|groups\.yaml)$"),
          re.compile(r"^collections/[^/]+\.yaml$"), re.compile(r"^cards/[^/]+/[^/]+\.md$"),
          re.compile(r"^customers/[^/]+\.md$"))
INSTALL_LIMITS = Limits(max_archive_bytes=1_000_000_000, max_total_bytes=2_000_000_000, max_file_bytes=50_000_000,
                        max_files=500_000)


def is_install(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def install_name_problem(name: str) -> str | None:
    if any(pattern.match(name) for pattern in _NAMES) and ".." not in name.split("/") and "\\" not in name:
        return None
    return ("not a file of an install's export (vouch-install.yaml, users.yaml, groups.yaml, "
            "collections/*.yaml, cards/<collection>/*.md, customers/*.md).")


def read_install_folder(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its relative name; a file that has no place in the format is a problem."""
    contents = ArchiveContents()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in (".DS_Store", "Thumbs.db")):
        name = path.relative_to(folder).as_posix()
        if problem := install_name_problem(name):
            contents.errors.append(FileError(name, problem))
            continue
        decoded = decode(name, path.read_bytes())
        (contents.errors if isinstance(decoded, FileError) else contents.files).append(decoded)
    return _files(contents)


def read_install_zip(data: bytes, limits: Limits) -> dict[str, str]:
    return _files(read_zip(data, limits, name_problem=install_name_problem))


def _files(contents: ArchiveContents) -> dict[str, str]:
    if contents.errors:
        raise _refused([f"{e.name}: {e.message}" for e in contents.errors])
    return {f.name: f.text for f in contents.files}


def _refused(problems: list[str]) -> Invalid:
    shown = "\n".join(f"- {p}" for p in problems[:PROBLEMS_SHOWN])
    more = f"\n- … and {len(problems) - PROBLEMS_SHOWN} more" if len(problems) > PROBLEMS_SHOWN else ""
    return Invalid(f"The export has {len(problems)} problem(s); nothing was imported.\n{shown}{more}",
                   code="invalid_install")


@dataclass
class Plan:
    """An install's files, checked: what load_install writes."""

    users: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    collections: list[dict] = field(default_factory=list)
    cards: list[dict] = field(default_factory=list)
    customers: list[dict] = field(default_factory=list)


class _Checker:
    def __init__(self, files: dict[str, str]):
        self.files, self.problems, self.plan = files, [], Plan()
        self.people: dict[str, int | None] = {}
        self.group_names: set[str] = set()
        self.collection_slugs: set[str] = set()

    def each(self, name: str, read) -> None:
        try:
            read(name)
        except VouchError as error:
            self.problems.append(error.message if error.message.startswith(name) else f"{name}: {error.message}")

    def yaml(self, name: str):
        return parse_yaml(name, self.files[name]) if name in self.files else None

    def doc(self, name: str) -> Document:
        return parse_document(name, self.files[name])

    def manifest(self, name: str) -> None:
        meta = Fields(name, self.yaml(name))
        if meta.record.get("format") != FORMAT:
            raise Invalid(f"{name}: not a Vouch install export ('format' is not {FORMAT}).")
        version = meta.number("version", default=VERSION, minimum=1)
        if version > VERSION:
            raise Invalid(f"{name}: written by a newer Vouch (format version {version}); upgrade this install first.")

    def users(self, name: str) -> None:
        for entry in _list(name, self.yaml(name)):
            email = clean_email(entry.text("email", max_chars=320, required=True))
            if email in self.people:
                raise entry.fail("email", f"{email} is listed twice")
            self.people[email] = None
            self.plan.users.append({
                "email": email, "name": entry.text("name", max_chars=200, required=True),
                "role": entry.choice("role", ROLES, "member"), "active": entry.flag("active", default=True),
                "digest": entry.choice("digest", ("daily", "weekly"), "daily"),
                "created_at": entry.when("created_at", default=now())})

    def groups(self, name: str) -> None:
        for entry in _list(name, self.yaml(name)):
            group = entry.text("name", max_chars=200, required=True)
            if group in self.group_names:
                raise entry.fail("name", f"{group} is listed twice")
            self.group_names.add(group)
            members = [self._email(entry, "members", m) for m in entry.words("members", max_items=100_000)]
            self.plan.groups.append({"name": group, "created_at": entry.when("created_at", default=now()),
                                     "members": sorted(set(members))})

    def _email(self, entry: Fields, key: str, value: str) -> str:
        email = value.strip().lower()
        if email not in self.people:
            raise entry.fail(key, f"names {email}, who is not in users.yaml")
        return email

    def collection(self, name: str) -> None:
        slug = name.removeprefix("collections/").removesuffix(".yaml")
        if not COLLECTION_SLUG.match(slug):
            raise Invalid(f"{name}: the file name must be the collection's slug (lower-case letters, digits, dashes).")
        meta = Fields(name, self.yaml(name) or {})
        self.collection_slugs.add(slug)
        self.plan.collections.append({
            "slug": slug, "name": meta.text("name", max_chars=200, default=slug) or slug,
            "description": meta.text("description", max_chars=10_000),
            "default_verifier": meta.person("default_verifier", self.people),
            "default_interval_days": meta.choice("interval_days", (*INTERVALS, None), 90),
            "created_at": meta.when("created_at", default=now()),
            "restricted": meta.flag("restricted", default=False),
            "access": [self._grant(entry) for entry in meta.records("access")]})

    def _grant(self, entry: Fields) -> dict:
        """One line of an access list: a user or a group (never both), and a role."""
        user = entry.person("user", self.people)
        group = entry.optional_text("group", max_chars=200)
        if group is not None and group not in self.group_names:
            raise entry.fail("group", f"names {group}, a group not in groups.yaml")
        if (user is None) == (group is None):
            raise entry.fail("user", "name either a user or a group")
        return {"user": user, "group": group, "role": entry.choice("role", COLLECTION_ROLES)}

    def card(self, name: str) -> None:
        _, collection, file_name = name.split("/")
        slug = file_name.removesuffix(".md")
        if collection not in self.collection_slugs:
            raise Invalid(f"{name}: there is no collections/{collection}.yaml for its folder.")
        if not _CARD_SLUG.fullmatch(slug):
            raise Invalid(f"{name}: the file name must be the card's slug (letters, digits and dashes).")
        doc = self.doc(name)
        if len(doc.body) > MAX_BODY:
            raise Invalid(f"{name}: the card is longer than {MAX_BODY:,} characters.")
        meta = Fields(name, doc.meta)
        verifier, group = meta.person("verifier", self.people), meta.optional_text("verifier_group", max_chars=200)
        if group is not None and group not in self.group_names:
            raise meta.fail("verifier_group", f"names {group}, a group not in groups.yaml")
        if verifier and group is not None:
            raise meta.fail("verifier", "and 'verifier_group' cannot both be set")
        created_at = meta.when("created_at", default=now())
        card = {
            "collection": collection, "slug": slug, "title": meta.text("title", max_chars=MAX_TITLE, required=True),
            "body": doc.body, "tags": meta.words("tags", max_items=MAX_TAGS, max_chars=MAX_TAG),
            "language": meta.text("language", max_chars=10, default="en") or "en",
            "status": meta.choice("status", STATUSES, "unverified"), "verifier": verifier, "verifier_group": group,
            "assignee": meta.person("assignee", self.people),
            "interval_days": meta.choice("interval_days", (*INTERVALS, None), 90),
            "verified_at": meta.when("verified_at"), "verified_by": meta.person("verified_by", self.people),
            "verify_due_at": meta.when("verify_due_at"), "version": meta.number("version", default=1, minimum=1),
            "created_at": created_at, "created_by": meta.person("created_by", self.people),
            "updated_at": meta.when("updated_at", default=created_at),
            "updated_by": meta.person("updated_by", self.people),
            "triggers": [self._trigger(t) for t in meta.records("triggers")],
            "flags": [self._flag(f) for f in meta.records("flags")],
            "snoozes": [{"user": s.person("user", self.people, required=True), "until": s.when("until", default=now())}
                        for s in meta.records("snoozes")],
            "history": [self._revision(r) for r in meta.records("history")]}
        versions = [r["version"] for r in card["history"]]
        if versions != sorted(set(versions)) or (versions and versions[-1] > card["version"]):
            raise meta.fail("history", "must list each version once, oldest first, none above the card's 'version'")
        if not card["history"]:  # a card written by hand: its history starts with it
            card["history"] = [{key: card[key] for key in ("version", "title", "body", "tags", "status")}
                               | {"author": card["created_by"], "created_at": created_at, "origin": "import",
                                  "origin_host": None, "note": ""}]
        self.plan.cards.append(card)

    def _trigger(self, entry: Fields) -> dict:
        return {"kind": entry.choice("kind", TRIGGER_KINDS),
                "pattern": entry.text("pattern", max_chars=MAX_PATTERN, required=True),
                "created_by": entry.person("created_by", self.people), "created_at": entry.when("created_at",
                                                                                                default=now()),
                "hits": entry.number("hits", default=0)}

    def _flag(self, entry: Fields) -> dict:
        return {"kind": entry.choice("kind", FLAG_KINDS), "reason": entry.text("reason", max_chars=2000),
                "raised_by": entry.person("raised_by", self.people, required=True),
                "created_at": entry.when("created_at", default=now()),
                "status": entry.choice("status", ("open", "resolved"), "open"),
                "resolution": entry.text("resolution", max_chars=2000), "fixed": entry.flag("fixed", default=None),
                "resolved_by": entry.person("resolved_by", self.people), "resolved_at": entry.when("resolved_at")}

    def _revision(self, entry: Fields) -> dict:
        return {"version": entry.number("version", default=1, minimum=1),
                "status": entry.choice("status", STATUSES, "unverified"),
                "author": entry.person("author", self.people), "created_at": entry.when("created_at", default=now()),
                "origin": entry.choice("origin", ORIGINS, "import"),
                "origin_host": entry.optional_text("origin_host", max_chars=255),
                "note": entry.text("note", max_chars=10_000), "title": entry.text("title", max_chars=MAX_TITLE),
                "tags": entry.words("tags", max_items=MAX_TAGS, max_chars=MAX_TAG),
                "body": entry.text("body", max_chars=MAX_BODY)}

    def customer(self, name: str) -> None:
        slug = name.removeprefix("customers/").removesuffix(".md")
        if not _CARD_SLUG.fullmatch(slug):
            raise Invalid(f"{name}: the file name must be the customer's slug (letters, digits and dashes).")
        doc = self.doc(name)
        meta = Fields(name, doc.meta)
        self.plan.customers.append({
            "slug": slug, "name": meta.text("name", max_chars=200, required=True), "notes": doc.body,
            "emails": [clean_email(e) for e in meta.words("emails", max_items=1000, max_chars=320)],
            "domains": [clean_domain(d) for d in meta.words("domains", max_items=1000, max_chars=255)],
            "handles": list(dict.fromkeys(clean_handle(h) for h in meta.words("handles", max_chars=200))),
            "external_ids": meta.mapping("external_ids"), "created_at": meta.when("created_at", default=now()),
            "version": meta.number("version", default=1, minimum=1),
            "restricted_to": meta.groups("restricted_to", self.group_names),
            "facts": [{"text": f.text("text", max_chars=MAX_FACT, required=True),
                       "author": f.person("author", self.people), "pinned": f.flag("pinned", default=False),
                       "remind_at": f.day("remind_at"), "expires_at": f.when("expires_at"),
                       "version": f.number("version", default=1, minimum=1),
                       "created_at": (created := f.when("created_at", default=now())),
                       "updated_at": f.when("updated_at", default=created),
                       "updated_by": f.person("updated_by", self.people),
                       **_confirmation(f, self.people)} for f in meta.records("facts")]})

    def unique_addresses(self) -> None:
        for key in ("emails", "domains", "handles"):
            owner: dict[str, str] = {}
            for customer in self.plan.customers:
                for value in customer[key]:
                    if value in owner and owner[value] != customer["slug"]:
                        self.problems.append(f"customers/{customer['slug']}.md: '{key}' {value} belongs to "
                                             f"customers/{owner[value]}.md too")
                    owner[value] = customer["slug"]


def _confirmation(fact: Fields, people: dict[str, int | None]) -> dict:
    """When and by whom a fact was last confirmed; a fact from an export made before
    confirmations was confirmed by its last save, as migration 0012 has it."""
    if "confirmed_at" not in fact.record:
        return {"confirmed_at": fact.when("updated_at", default=fact.when("created_at", default=now())),
                "confirmed_by": fact.person("updated_by", people)}
    return {"confirmed_at": fact.when("confirmed_at"), "confirmed_by": fact.person("confirmed_by", people)}


def _list(name: str, value) -> list[Fields]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(f"{name}: expected a list.")
    return [Fields(f"{name}: #{n}", item) for n, item in enumerate(value, 1)]


def check_install(files: dict[str, str]) -> Plan:
    """Read and check every file; Invalid lists every problem found (and nothing is written)."""
    if MANIFEST not in files:
        raise Invalid(f"There is no {MANIFEST}: this is not an export of a whole install.", code="invalid_install")
    checker = _Checker(files)
    checker.each(MANIFEST, checker.manifest)
    if checker.problems:  # another format: its other files would only add noise
        raise _refused(checker.problems)
    checker.each("users.yaml", checker.users)
    checker.each("groups.yaml", checker.groups)
    for kind, read in (("collections/", checker.collection), ("cards/", checker.card),
                       ("customers/", checker.customer)):
        for name in sorted(n for n in files if n.startswith(kind)):
            checker.each(name, read)
    checker.unique_addresses()
    if checker.problems:
        raise _refused(checker.problems)
    return checker.plan


def _check_empty(session: Session) -> None:
    held = [what for what, model in (("collections", Collection), ("cards", Card), ("customers", Customer),
                                     ("groups", Group)) if session.exec(select(func.count()).select_from(model)).one()]
    if held:
        raise Invalid(f"This install has {', '.join(held)} already. A whole install is imported only into an "
                      "empty one (users may be there already): start a new data folder, or import single "
                      "collections instead.", code="install_not_empty")


@dataclass
class InstallReport:
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)


class _Loader:
    def __init__(self, session: Session, actor: User | None):
        self.session, self.actor = session, actor
        self.users: dict[str, int] = {}
        self.groups: dict[str, int] = {}
        self.collections: dict[str, int] = {}
        self.notes: list[str] = []

    def user(self, email: str | None) -> int | None:
        return self.users[email] if email is not None else None

    def load_users(self, plan: Plan) -> None:
        there = {u.email: u for u in self.session.exec(select(User))}
        for entry in plan.users:
            user = there.get(entry["email"]) or User(email=entry["email"], name=entry["name"])
            for key, value in entry.items():
                setattr(user, key, value)
            if self.actor is not None and user.id == self.actor.id and not is_admin(user):
                user.active, user.role = True, "admin"
                self.notes.append(f"{user.email} is importing, so stays an active admin (the export says otherwise).")
            self.session.add(user)
        self.session.flush()
        self.users = dict(self.session.exec(select(User.email, User.id)).all())

    def load_groups(self, plan: Plan) -> None:
        for entry in plan.groups:
            group = Group(name=entry["name"], created_at=entry["created_at"])
            self.session.add(group)
            self.session.flush()
            self.groups[group.name] = group.id
            self.session.add_all(GroupMember(group_id=group.id, user_id=self.users[m]) for m in entry["members"])

    def load_collections(self, plan: Plan) -> None:
        for entry in plan.collections:
            collection = Collection(**{k: v for k, v in entry.items() if k not in ("default_verifier", "access")},
                                    default_verifier_id=self.user(entry["default_verifier"]))
            self.session.add(collection)
            self.session.flush()
            self.session.add_all(CollectionGrant(collection_id=collection.id, role=grant["role"],
                                                 user_id=self.user(grant["user"]),
                                                 group_id=self.groups[grant["group"]] if grant["group"] else None)
                                 for grant in entry["access"])
            self.collections[collection.slug] = collection.id

    def load_cards(self, plan: Plan) -> None:
        for start in range(0, len(plan.cards), FLUSH_EVERY):
            chunk = plan.cards[start:start + FLUSH_EVERY]
            rows = [self._card(entry) for entry in chunk]
            self.session.add_all(rows)
            self.session.flush()
            for entry, card in zip(chunk, rows):
                self._card_parts(entry, card.id)
            self.session.flush()
            self.session.expunge_all()  # written: the session need not hold 100,000 cards

    def _card(self, entry: dict) -> Card:
        people = ("assignee", "verified_by", "created_by", "updated_by")
        plain = ("slug", "title", "body", "tags", "language", "status", "interval_days", "verified_at",
                 "verify_due_at", "version", "created_at", "updated_at")
        return Card(**{k: entry[k] for k in plain}, **{f"{k}_id": self.user(entry[k]) for k in people},
                    collection_id=self.collections[entry["collection"]], verifier_id=self.user(entry["verifier"]),
                    verifier_group_id=self.groups[entry["verifier_group"]] if entry["verifier_group"] else None)

    def _card_parts(self, entry: dict, card_id: int) -> None:
        add = self.session.add
        for r in entry["history"]:
            add(CardRevision(card_id=card_id, author_id=self.user(r["author"]),
                             **{k: v for k, v in r.items() if k != "author"}))
        for t in entry["triggers"]:
            add(Trigger(card_id=card_id, created_by_id=self.user(t["created_by"]),
                        **{k: v for k, v in t.items() if k != "created_by"}))
        for f in entry["flags"]:
            add(Flag(card_id=card_id, raised_by_id=self.user(f["raised_by"]), resolved_by_id=self.user(f["resolved_by"]),
                     **{k: v for k, v in f.items() if k not in ("raised_by", "resolved_by")}))
        for s in entry["snoozes"]:
            add(Snooze(card_id=card_id, user_id=self.user(s["user"]), until=s["until"]))

    def load_customers(self, plan: Plan) -> None:
        for entry in plan.customers:
            customer = Customer(slug=entry["slug"], name=entry["name"], notes=entry["notes"],
                                external_ids=entry["external_ids"], created_at=entry["created_at"],
                                version=entry["version"])
            self.session.add(customer)
            self.session.flush()
            self.session.add_all(CustomerEmail(email=e, customer_id=customer.id) for e in entry["emails"])
            self.session.add_all(CustomerDomain(domain=d, customer_id=customer.id) for d in entry["domains"])
            self.session.add_all(CustomerHandle(handle=h, customer_id=customer.id) for h in entry["handles"])
            self.session.add_all(CustomerAccess(customer_id=customer.id, group_id=self.groups[g])
                                 for g in entry["restricted_to"])
            for f in entry["facts"]:
                self.session.add(QuickFact(customer_id=customer.id, author_id=self.user(f["author"]),
                                           updated_by_id=self.user(f["updated_by"]),
                                           confirmed_by_id=self.user(f["confirmed_by"]),
                                           **{k: v for k, v in f.items()
                                              if k not in ("author", "updated_by", "confirmed_by")}))
        self.session.flush()


def load_install(session: Session, plan: Plan, *, actor: User | None) -> InstallReport:
    """Write the checked plan in one transaction, into an install that has no content yet."""
    begin_write(session)
    try:
        _check_empty(session)
        loader = _Loader(session, actor)
        loader.load_users(plan)
        loader.load_groups(plan)
        loader.load_collections(plan)
        loader.load_cards(plan)
        loader.load_customers(plan)
        counts = {"users": len(plan.users), "groups": len(plan.groups), "collections": len(plan.collections),
                  "cards": len(plan.cards), "customers": len(plan.customers),
                  "facts": sum(len(c["facts"]) for c in plan.customers)}
        record(session, actor_id=actor.id if actor else None, action="import", target_type="install",
               target_id=None, **counts)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return InstallReport(counts=counts, notes=loader.notes)


def import_install(session: Session, files: dict[str, str], *, actor: User | None) -> InstallReport:
    return load_install(session, check_install(files), actor=actor)
