"""Component trees kept by the values they are drawn from, not by the data version.

A page whose drawing is a pure function of a few plain values (the overview: its figures,
the filter, the reader's language and rights) is mostly drawn again unchanged: under load
the saves that drop the kept responses (a milestone note, a report draft) rarely change the
city's figures. ``Drawings.draw`` keys a drawing by the exact values it is drawn from (their
pickle: every field, a Decimal's digits and a float's sign included, where ``==`` would
take 1.0 for 1.00) and keeps the drawing as its JSON text. The values are computed afresh
on every request, so nothing here can be stale: a write that changes them changes the key.

The drawing is handed out as plain lists and dicts (the JSON read back), which Dash sends
as the very text the components would have given (``fastjson``): building the components
and walking them into JSON was most of the overview's CPU.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import orjson

from tracker.web import fastjson

DRAWN_BYTES = 16 << 20  # per worker and kind: ~150 overview drawings (~100 kB each)


class Drawings:
    """Drawings by the values they are drawn from: an LRU bounded by their bytes."""

    def __init__(self, capacity: int = DRAWN_BYTES) -> None:
        self.capacity = capacity
        self._items: OrderedDict[bytes, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def draw(self, values: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """What ``build()`` draws from ``values`` (everything it reads), as plain JSON values."""
        key = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            text = self._items.get(key)
            if text is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
        if text is None:
            text = orjson.dumps(build(), default=fastjson._default, option=fastjson.OPTIONS)
            self._put(key, text)
        return orjson.loads(text)

    def _put(self, key: bytes, text: bytes) -> None:
        with self._lock:
            held = self._items.pop(key, None)
            if held is not None:
                self._bytes -= len(key) + len(held)
            self._items[key] = text
            self._bytes += len(key) + len(text)
            while self._bytes > self.capacity and len(self._items) > 1:
                old_key, old_text = self._items.popitem(last=False)
                self._bytes -= len(old_key) + len(old_text)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
