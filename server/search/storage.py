"""Index files read through memory maps that every searcher of the process shares.

Whoosh reads a compound segment by copying each of its parts into memory, once for
every searcher it opens: at 100,000 cards about 140 MB per searcher, and the server
keeps several. Plain files read with seek and read calls cost a system call per read
and made searching a quarter slower. Here each file is mapped once per process, and
every open file reads it through its own position: no copies, nothing read twice, and
the pages belong to the operating system's cache, which any process shares.

A segment's files are mapped together, when the first of them is opened. Whoosh opens
some of them lazily (a field's lengths, the stored fields) long after it opened the
segment, and a background merge may have deleted them by then; a map outlives its
file, so a searcher reads the segment it started with to the end."""

from __future__ import annotations

import mmap
import os
import re
import threading
import weakref
from io import SEEK_CUR, SEEK_SET

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

# "MAIN_3k9x0a2b7c1d5e8f.trm", "MAIN_3k9x0a2b7c1d5e8f._title_en_len.col": a segment's
# files share the part up to the first dot. Table-of-contents and lock files do not match.
_SEGMENT_FILE = re.compile(r"^([A-Za-z0-9]+_[a-z0-9]+\.)")
PEEK_BYTES = 1024  # more than a term's or a posting block's header pickle takes


class _Map:
    """One file's memory map; unmapped once no open file uses it."""

    def __init__(self, path: str):
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            self.view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""


class _Segment:
    """Every file of one segment, mapped at once; kept while any of them is open."""

    def __init__(self, folder: str, prefix: str):
        # A file deleted between the listing and its mapping raises FileNotFoundError, an
        # IOError: Whoosh's reader retries the whole opening with the newer table of contents.
        self.maps = {name: _Map(os.path.join(folder, name))
                     for name in os.listdir(folder) if name.startswith(prefix)}


class _Cursor:
    """A read position in a shared map: what Whoosh's StructFile reads through."""

    __slots__ = ("_map", "_view", "_at")

    def __init__(self, mapping: _Map):
        self._map, self._view, self._at = mapping, mapping.view, 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._at
        self._at = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        return self._view[start:self._at]

    def peek(self, size: int = 1) -> bytes:
        """What is next, without reading it: pickle.load then takes a pickle from it in
        one go, where it read each of the pickle's parts with a call of its own (16 µs a
        header instead of 3.4, about a fifth of reading a term's postings the first time)."""
        return self._view[self._at:self._at + min(max(size, 1), PEEK_BYTES)]

    def readline(self, size: int | None = -1) -> bytes:  # pickle.load asks for it
        end = self._view.find(b"\n", self._at)
        end = len(self._view) if end < 0 else end + 1
        return self.read(end - self._at if size is None or size < 0 else min(size, end - self._at))

    def seek(self, offset: int, whence: int = SEEK_SET) -> int:
        base = 0 if whence == SEEK_SET else self._at if whence == SEEK_CUR else len(self._view)
        self._at = base + offset
        return self._at

    def tell(self) -> int:
        return self._at

    def close(self) -> None:
        self._map, self._view = None, b""


class _MappedFile(BufferFile):
    def __init__(self, segment: _Segment, mapping: _Map, name: str, onclose=None):
        StructFile.__init__(self, _Cursor(mapping), name=name, onclose=onclose)
        self._buf = mapping.view  # BufferFile.get and get_array slice it directly
        self._segment = segment  # the segment's other files stay mapped while this is open


class MappedStorage(FileStorage):
    """A Whoosh FileStorage whose segment files are read from shared memory maps. Whoosh
    never rewrites a segment file it has written, so a map is valid for as long as it is
    open."""

    def __init__(self, path: str):
        super().__init__(path)
        self._segments: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self._segments_lock = threading.Lock()

    def _open_segment(self, name: str) -> _Segment | None:
        """The mapped segment `name` belongs to, mapping it if no open file holds it."""
        match = _SEGMENT_FILE.match(name)
        if match is None:
            return None
        prefix = match.group(1)
        with self._segments_lock:
            segment = self._segments.get(prefix)
            if segment is None:
                segment = self._segments[prefix] = _Segment(self.folder, prefix)
            return segment

    def _mapped_segment(self, name: str) -> _Segment | None:
        """The segment `name` belongs to if it is mapped now, without mapping it."""
        match = _SEGMENT_FILE.match(name)
        return self._segments.get(match.group(1)) if match else None

    def open_file(self, name: str, **kwargs) -> StructFile:
        segment = self._open_segment(name)
        if segment is None:
            return super().open_file(name, **kwargs)
        mapping = segment.maps.get(name)
        if mapping is None:
            raise FileNotFoundError(os.path.join(self.folder, name))
        return _MappedFile(segment, mapping, name=name, **kwargs)

    def file_exists(self, name: str) -> bool:
        segment = self._mapped_segment(name)
        return name in segment.maps if segment is not None else super().file_exists(name)

    def file_length(self, name: str) -> int:
        segment = self._mapped_segment(name)
        if segment is None or name not in segment.maps:
            return super().file_length(name)
        return len(segment.maps[name].view)
