"""A small memo for results the engine and the pipeline work out again and again in a warm process,
and the bytes that key it."""

from __future__ import annotations

import marshal
import threading
from collections import OrderedDict
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def exact_bytes(value: Any) -> bytes | None:
    """``value`` as bytes that are equal exactly when the JSON data is equal, keys in the same order;
    None when it is not plain data.

    marshal's format 2 writes every value in full; later formats refer back to an object already
    written when it has other references, so equal data could give different bytes.
    """
    try:
        return marshal.dumps(value, 2)
    except ValueError:
        return None


class BoundedMemo(Generic[K, V]):
    """A thread-safe memo that forgets its oldest entries past ``limit``, so that no input, however
    many distinct ones a client sends, grows it without bound."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        return self._entries.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
