"""The `vouch` command line: serve, seed, reindex, backup, restore, export, import,
import-customers, user add, token create, remind."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from server.errors import VouchError
from server.settings import SettingError, Settings

DEFAULT_CONTENT = Path(__file__).resolve().parent.parent / "content"


def _services():
    from server.app import open_services

    return open_services(Settings.from_env())


def _print(line: str) -> None:
    print(f"  {line}", flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run("server.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level="info")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from sqlmodel import func, select

    from server.accounts.models import User
    from server.content.batches import bulk_index
    from server.content.seed import seed

    folder = Path(args.dir) if args.dir else DEFAULT_CONTENT
    if not folder.is_dir():
        raise VouchError(f"No content folder at {folder}.")
    db, index = _services()
    with db.session() as session:
        if args.if_empty and session.exec(select(func.count()).select_from(User)).one():
            print("The database has users already: starter content not loaded.")
            return 0
        with bulk_index(index, db.session, progress=_print):
            report = seed(session, folder, progress=_print)
    print(f"Loaded {_summary(report.added)}.")
    for what, lines in (("Changed", report.changed), ("Kept as they were (already there)", report.kept)):
        if lines:
            print(f"{what}:")
            for line in lines:
                print(f"  {line}")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    _, index = _services()
    done = index.rebuild(progress=lambda n, total: print(f"  indexed {n}/{total} cards", flush=True))
    print(f"Rebuilt the search index from the database: {done} cards.")
    vectors = index.embedder.progress()
    if vectors.state == "off" and vectors.by:
        print(f"{vectors.by}.")
    elif vectors.state != "off":  # the vectors are not rebuilt: they follow the outbox
        print(f"{vectors.by}: {vectors.embedded} of {vectors.cards} cards embedded"
              + ("." if vectors.state == "ready" else "; the server embeds the rest in the background."))
    return 0


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items())


def cmd_backup(args: argparse.Namespace) -> int:
    from server.content.backup import backup

    counts = backup(Settings.from_env(), Path(args.file))
    print(f"Backed up to {args.file}: {_summary(counts)}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from server.content.backup import restore

    def rebuild() -> int:
        _, index = _services()  # the tables are brought up to this version first
        return index.rebuild(progress=lambda n, total: print(f"  indexed {n}/{total} cards", flush=True))

    counts = restore(Settings.from_env(), Path(args.file), rebuild)
    print(f"Restored {args.file}: {_summary(counts)}; the search index was rebuilt.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from server.content.export import export_collection, export_install

    db, _ = _services()
    with db.session() as session:
        if not args.collection:
            counts = export_install(session, Path(args.folder))
            print(f"Exported the whole install to {args.folder}: {_summary(counts)}, with users, groups, "
                  "history, triggers and facts.")
            return 0
        written = sum(export_collection(session, slug, Path(args.folder)) for slug in args.collection)
    print(f"Exported {written} cards to {args.folder}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from server.content.batches import bulk_index
    from server.content.importer import import_folders
    from server.content.install_import import is_install

    folder = Path(args.folder)
    if not folder.is_dir():
        raise VouchError(f"No folder at {folder}.")
    if is_install(folder):
        if args.collection:
            raise VouchError(f"{folder} is a whole install's export: it is imported whole, without --collection.")
        return _import_install(folder)
    db, index = _services()
    with db.session() as session, bulk_index(index, db.session, progress=_print):
        reports = import_folders(session, folder, args.collection, progress=_print)
    for report in reports:
        print(f"{report.collection}: created {len(report.created)}, updated {len(report.updated)}, "
              f"unchanged {len(report.unchanged)}, errors {len(report.errors)}")
        for what, names in (("created", report.created), ("updated", report.updated),
                            ("unchanged, kept as it was", report.unchanged)):
            for name in names:
                print(f"  {report.collection}/{name}: {what}")
        for error in report.errors:
            print(f"  {error.name}: {error.message}", file=sys.stderr)
    return 1 if any(r.errors for r in reports) else 0


def _import_install(folder: Path) -> int:
    from server.content.batches import bulk_index
    from server.content.install_import import import_install, read_install_folder

    files = read_install_folder(folder)
    db, index = _services()
    with db.session() as session, bulk_index(index, db.session, progress=_print):
        report = import_install(session, files, actor=None)
    print(f"Imported the whole install from {folder}: {_summary(report.counts)}.")
    for note in report.notes:
        print(f"  {note}")
    return 0


def cmd_import_customers(args: argparse.Namespace) -> int:
    """Customers and facts from a CRM's CSV or a JSON list (by the file's extension), as
    POST /api/customers/bulk takes them; bad rows are listed and the rest saved."""
    from server.facts.bulk import upsert_file

    path = Path(args.file)
    if path.suffix.lower() not in (".csv", ".json"):
        raise VouchError(f"{path} is neither .csv nor .json: name it for what it holds.")
    if not path.is_file():
        raise VouchError(f"No file at {path}.")
    db, _ = _services()
    with db.session() as session:
        report = upsert_file(session, actor=None, content=path.read_bytes(), is_csv=path.suffix.lower() == ".csv")
    print(f"{path}: {_summary(report.as_dict()['counts'])}.")
    for note in report.notes:
        print(f"  {note}")
    for row in report.skipped:
        print(f"  row {row['row']} ({row['name'] or 'no name'}): {row['reason']}", file=sys.stderr)
    return 1 if report.skipped else 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from server.accounts.service import create_user

    db, _ = _services()
    with db.session() as session:
        user = create_user(session, email=args.email, name=args.name, role="admin" if args.admin else "member",
                           password=args.password)
    print(f"Added {user.role} {user.name} <{user.email}>.")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from server.accounts.service import create_token, user_by_email

    db, _ = _services()
    with db.session() as session:
        user = user_by_email(session, args.email)
        token = create_token(session, user=user, name=args.name,
                             kind="personal" if args.for_script else "extension")
    print(f"API token for {user.email} (shown once; paste it into the extension's options):")
    print(token)
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    from server.mail.sender import outbox_dir
    from server.verification.reminders import send_digests

    settings = Settings.from_env()
    db, _ = _services()
    with db.session() as session:
        digests = send_digests(session, settings, dry_run=args.dry_run)
    for digest in digests:
        where = "would be sent" if args.dry_run else ("sent" if digest.sent_to == "smtp" else "written to the outbox")
        print(f"  {digest.user.email}: {len(digest.items)} card(s), {where}")
    if not args.dry_run and not settings.smtp_host and digests:
        print(f"No SMTP server is set (VOUCH_SMTP_HOST): the mail is in {outbox_dir(settings)}.")
    print(f"{len(digests)} digest(s){' (dry run: nothing sent)' if args.dry_run else ''}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vouch", description="Verified answers beside every conversation.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the web app and API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes sharing the data directory")
    serve.set_defaults(run=cmd_serve)

    seed = commands.add_parser("seed", help="load starter content (default: content/)")
    seed.add_argument("dir", nargs="?")
    seed.add_argument("--if-empty", action="store_true", help="only when the database has no users yet")
    seed.set_defaults(run=cmd_seed)

    reindex = commands.add_parser("reindex", help="rebuild the search index from the database")
    reindex.set_defaults(run=cmd_reindex)

    backup = commands.add_parser("backup", help="write a consistent copy of the database while the server runs")
    backup.add_argument("file", help="a new file")
    backup.set_defaults(run=cmd_backup)

    restore = commands.add_parser("restore", help="bring a backup back into an empty data directory")
    restore.add_argument("file")
    restore.set_defaults(run=cmd_restore)

    export = commands.add_parser("export", help="write the whole install (or --collection ones) as Markdown "
                                                "files with front matter")
    export.add_argument("folder")
    export.add_argument("--collection", action="append", help="a collection slug (default: all)")
    export.set_defaults(run=cmd_export)

    importer = commands.add_parser("import", help="read what 'vouch export' wrote back in (a whole install goes "
                                                  "into an empty one)")
    importer.add_argument("folder", help="holds one folder per collection, named by its slug")
    importer.add_argument("--collection", action="append", help="a collection slug (default: every folder)")
    importer.set_defaults(run=cmd_import)

    customers = commands.add_parser("import-customers", help="add or update customers and their facts from a "
                                                             "CSV (a CRM's export) or JSON file")
    customers.add_argument("file", help="a .csv (layout in docs/content-format.md) or .json file")
    customers.set_defaults(run=cmd_import_customers)

    user = commands.add_parser("user", help="manage users").add_subparsers(dest="action", required=True)
    add = user.add_parser("add", help="add a local user")
    add.add_argument("email")
    add.add_argument("--name", required=True)
    add.add_argument("--admin", action="store_true")
    add.add_argument("--password", help="for signing in to the web app (optional)")
    add.set_defaults(run=cmd_user_add)

    remind = commands.add_parser("remind", help="send today's verification digests (once a day per person)")
    remind.add_argument("--dry-run", action="store_true", help="list who would get what; send nothing")
    remind.set_defaults(run=cmd_remind)

    token = commands.add_parser("token", help="manage API tokens").add_subparsers(dest="action", required=True)
    create = token.add_parser("create", help="create an API token for a user")
    create.add_argument("email")
    create.add_argument("--name", default="command line")
    create.add_argument("--for-script", action="store_true",
                        help="for a script, not the extension: its edits are recorded as from the API")
    create.set_defaults(run=cmd_token_create)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except VouchError as error:
        print(f"vouch: {error.message}", file=sys.stderr)
        return 2
    except SettingError as error:
        print(f"vouch: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
