"""Values read from the data, kept beyond their data version while no write since touched
what they were read from.

Under load a write lands between most reads (a county lead's note, a draft), so a cache
keyed by the data version (``tracker.data_version``) misses on nearly every read. Here each
key's newest value is kept with the version it was read under, and served under a newer
version when the writes since (``data_version.changes_between``: table -> projects) changed
none of the tables it was read from (``kept``), or none of them for its projects
(``changed_only``). A write the changes do not name (a Core write without projects, a
restore's new epoch, versions pruned or too far back) counts as touching everything.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session

from tracker import data_version
from tracker.data_version import Reading, Version

MAX_VERSIONS_SPANNED = 500  # further back, reading what changed costs more than it saves
KEPT_WEIGHT = 20_000  # per engine and name: the weights' bound (rows: one per project)

Changed = dict[str, set[int] | None]
V = TypeVar("V")


class Changes:
    """What the writes from an older version up to ``version`` changed, read once per older
    version (one request's reads share it); None when not known."""

    def __init__(self, session: Session, version: Version) -> None:
        self.session, self.version = session, version
        self._seen: dict[Version, Changed | None] = {}

    def since(self, older: Version) -> Changed | None:
        if older == self.version:
            return {}
        span = self.version[1] - older[1]
        if older[0] != self.version[0] or not 0 < span <= MAX_VERSIONS_SPANNED:
            return None
        if older not in self._seen:
            self._seen[older] = data_version.changes_between(
                self.session.connection(), older, self.version
            )
        return self._seen[older]


@dataclass
class _Latest:
    """Each key's newest value with its version and weight: an LRU bounded by the weights."""

    items: OrderedDict[Hashable, tuple[Version, Any, int]] = field(default_factory=OrderedDict)
    weight: int = 0


# per engine (its cache object: one database's versions say nothing of another's)
_LATEST: weakref.WeakKeyDictionary[data_version.VersionedCache, _Latest] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def latest(cache: Reading, key: Hashable) -> tuple[Version, Any] | None:
    """``key``'s newest value kept (any version) and its version, or None."""
    with _lock:
        held = _LATEST.setdefault(cache.cache, _Latest()).items.get(key)
        return None if held is None else (held[0], held[1])


def keep(cache: Reading, key: Hashable, value: Any, weight: int = 1) -> Any:
    """``value`` kept under this version, and as ``key``'s newest (unless one newer is held)."""
    cache.put(key, value, weight)
    with _lock:
        kept_ = _LATEST.setdefault(cache.cache, _Latest())
        held = kept_.items.get(key)
        if held is None or held[0][0] != cache.version[0] or held[0][1] <= cache.version[1]:
            kept_.items[key] = (cache.version, value, weight)
            kept_.weight += weight - (held[2] if held else 0)
        kept_.items.move_to_end(key)
        while kept_.weight > KEPT_WEIGHT and len(kept_.items) > 1:
            _, (_, _, dropped) = kept_.items.popitem(last=False)
            kept_.weight -= dropped
    return value


def kept(cache: Reading, changes: Changes, key: Hashable, reads: frozenset[str]) -> Any | None:
    """``key``'s value under this version: kept under it, or kept under an older one when
    no write since changed any of the tables ``reads`` names (nor one it cannot name)."""
    found = cache.get(key)
    if found is not None:
        return found
    held = latest(cache, key)
    if held is None:
        return None
    changed = changes.since(held[0])
    if changed is None or "*" in changed or not reads.isdisjoint(changed):
        return None
    return keep(cache, key, held[1])


def value(
    cache: Reading | None,
    changes: Changes | None,
    key: Hashable,
    reads: frozenset[str],
    read: Callable[[], V],
    fits: Callable[[V], bool] = lambda _value: True,
) -> V:
    """``key``'s value: kept (``kept``) when ``fits`` says it was made for this caller (e.g.
    from these very settings), else ``read()`` and kept. Without a cache: ``read()``."""
    if cache is None or changes is None:
        return read()
    found = kept(cache, changes, key, reads)
    if found is not None and fits(found):
        return found
    return keep(cache, key, read())


def carried(
    session: Session,
    name: str,
    key: Hashable,
    reads: frozenset[str],
    read: Callable[[], V],
    fits: Callable[[V], bool] = lambda _value: True,
    capacity: int | None = None,
    read_before: Version | None = None,
) -> V:
    """``value`` in the engine's cache ``name``, under the data version read first (or
    ``read_before``: one the request read before this session began, ``data_version.reading``)."""
    cache = data_version.reading(session, name, capacity, read_before)  # before the data
    changes = Changes(session, cache.version) if cache is not None else None
    return value(cache, changes, key, reads, read, fits)


def changed_only(changed: Changed | None, tables: frozenset[str], projects: frozenset[int]) -> bool:
    """Whether every write of ``changed`` was to one of ``tables``, named its projects, and
    none of them is one of ``projects`` (those a value was read for)."""
    if changed is None:
        return False
    return all(
        table in tables and ids is not None and projects.isdisjoint(ids)
        for table, ids in changed.items()
    )
