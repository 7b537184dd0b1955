"""Zip archives of content files, written and read with hostile uploads in mind.

Reading never trusts the archive: the sizes it declares may lie (a zip bomb), names may climb
out of the folder or be absolute, entries may be encrypted, binary or not Markdown. Problems
with the whole archive raise Invalid; problems with one entry are reported by name, so the
rest can still be imported."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from server.errors import Invalid

IGNORED = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$)")  # what desktop zip tools add on their own
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """How much an archive may hold. The upload itself is capped by VOUCH_MAX_BODY_BYTES."""

    max_archive_bytes: int = 1_000_000
    max_total_bytes: int = 20_000_000  # all entries uncompressed
    max_file_bytes: int = 1_000_000  # one entry uncompressed (a card is at most 100,000 characters)
    max_files: int = 1000


@dataclass(frozen=True)
class SourceFile:
    name: str  # as written in the archive (or relative to the imported folder)
    text: str


@dataclass(frozen=True)
class FileError:
    name: str
    message: str


@dataclass
class ArchiveContents:
    files: list[SourceFile] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


def write_zip(documents: Iterable[tuple[str, str]]) -> bytes:
    """A zip of (relative name, UTF-8 text) pairs, compressed, with stable timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in documents:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def name_problem(name: str) -> str | None:
    """Why an entry's name is refused, or None: only 'card.md' or 'folder/card.md'."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "absolute paths are not allowed."
    parts = name.split("/")
    if "\\" in name or ".." in parts or "." in parts or any(not p for p in parts):
        return "the path leaves the archive's folder or is malformed."
    if len(parts) > 2:
        return "cards go at the top of the archive or in one folder (collection/card.md)."
    if not name.lower().endswith(".md"):
        return "not a Markdown file (.md); only cards can be imported."
    return None


def decode(name: str, raw: bytes) -> SourceFile | FileError:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return FileError(name, "not UTF-8 text; save it as UTF-8 and try again.")
    if "\x00" in text:
        return FileError(name, "a binary file, not Markdown text.")
    return SourceFile(name, text)


def _open(data: bytes, limits: Limits) -> zipfile.ZipFile:
    if len(data) > limits.max_archive_bytes:
        raise Invalid(f"The archive is larger than {limits.max_archive_bytes:,} bytes; split it or raise "
                      "VOUCH_MAX_BODY_BYTES.", code="archive_too_big")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise Invalid("That file is not a zip archive (or it is damaged).", code="not_a_zip") from None


def read_zip(data: bytes, limits: Limits = Limits(), name_problem=name_problem) -> ArchiveContents:
    """Every entry `name_problem` accepts as text, and a per-entry error for the rest; a zip bomb
    is refused whole."""
    archive = _open(data, limits)
    entries = [i for i in archive.infolist() if not i.is_dir() and not IGNORED.search(i.filename)]
    if len(entries) > limits.max_files:
        raise Invalid(f"The archive holds {len(entries):,} files; at most {limits.max_files:,} can be imported "
                      "at once.", code="archive_too_many_files")
    if sum(i.file_size for i in entries) > limits.max_total_bytes:
        raise Invalid(f"The archive would unpack to more than {limits.max_total_bytes:,} bytes; it is refused.",
                      code="archive_too_big")
    contents, total = ArchiveContents(), 0
    for info in entries:
        name = info.filename[:300]
        problem = name_problem(info.filename)
        if problem is None and info.flag_bits & 0x1:
            problem = "encrypted entries cannot be imported."
        if problem is None and info.file_size > limits.max_file_bytes:
            problem = f"larger than {limits.max_file_bytes:,} bytes unpacked."
        if problem:
            contents.errors.append(FileError(name, problem))
            continue
        try:
            with archive.open(info) as entry:
                # The declared size may lie: read at most one byte past what is allowed.
                raw = entry.read(limits.max_file_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError):
            contents.errors.append(FileError(name, "damaged or packed in a way that cannot be read."))
            continue
        total += len(raw)
        if len(raw) > limits.max_file_bytes or total > limits.max_total_bytes:
            raise Invalid("The archive unpacks to more than it says it holds; it is refused.",
                          code="archive_too_big")
        decoded = decode(name, raw)
        (contents.errors if isinstance(decoded, FileError) else contents.files).append(decoded)
    return contents
