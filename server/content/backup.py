"""`vouch backup` and `vouch restore`: a consistent copy of a running install's SQLite
database, and bringing one back into an empty data directory with its index rebuilt.

Copying vouch.db by hand is not a backup: recent writes sit in its write-ahead log
(vouch.db-wal) until a checkpoint, and a copy without them loses them. SQLite's backup
API copies the database as one read transaction sees it, log included, while the server
keeps writing (in WAL mode a reader never blocks a writer). PostgreSQL installs use
pg_dump and pg_restore instead."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from server.errors import Invalid
from server.settings import Settings

DATABASE_FILE = "vouch.db"
_REQUIRED_TABLES = {"card", "cardrevision", "collection", "user"}
_COUNTED = (("cards", "card"), ("revisions", "cardrevision"), ("users", "user"), ("customers", "customer"),
            ("facts", "quickfact"))


def _refuse_postgresql(settings: Settings) -> None:
    if settings.database_url:
        raise Invalid("This install keeps its data in PostgreSQL (VOUCH_DATABASE_URL): back it up with "
                      "pg_dump --format=custom and restore it with pg_restore (see README, Backups), then run "
                      "'vouch reindex' on each node.", code="backup_postgresql")


def _counts(connection: sqlite3.Connection) -> dict[str, int]:
    present = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {label: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for label, table in _COUNTED if table in present}


def _check(connection: sqlite3.Connection, what: str) -> None:
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise Invalid(f"{what} is not a SQLite database ({error}).", code="not_a_backup") from None
    if not _REQUIRED_TABLES <= tables:
        raise Invalid(f"{what} is not a Vouch database: it has no cards or users.", code="not_a_backup")
    if verdict != "ok":
        raise Invalid(f"{what} is damaged: SQLite's integrity check says {verdict!r}.", code="damaged_backup")


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy through SQLite's backup API into a file beside `target`, then move it into
    place, so a copy stopped half-way never looks like a finished one."""
    partial = target.with_name(f"{target.name}.partial")
    partial.unlink(missing_ok=True)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination)  # all pages in one step: one consistent snapshot
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _check(destination, "The copy")
    finally:
        destination.close()
    os.replace(partial, target)


def backup(settings: Settings, target: Path) -> dict[str, int]:
    """Write a consistent copy of the database to `target` (a new file) while the server
    runs. Returns what it holds."""
    _refuse_postgresql(settings)
    source_path = settings.data_dir / DATABASE_FILE
    if not source_path.exists():
        raise Invalid(f"There is no database to back up in {settings.data_dir} (VOUCH_DATA_DIR).",
                      code="no_database")
    if target.exists():
        raise Invalid(f"{target} exists already: back up to a new file, so no earlier backup is overwritten.",
                      code="backup_exists")
    if not target.parent.is_dir():
        raise Invalid(f"There is no folder {target.parent} to write the backup in.", code="no_folder")
    source = sqlite3.connect(source_path, timeout=30)
    try:
        _copy(source, target)
    finally:
        source.close()
    with closing(sqlite3.connect(target)) as copy:
        return _counts(copy)


def restore(settings: Settings, source_path: Path, rebuild: Callable[[], int]) -> dict[str, int]:
    """Bring a backup back into an empty data directory; `rebuild` then builds the search
    index from it (an index is never restored: it is made from the database)."""
    _refuse_postgresql(settings)
    if not source_path.is_file():
        raise Invalid(f"There is no backup file {source_path}.", code="no_backup")
    target = settings.data_dir / DATABASE_FILE
    if target.exists():
        raise Invalid(f"{settings.data_dir} holds a database already: restore into an empty data directory "
                      "(set VOUCH_DATA_DIR to a new folder), so nothing there is overwritten.",
                      code="data_dir_not_empty")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        _check(source, str(source_path))
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        _copy(source, target)
    finally:
        source.close()
    rebuild()
    with closing(sqlite3.connect(target)) as restored:
        return _counts(restored)
