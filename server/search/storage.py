"""Index files read through memory maps that every searcher of the process shares.

Whoosh reads a compound segment by copying each of its parts into memory, once for
every searcher it opens: at 100,000 cards about 140 MB per searcher, and the server
keeps several. Plain files read with seek and read calls cost a system call per read
and made searching a quarter slower. Here each file is mapped once per process, and
every open file reads it through its own position: no copies, nothing read twice, and
the pages belong to the operating system's cache, which any process shares."""

from __future__ import annotations

import mmap
import os
import threading
import weakref
from io import SEEK_CUR, SEEK_SET

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile


class _Map:
    """One file's memory map; unmapped once no open file uses it."""

    def __init__(self, path: str):
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            self.view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""


class _Cursor:
    """A read position in a shared map: what Whoosh's StructFile reads through."""

    __slots__ = ("_map", "_view", "_at")

    def __init__(self, mapping: _Map):
        self._map, self._view, self._at = mapping, mapping.view, 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._at
        self._at = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        return self._view[start:self._at]

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
    def __init__(self, mapping: _Map, name: str, onclose=None):
        StructFile.__init__(self, _Cursor(mapping), name=name, onclose=onclose)
        self._buf = mapping.view  # BufferFile.get and get_array slice it directly
        self._mapping = mapping


class MappedStorage(FileStorage):
    """A Whoosh FileStorage whose files are read from shared memory maps. Whoosh never
    rewrites a file it has written, so a map is valid for as long as it is open."""

    def __init__(self, path: str):
        super().__init__(path)
        self._maps: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self._maps_lock = threading.Lock()

    def open_file(self, name: str, **kwargs) -> StructFile:
        path = self._fpath(name)
        stat = os.stat(path)
        key = (path, stat.st_ino, stat.st_size)
        with self._maps_lock:
            mapping = self._maps.get(key)
            if mapping is None:
                mapping = self._maps[key] = _Map(path)
        return _MappedFile(mapping, name=name, **kwargs)
