"""What one generation of the index answers, kept until the next commit makes another.

Document numbers, permission filters and whole results belong to the generation that
made them: a commit (an edit applied from the outbox) starts a new generation, and
everything kept for the old one is dropped at once, so an acknowledged edit is never
answered from a stale copy."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

SIZE = 512  # entries per generation: whole results of recent queries, and filters


class GenerationMemo:
    def __init__(self, size: int = SIZE):
        self._size = size
        self._lock = threading.Lock()
        self._generation: Hashable = None
        self._values: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, generation: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for `key` in this generation, computed (outside the lock) when
        there is none. A value computed for a generation that is no longer the newest
        is returned but not kept."""
        with self._lock:
            if generation != self._generation:
                self._values.clear()
                self._generation = generation
            elif key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            if generation == self._generation:
                self._values[key] = value
                while len(self._values) > self._size:
                    self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._generation = None
