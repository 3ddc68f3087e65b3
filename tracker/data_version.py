"""The data version: a number every committed write bumps, shared by every process through
the database, and the small in-process caches keyed by it.

What it is. One row of ``dataversion``: ``epoch`` (random, new whenever the row is created
or a backup is restored) and ``version`` (a counter). ``(epoch, version)`` names one state
of the data: a gunicorn worker may keep what it computed from the database under that name,
and serve it again while the name has not changed.

How every write bumps it (nothing to remember at the call site). ``track_writes`` hooks the
engine (``tracker.db.make_engine`` calls it, so every engine the product and the tests make
has it), not the ORM session: a statement that writes (INSERT, UPDATE, DELETE, DDL, …, from
the ORM, Core or raw SQL alike: write sessions, bulk Core writes, the importer, the demo
builder, migrations) marks its connection's transaction; when that transaction commits, the
``commit`` hook upserts the counter just before the COMMIT, on the same connection, so the
data and the new version become visible together or not at all. A rolled-back transaction
bumps nothing. Writes done outside the engine (``pg_restore``, SQLite's backup API) call
``renew`` afterwards, which also draws a new epoch: a restored database may carry an older
``version`` than some worker has cached under, and the new epoch makes all of those miss.

Bookkeeping that happens on every login and request (``UNVERSIONED``: login attempts,
signed-in sessions, the outbox, job runs, an import's progress) does not bump: a login burst
at a dispatch meeting would otherwise empty every cache at the moment it is needed. A cache
keyed by the data version must not depend on those tables.

Why a reader reads the version FIRST, then the data (``current``), and why that is enough:
the entry a reader stores under version v must never be older than v.

- PostgreSQL, READ COMMITTED (what the product runs): every statement sees the data
  committed before it started. A writer commits its data and v+1 atomically. A reader that
  read v and then reads the data sees everything committed up to v (and maybe a later
  commit v+1 as well: an entry under v newer than v is harmless, the next reader sees v+1
  and recomputes). Reading the data first and the version second would be wrong: the data
  read before a commit and the version read after it would store old data under v+1, stale
  until the next write. Statements of one reading see different snapshots (a reading that
  overlaps a commit can mix v and v+1); only readers that read v before v+1 committed can
  be served that entry, exactly those that could have read the same mix without a cache.
- SQLite (WAL, transactions begun explicitly): the first read of a transaction fixes its
  snapshot, so the version and the data read after it are from the same state, exactly v.
- A transaction that has written (or holds unflushed changes) reads its own uncommitted
  data, which may yet roll back: ``current`` answers None there, and nothing is cached.
- Writes outside the engine bump after they are complete (``renew``): a reader between the
  two reads the old version with newer data (harmless), never the reverse.

Contention. The counter is one row: on PostgreSQL every committing writer takes its row lock
for the moment between the upsert and its COMMIT (the upsert is the last statement, so the
lock is never held while the transaction does anything else: no deadlock, and the wait is one
commit's fsync). benchmarks/statuses.py --contention measures it.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event, inspect
from sqlalchemy.orm import Session

TABLE = "dataversion"
UNVERSIONED = frozenset({"loginattempt", "usersession", "notification", "jobrun", "importjob"})
CACHE_ENTRIES = 8  # per engine: a few (as_of, period, thresholds) of the current version

_STATE = "tracker.data_version"  # conn.info: the engine's tracker
# how many transactions that wrote versioned data this thread has committed (a request's
# version read before it wrote is not the version to read its answer under)
_HERE = threading.local()
_WROTE = "tracker.data_version.wrote"  # conn.info: this transaction wrote versioned data
_DDL = "tracker.data_version.ddl"  # conn.info: … and changed the schema (recheck the table)
_CHANGES = "tracker.data_version.changes"  # conn.info: table -> projects written (None: any)
_IN_FLUSH = "tracker.data_version.flush"  # conn.info: the ORM is flushing (it names projects)
CHANGES_TABLE = "datachange"
# an execution option: the projects whose rows a Core write changes (``of_projects``)
PROJECTS = "tracker_projects"
KEEP_CHANGES = 5_000  # versions whose changes are kept (older: a worker recomputes all)

_WRITE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|UPSERT|TRUNCATE|COPY|CREATE|ALTER|DROP|WITH)\b",
    re.IGNORECASE,
)
_TARGET = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r'\s+"?(\w+)"?',
    re.IGNORECASE,
)
_DML_IN_WITH = re.compile(r"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_SCHEMA = re.compile(r"^\s*(CREATE|ALTER|DROP)\b", re.IGNORECASE)

Version = tuple[str, int]  # (epoch, version)
V = TypeVar("V")


def writes_versioned_data(statement: str) -> bool:
    """Whether ``statement`` may change data a cache keyed by the version depends on."""
    found = _WRITE.match(statement)
    if found is None:
        return False
    if found.group(1).upper() == "WITH":
        return _DML_IN_WITH.search(statement) is not None
    target = _TARGET.match(statement)
    return target is None or target.group(1).lower() not in UNVERSIONED


def _writes(statement: str) -> bool:
    """Whether ``statement`` writes anything (any table, versioned or not)."""
    found = _WRITE.match(statement)
    if found is None:
        return False
    return found.group(1).upper() != "WITH" or _DML_IN_WITH.search(statement) is not None


def _changes_text(changes: dict[str, set[int] | None]) -> str:
    return json.dumps(
        {t: None if ids is None else sorted(ids) for t, ids in sorted(changes.items())},
        separators=(",", ":"),
    )


def _bump_sql(epoch: str) -> str:
    # the epoch is drawn here (hex digits), so it can be written into the statement: the
    # same text runs on every DB-API driver whatever its parameter style
    return (
        f"INSERT INTO {TABLE} (id, epoch, version) VALUES (1, '{epoch}', 1) "
        f"ON CONFLICT (id) DO UPDATE SET version = {TABLE}.version + 1"
    )


def _renew_sql(epoch: str) -> str:
    return (
        f"INSERT INTO {TABLE} (id, epoch, version) VALUES (1, '{epoch}', 1) "
        f"ON CONFLICT (id) DO UPDATE SET epoch = '{epoch}', version = {TABLE}.version + 1"
    )


def new_epoch() -> str:
    return secrets.token_hex(8)


class VersionedCache:
    """A bounded LRU of values computed from the data, keyed by (data version, key).

    ``capacity`` bounds the sum of the entries' weights (1 each unless ``put`` says more:
    the statuses weigh one per project); the newest entry is kept even when it alone is
    heavier. Entries of an older version than the newest stored one are dropped (no reader
    that starts now can ask for them), so a write frees the memory at the next store."""

    def __init__(self, capacity: int = CACHE_ENTRIES) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple[Version, Hashable], tuple[Any, int]] = OrderedDict()
        self._weight = 0
        self._newest: dict[str, int] = {}  # epoch -> newest version stored
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, version: Version, key: Hashable) -> Any | None:
        with self._lock:
            item = self._items.get((version, key))
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end((version, key))
            self.hits += 1
            return item[0]

    def put(self, version: Version, key: Hashable, value: Any, weight: int = 1) -> None:
        epoch, number = version
        with self._lock:
            if number < self._newest.get(epoch, number):
                return  # a reading that began before the last write finished: not kept
            if number > self._newest.get(epoch, number) or epoch not in self._newest:
                self._items = OrderedDict(
                    (k, v) for k, v in self._items.items() if k[0][0] == epoch and k[0][1] >= number
                )
                self._newest = {epoch: number}
                self._weight = sum(w for _, w in self._items.values())
            old = self._items.pop((version, key), None)
            self._items[(version, key)] = (value, weight)
            self._weight += weight - (old[1] if old else 0)
            while self._weight > self.capacity and len(self._items) > 1:
                _, (_, dropped) = self._items.popitem(last=False)
                self._weight -= dropped

    def latest(self, key: Hashable) -> tuple[Version, Any] | None:
        """The entry of ``key`` under the newest version held (any version), or None."""
        with self._lock:
            found = [(v, item[0]) for (v, k), item in self._items.items() if k == key]
        return max(found, key=lambda entry: entry[0][1]) if found else None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0
            self._newest.clear()


@dataclass
class _Tracker:
    """One engine's write tracking and its caches (one per engine: one per worker)."""

    dialect: str
    table_known: bool = False  # the table was seen (a schema change makes it look again)
    caches: dict[str, VersionedCache] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def cache(self, name: str, capacity: int | None = None) -> VersionedCache:
        with self.lock:
            cache = self.caches.setdefault(name, VersionedCache())
            cache.capacity = capacity or cache.capacity
            return cache

    changes_known: bool = False  # … and the table of changes

    def _exists(self, cursor: Any, name: str) -> bool:
        if self.dialect == "sqlite":
            cursor.execute(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{name}'")
            return cursor.fetchone() is not None
        cursor.execute(f"SELECT to_regclass('{name}') IS NOT NULL")
        return bool(cursor.fetchone()[0])

    def has_table(self, cursor: Any) -> bool:
        self.table_known = self._exists(cursor, TABLE)
        self.changes_known = self.table_known and self._exists(cursor, CHANGES_TABLE)
        return self.table_known

    def bump(
        self,
        dbapi_connection: Any,
        *,
        schema_changed: bool,
        epoch: str | None = None,
        changes: dict[str, set[int] | None] | None = None,
    ) -> None:
        """The counter bumped (a new ``epoch``: renewed) and, given ``changes``, what this
        version changed written beside it, in the same transaction."""
        cursor = dbapi_connection.cursor()
        try:
            if (self.table_known and not schema_changed) or self.has_table(cursor):
                recorded = epoch is None and changes is not None and self.changes_known
                if recorded and self.dialect == "postgresql":
                    self._bump_and_record(cursor, changes)  # type: ignore[arg-type]
                    return
                cursor.execute(_renew_sql(epoch) if epoch else _bump_sql(new_epoch()))
                if recorded:
                    self._record(cursor, changes)  # type: ignore[arg-type]
        finally:
            cursor.close()

    def _bump_and_record(self, cursor: Any, changes: dict[str, set[int] | None]) -> None:
        """PostgreSQL: the bump and the record of its changes in one statement (one round
        trip at every commit that writes, not three): the upsert's RETURNING feeds the
        insert, so the record names the version this very bump made."""
        cursor.execute(
            f"WITH bumped AS ({_bump_sql(new_epoch())} RETURNING epoch, version) "
            f"INSERT INTO {CHANGES_TABLE} (epoch, version, changes) "
            "SELECT epoch, version, %s FROM bumped RETURNING version",
            (_changes_text(changes),),
        )
        self._prune(cursor, int(cursor.fetchone()[0]))

    def _record(self, cursor: Any, changes: dict[str, set[int] | None]) -> None:
        cursor.execute(f"SELECT epoch, version FROM {TABLE} WHERE id = 1")
        epoch, number = cursor.fetchone()
        mark = "?" if self.dialect == "sqlite" else "%s"
        cursor.execute(
            f"INSERT INTO {CHANGES_TABLE} (epoch, version, changes) VALUES ({mark}, {mark}, {mark})",
            (epoch, int(number), _changes_text(changes)),
        )
        self._prune(cursor, int(number))

    def _prune(self, cursor: Any, number: int) -> None:
        if int(number) % 500 == 0:  # now and then, what no worker will ask for any more
            cursor.execute(
                f"DELETE FROM {CHANGES_TABLE} WHERE version < {int(number) - KEEP_CHANGES}"
            )


_TRACKED: weakref.WeakKeyDictionary[Engine, _Tracker] = weakref.WeakKeyDictionary()
# an execution option: every statement that writes is refused on a connection that has it
# (a read that runs in autocommit, ``tracker.services.unit.read``, must not commit a write
# it used to roll back)
READ_ONLY = "tracker_read_only"


class ReadOnlyError(RuntimeError):
    """A unit of work that only reads (``READ_ONLY``) sent a statement that writes."""


def _tracker_of(bind: Any) -> _Tracker | None:
    """The tracker of an engine, or of the engine an ``execution_options`` copy is of."""
    return _TRACKED.get(bind) or _TRACKED.get(getattr(bind, "_proxied", None))


def track_writes(engine: Engine) -> None:
    """Make every committed write through ``engine`` bump the data version (once per engine)."""
    if engine in _TRACKED:
        return
    tracker = _TRACKED[engine] = _Tracker(engine.dialect.name)

    def on_begin(conn: Connection) -> None:
        conn.info[_STATE] = tracker
        conn.info[_WROTE] = conn.info[_DDL] = False

    def after_execute(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if not writes_versioned_data(statement):
            return
        conn.info[_WROTE] = True
        conn.info[_DDL] = conn.info.get(_DDL) or _SCHEMA.match(statement) is not None
        if not conn.info.get(_IN_FLUSH):  # not the ORM's (it names the projects)
            target = _TARGET.match(statement)
            table = "*" if target is None else target.group(1).lower()
            changed = conn.info.setdefault(_CHANGES, {})
            named = context.execution_options.get(PROJECTS) if context is not None else None
            if named is None or table == "*":  # any row of the table
                changed[table] = None
            elif table not in changed or changed[table] is not None:
                changed.setdefault(table, set()).update(int(p) for p in named)
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            # the statement committed by itself: bump after it, by itself too
            tracker.bump(
                conn.connection.dbapi_connection,
                schema_changed=conn.info[_DDL],
                changes=conn.info.get(_CHANGES),
            )
            _forget(conn)

    def on_commit(conn: Connection) -> None:
        if conn.info.get(_WROTE):
            _HERE.commits = getattr(_HERE, "commits", 0) + 1
            tracker.bump(
                conn.connection.dbapi_connection,
                schema_changed=conn.info[_DDL],
                changes=conn.info.get(_CHANGES),
            )
        _forget(conn)

    def before_execute(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if conn.get_execution_options().get(READ_ONLY) and _writes(statement):
            raise ReadOnlyError(f"a read-only unit of work sent a write: {statement[:200]}")

    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "after_cursor_execute", after_execute)
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", _forget)
    event.listen(engine, "rollback_savepoint", _flush_ended)
    event.listen(engine, "handle_error", _error)


def writes_committed_here() -> int:
    """How many transactions that wrote versioned data this thread has committed so far: a
    version read before a write of this thread's (a save's request, read with its login
    session) must not be used after it."""
    return getattr(_HERE, "commits", 0)


def engine_cache(engine: Engine, name: str) -> VersionedCache | None:
    """``engine``'s cache called ``name`` (None for an engine that does not track writes)."""
    tracker = _TRACKED.get(engine)
    return None if tracker is None else tracker.cache(name)


def _forget(conn: Connection) -> None:
    conn.info[_WROTE] = conn.info[_DDL] = conn.info[_IN_FLUSH] = False
    conn.info.pop(_CHANGES, None)


def _flush_ended(conn: Connection, *_args: Any) -> None:
    conn.info[_IN_FLUSH] = False


def _error(context: Any) -> None:
    if context.connection is not None:  # a failed statement ends a flush (it raises)
        _flush_ended(context.connection)


# The ORM's flushes name the projects of the rows they write (the statements alone do not):
# statements run during a flush are traced here, every other write counts as "any row".


@event.listens_for(Session, "before_flush")
def _flush_begins(session: Session, _context: Any, _instances: Any) -> None:
    conn = session.connection()
    if _STATE in conn.info:
        conn.info[_IN_FLUSH] = True


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    conn = session.connection()
    if _STATE not in conn.info:
        return
    changed = conn.info.setdefault(_CHANGES, {})
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(getattr(obj, "__table__", None), "name", "*")
        if table in changed and changed[table] is None:
            continue
        projects = _projects_of(obj, table)
        if projects is None:
            changed[table] = None
        else:
            changed.setdefault(table, set()).update(projects)  # type: ignore[union-attr]


@event.listens_for(Session, "after_flush_postexec")
def _flush_done(session: Session, _context: Any) -> None:
    _flush_ended(session.connection())


def belongs_to(obj: Any, *project_ids: int | None) -> None:
    """Say which projects a row without a ``project_id`` column belongs to (an audit entry
    of a milestone, say), so the version its flush makes names them; without it such a
    row counts as changing any project."""
    inspect(obj).info[PROJECTS] = {int(p) for p in project_ids if p is not None}


def _audited_projects(entry: Any) -> set[int] | None:
    """An audit entry's project: the audited project, or the one named in the snapshots of a
    record that has a ``project_id`` (a report, a ledger item); None when neither says."""
    if entry.entity == "project" and entry.entity_id:
        return {int(entry.entity_id)}
    named = {
        shot.get("project_id") for shot in (entry.before, entry.after) if isinstance(shot, dict)
    }
    ids = {int(p) for p in named if isinstance(p, int) and not isinstance(p, bool)}
    return ids if ids and None not in named else None


def _projects_of(obj: Any, table: str) -> set[int] | None:
    """The projects a flushed row belongs to, before and after the flush (None: unknown)."""
    state = inspect(obj)
    told = state.info.get(PROJECTS)
    if told:
        return set(told)
    if table == "auditlog":
        return _audited_projects(obj)
    name = "id" if table == "project" else "project_id"
    if name not in state.attrs:
        return None
    history = state.attrs[name].history
    ids = {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}
    current = getattr(obj, name, None)
    if current is not None:
        ids.add(current)
    return {int(v) for v in ids} if ids else None


def of_projects(*project_ids: int) -> dict[str, tuple[int, ...]]:
    """Execution options of a Core write whose rows all belong to ``project_ids``, so the
    version it makes says which projects changed (an ORM flush says it by itself; a Core
    write without them counts as changing any project)."""
    return {PROJECTS: tuple(int(p) for p in project_ids)}


def changes_between(
    conn: Connection, since: Version, until: Version
) -> dict[str, set[int] | None] | None:
    """What the versions after ``since`` up to ``until`` changed (table -> projects, None:
    any), or None when that is not known (another epoch, a version whose changes were not
    written or were pruned): the caller recomputes everything then."""
    tracker: _Tracker | None = conn.info.get(_STATE)
    if tracker is None or not tracker.changes_known or since[0] != until[0] or since[1] > until[1]:
        return None
    rows = conn.exec_driver_sql(
        f"SELECT changes FROM {CHANGES_TABLE} WHERE epoch = '{until[0]}' "
        f"AND version > {int(since[1])} AND version <= {int(until[1])}"
    ).all()
    if len(rows) != until[1] - since[1]:
        return None
    out: dict[str, set[int] | None] = {}
    for (text,) in rows:
        for table, ids in json.loads(text).items():
            if ids is None or out.get(table, set()) is None:
                out[table] = None
            else:
                out.setdefault(table, set()).update(ids)  # type: ignore[union-attr]
    return out


def unchanged_for(
    conn: Connection,
    since: Version,
    until: Version,
    projects: set[int],
    tables: frozenset[str] = frozenset(),
) -> bool:
    """Whether nothing a page of ``projects`` shows changed from ``since`` to ``until``: every
    write between them is known project by project and none is to one of ``projects``. A
    write not traced to its projects (a setting, a user, a period, any Core write without
    ``of_projects``) counts as a change (the caller builds its value again), and so does a
    write to one of ``tables`` whichever projects it names (a page of a county's projects
    changes when a project joins the county)."""
    if since == until:
        return True
    changed = changes_between(conn, since, until)
    if changed is None:
        return False
    return tables.isdisjoint(changed) and all(
        ids is not None and projects.isdisjoint(ids) for ids in changed.values()
    )


def renew(engine: Engine) -> None:
    """After writes the engine did not see (a restore): a new epoch and a bump, committed
    (the whole cache of every worker misses from now on)."""
    with engine.connect() as conn:
        conn.begin()
        tracker: _Tracker = conn.info.get(_STATE) or _Tracker(engine.dialect.name)
        tracker.bump(conn.connection.dbapi_connection, schema_changed=True, epoch=new_epoch())
        _forget(conn)  # bumped already: the commit adds nothing
        conn.commit()


def current(conn: Connection) -> Version | None:
    """The data version this transaction reads under, or None when a cache must not be used
    (an engine without tracking, a database without the table or its row, a transaction
    that has written). Call it BEFORE reading the data the cached value is made of."""
    if not joinable(conn):
        return None
    row = conn.exec_driver_sql(f"SELECT epoch, version FROM {TABLE} WHERE id = 1").first()
    return None if row is None else (str(row[0]), int(row[1]))


def joinable(conn: Connection) -> bool:
    """Whether ``current`` would read the version's row on ``conn``: then a statement that
    reads other rows may read the row beside them instead (``current_in``), one round
    trip for both (the same snapshot: the version is not read after the data)."""
    tracker: _Tracker | None = conn.info.get(_STATE)
    if tracker is None or conn.info.get(_WROTE):
        return False
    if not tracker.table_known:
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            return tracker.has_table(cursor)
        finally:
            cursor.close()
    return True


def current_in(epoch: Any, number: Any) -> Version | None:
    """The version read beside other rows (an outer join on the row, ``joinable``)."""
    return None if epoch is None or number is None else (str(epoch), int(number))


@dataclass(frozen=True)
class Reading:
    """A read that may be served from the engine's cache: the version it reads under."""

    version: Version
    cache: VersionedCache

    def get(self, key: Hashable) -> Any | None:
        return self.cache.get(self.version, key)

    def put(self, key: Hashable, value: V, weight: int = 1) -> V:
        self.cache.put(self.version, key, value, weight)
        return value


_READ_BEFORE: ContextVar[Version | None] = ContextVar("tracker_read_before", default=None)


@contextmanager
def read_under(version: Version | None) -> Iterator[None]:
    """Within it, ``reading`` uses ``version`` (read before any of this unit's data, e.g.
    with the request's login session) instead of reading the version again."""
    token = _READ_BEFORE.set(version)
    try:
        yield
    finally:
        _READ_BEFORE.reset(token)


def reading(
    session: Session,
    name: str,
    capacity: int | None = None,
    read_before: Version | None = None,
) -> Reading | None:
    """The data version ``session`` reads under and the engine's cache called ``name``, or
    None when this read must not use a cache (see ``current``; also a session holding
    unflushed changes: its next query would flush them). Call it BEFORE reading the data.
    ``capacity``: the cache's bound (``VersionedCache``). ``read_before``: a version this
    request read before it began reading the data (with its login session), used instead
    of reading it again when the session has not written."""
    if session.new or session.dirty or session.deleted:
        return None
    read_before = read_before or _READ_BEFORE.get()
    if read_before is not None and session.get_transaction() is None:
        # nothing read or written yet: no connection is needed to serve a kept value
        held = _tracker_of(session.get_bind())
        return None if held is None else Reading(read_before, held.cache(name, capacity))
    conn = session.connection()
    if read_before is not None and not conn.info.get(_WROTE):
        tracker_: _Tracker | None = conn.info.get(_STATE)
        return None if tracker_ is None else Reading(read_before, tracker_.cache(name, capacity))
    version = current(conn)
    tracker: _Tracker | None = conn.info.get(_STATE)
    if version is None or tracker is None:
        return None
    return Reading(version, tracker.cache(name, capacity))


class FrozenList(list):
    """A list a cached value hands out: equal to, and read like, a list; refuses changes."""

    def _refuse(self, *_args: object, **_kwargs: object) -> None:
        raise TypeError("a cached list cannot be changed: copy it first (list(...))")

    __setitem__ = __delitem__ = append = extend = insert = pop = remove = clear = _refuse  # type: ignore[assignment]
    sort = reverse = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type, tuple[list]]:  # copy and pickle build it whole
        return (FrozenList, (list(self),))

    def __iadd__(self, _other: Iterable[object]) -> FrozenList:  # type: ignore[override]
        self._refuse()
        return self

    def __imul__(self, _other: object) -> FrozenList:  # type: ignore[override]
        self._refuse()
        return self
