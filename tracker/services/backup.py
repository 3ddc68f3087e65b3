"""Backups: SQLite through its online backup API; PostgreSQL through pg_dump / pg_restore.

Every backup is written 0600 under a temporary name and renamed only when complete, with a
manifest beside it (``<file>.manifest.json``, also 0600): the dump's SHA-256 and, for every
table, its row count and a checksum of its rows, read in the same snapshot the dump was
taken from. ``restore`` refuses a file that no longer matches its manifest, and after
restoring compares every table with it: a restore drill ends with "identical" or with the
tables that differ.

Credentials never reach a command line: pg_dump and pg_restore get the database password
through their environment (PGPASSWORD), not in the connection URL, and no message repeats it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, inspect
from sqlalchemy.engine import URL, make_url

from tracker import data_version
from tracker.services.errors import InvalidInput

REQUIRED_TABLES = {"project", "milestone", "user", "alembic_version"}
MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_FORMAT = "tracker-backup/1"
PARTIAL_SUFFIX = ".partial"
# tracker-2026-11-28T023000.dump (PostgreSQL) / .sqlite: what `backup --dir` writes and prunes
BACKUP_NAME = re.compile(r"^tracker-(\d{4}-\d{2}-\d{2}T\d{6})\.(dump|sqlite)$")
CHUNK = 1 << 20


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Path
    size: int
    tables: dict[str, TableSum]
    media_files: int = 0  # site photos copied beside the dump (#18)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())


@dataclass(frozen=True)
class RestoreResult:
    tables: dict[str, TableSum]
    verified: bool  # compared with a manifest
    differences: list[str] = field(default_factory=list)
    media_files: int = 0  # site photos restored, each checked against its SHA-256 name

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())


# --- checksums ------------------------------------------------------------------------------


def table_checksums(conn: Connection) -> dict[str, TableSum]:
    """Row count and a SHA-256 of the rows (in primary-key order) of every table (but the
    data version: not data, a token for the caches, which a restore renews)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")  # the same text on every reading
    inspector = inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    out: dict[str, TableSum] = {}
    for name in sorted(set(inspector.get_table_names()) - {data_version.TABLE}):
        keys = inspector.get_pk_constraint(name).get("constrained_columns") or [
            c["name"] for c in inspector.get_columns(name)
        ]
        order = ", ".join(quote(k) for k in keys)
        digest = hashlib.sha256()
        count = 0
        result = conn.exec_driver_sql(f"SELECT * FROM {quote(name)} ORDER BY {order}")
        for row in result:
            digest.update(repr(tuple(row)).encode("utf-8"))
            digest.update(b"\n")
            count += 1
        out[name] = TableSum(count, digest.hexdigest())
    return out


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def _schema_revision(tables: dict[str, Any], conn: Connection) -> str:
    if "alembic_version" not in tables:
        return ""
    return str(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() or "")


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest written beside ``path``, or None when there is none."""
    where = manifest_path(path)
    if not where.is_file():
        return None
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput("backup.manifest_unreadable", where=str(where), error=str(exc)) from exc
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise InvalidInput("backup.not_manifest", where=str(where))
    return data


# --- PostgreSQL tools -----------------------------------------------------------------------


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The connection URL for pg_dump / pg_restore without its password, and an environment
    that carries the password instead (a command line is visible to every local user)."""
    url: URL = engine.url
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    bare = URL.create(  # URL.set(password=None) would keep the password
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    )
    return bare.render_as_string(hide_password=False), env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise InvalidInput("backup.no_client", name=name)
    return tool


def _clean(text: str, engine: Engine) -> str:
    """A tool's message without the database password, even if the tool printed it."""
    text = text.strip()
    password = engine.url.password
    if password:
        text = text.replace(str(password), "***")
    return text[-800:]


def _run_pg(engine: Engine, what: str, args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        args, env=env, capture_output=True, text=True, umask=0o077, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        raise InvalidInput(
            "backup.tool_failed",
            what=what,
            detail=_clean(result.stderr, engine) or result.returncode,
        )
    return result.stdout


# --- backup ---------------------------------------------------------------------------------


def _partial(target: Path) -> Path:
    """An empty 0600 file beside ``target`` that the dump is written into first."""
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    return partial


def backup(engine: Engine, target: Path, media: Path | None = None) -> BackupResult:
    """Write a consistent copy of the live database to ``target`` (0600) while the app runs,
    and its manifest beside it; with ``media`` (the photo store's folder), a copy of its
    files in ``<target>.media/``, listed in the manifest. A failed backup leaves no file
    under ``target``'s name."""
    target = Path(target)
    if target.exists() and target.is_dir():
        raise InvalidInput("backup.is_folder", target=str(target))
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = _partial(target)
    try:
        if engine.dialect.name == "sqlite":
            tables, revision = _backup_sqlite(engine, partial)
        else:
            tables, revision = _backup_postgresql(engine, partial)
        if not tables or REQUIRED_TABLES - set(tables):
            raise InvalidInput("backup.no_tables")
        os.chmod(partial, 0o600)
        size = partial.stat().st_size
        manifest = {
            "format": MANIFEST_FORMAT,
            "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "database": engine.dialect.name,
            "schema": revision,
            "file": target.name,
            "bytes": size,
            "file_sha256": file_sha256(partial),
            "tables": {name: {"rows": t.rows, "sha256": t.sha256} for name, t in tables.items()},
        }
        if media is not None:
            manifest["media"] = _backup_media(Path(media), media_path(target))
        _write_private(manifest_path(target), json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    count = len(manifest.get("media", {}).get("files", {}))
    return BackupResult(target, manifest_path(target), size, tables, media_files=count)


# --- the site photos (#18) ------------------------------------------------------------------

MEDIA_SUFFIX = ".media"


def media_path(path: Path) -> Path:
    """The folder beside a backup that holds its copy of the photo store."""
    return path.with_name(path.name + MEDIA_SUFFIX)


def _media_files(root: Path) -> dict[str, Path]:
    from tracker.media.store import MediaStore  # noqa: PLC0415 - only backups with photos

    store = MediaStore(root)
    return {digest: store.path(digest) for digest in store.digests()}


def _backup_media(source: Path, folder: Path) -> dict[str, Any]:
    """Copy every stored file (content-addressed: a file already copied is the same file)
    into ``folder``; the manifest lists each by its SHA-256 name and size. Files are
    hard-linked where the folders share a file system (a photo never changes), else copied.
    Taken after the database's snapshot: a photo uploaded meanwhile may be copied without
    its row (an orphan the cleanup job removes), never a row without its photo."""
    files: dict[str, int] = {}
    partial = folder.with_name(folder.name + PARTIAL_SUFFIX)
    shutil.rmtree(partial, ignore_errors=True)
    for digest, path in sorted(_media_files(source).items()):
        target = partial / path.relative_to(source)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        files[digest] = target.stat().st_size
    partial.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)
    return {"folder": folder.name, "files": files}


def _restore_media(
    source: Path, manifest: dict[str, Any] | None, media: Path
) -> tuple[int, list[str]]:
    """Copy the backup's photos into the store at ``media`` and check each against its
    SHA-256 name; returns the count and the differences, described for people."""
    listed = (manifest or {}).get("media")
    if not listed:
        return 0, []
    folder = source.with_name(listed["folder"])
    found = _media_files(folder) if folder.is_dir() else {}
    differences = [
        f"照片 {d[:12]}…：备份中缺少此文件" for d in sorted(set(listed["files"]) - set(found))
    ]
    from tracker.media.store import MediaStore  # noqa: PLC0415

    store = MediaStore(media)
    for digest, path in sorted(found.items()):
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            differences.append(f"照片 {digest[:12]}…：备份中的文件已损坏")
            continue
        store.put(data)
        if file_sha256(store.path(digest)) != digest:
            differences.append(f"照片 {digest[:12]}…：恢复后的文件与备份不一致")
    return len(found), differences


def _backup_sqlite(engine: Engine, partial: Path) -> tuple[dict[str, TableSum], str]:
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(destination)  # type: ignore[union-attr]
            destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            destination.close()
    finally:
        raw.close()
    copy = create_engine(f"sqlite:///{partial}")
    try:
        with copy.connect() as conn:
            tables = table_checksums(conn)
            return tables, _schema_revision(tables, conn)
    finally:
        copy.dispose()


def _backup_postgresql(engine: Engine, partial: Path) -> tuple[dict[str, TableSum], str]:
    url, env = _libpq(engine)
    pg_dump = _pg_tool("pg_dump")
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            # pg_dump reads the snapshot this transaction sees, and so do the checksums
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            args = [pg_dump, "--format=custom", "--no-owner", f"--snapshot={snapshot}"]
            _run_pg(engine, "pg_dump", [*args, f"--file={partial}", url], env)
            tables = table_checksums(conn)
            return tables, _schema_revision(tables, conn)


# --- keeping daily and monthly copies -------------------------------------------------------


def backup_name(now: datetime, dialect: str) -> str:
    return f"tracker-{now:%Y-%m-%dT%H%M%S}.{'sqlite' if dialect == 'sqlite' else 'dump'}"


def backups_in(directory: Path) -> list[tuple[datetime, Path]]:
    """The backups ``backup --dir`` wrote in ``directory``, oldest first."""
    found = []
    for path in directory.iterdir():
        match = BACKUP_NAME.match(path.name)
        if match and path.is_file():
            found.append((datetime.strptime(match.group(1), "%Y-%m-%dT%H%M%S"), path))
    return sorted(found)


def to_keep(stamps: Iterable[datetime], *, keep_daily: int, keep_monthly: int) -> set[datetime]:
    """The last backup of each of the ``keep_daily`` latest days that have one, and of each
    of the ``keep_monthly`` latest months that have one (the newest is always kept)."""
    ordered = sorted(set(stamps), reverse=True)
    keep: set[datetime] = set(ordered[:1])
    for count, period in ((keep_daily, lambda s: s.date()), (keep_monthly, _month)):
        seen: set[Any] = set()
        for stamp in ordered:
            key = period(stamp)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(stamp)
    return keep


def _month(stamp: datetime) -> date:
    return stamp.date().replace(day=1)


def prune(directory: Path, *, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Delete the backups (and their manifests) ``to_keep`` does not keep; return them."""
    found = backups_in(directory)
    keep = to_keep([s for s, _ in found], keep_daily=keep_daily, keep_monthly=keep_monthly)
    removed = []
    for stamp, path in found:
        if stamp in keep:
            continue
        path.unlink()
        with contextlib.suppress(FileNotFoundError):
            manifest_path(path).unlink()
        shutil.rmtree(media_path(path), ignore_errors=True)
        removed.append(path)
    return removed


# --- restore --------------------------------------------------------------------------------


def _check_sqlite_backup(source: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput("backup.not_backup", source=str(source), error=str(exc)) from exc
    if ok != "ok":
        raise InvalidInput("backup.corrupt", source=str(source), detail=ok)
    missing = REQUIRED_TABLES - tables
    if missing:
        raise InvalidInput(
            "backup.missing_tables", source=str(source), tables=", ".join(sorted(missing))
        )


def _check_manifest(source: Path, manifest: dict[str, Any] | None, dialect: str) -> None:
    if manifest is None:
        return
    if manifest.get("database") != dialect:
        raise InvalidInput(
            "backup.wrong_database",
            source=str(source),
            database=manifest.get("database"),
            dialect=dialect,
        )
    if file_sha256(source) != manifest.get("file_sha256"):
        raise InvalidInput("backup.checksum", source=str(source))


def compare(expected: dict[str, Any], actual: dict[str, TableSum]) -> list[str]:
    """The tables whose rows differ from a manifest's, described for people."""
    differences = []
    for name, want in sorted(expected.items()):
        got = actual.get(name)
        if got is None:
            differences.append(f"{name}：恢复后缺少此表")
        elif got.rows != want["rows"]:
            differences.append(f"{name}：备份 {want['rows']} 行，恢复后 {got.rows} 行")
        elif got.sha256 != want["sha256"]:
            differences.append(f"{name}：行数相同（{got.rows}），内容不同")
    for name in sorted(set(actual) - set(expected)):
        differences.append(f"{name}：备份中没有此表，恢复后的数据库里有")
    return differences


def restore(engine: Engine, source: Path, media: Path | None = None) -> RestoreResult:
    """Replace the database's contents with the backup in ``source`` (checked first), then
    compare every table with the backup's manifest when it has one; with ``media``, put the
    backup's photos back into that store, each checked against its checksum."""
    source = Path(source)
    if not source.is_file():
        raise InvalidInput("backup.missing_file", source=str(source))
    manifest = read_manifest(source)
    _check_manifest(source, manifest, engine.dialect.name)
    if engine.dialect.name == "sqlite":
        _restore_sqlite(engine, source)
    else:
        _restore_postgresql(engine, source)
    # written behind the engine's back: every worker's cache must miss from now on
    data_version.renew(engine)
    with engine.connect() as conn, conn.begin():
        tables = table_checksums(conn)
    if manifest is None:
        return RestoreResult(tables, verified=False)
    differences = compare(manifest.get("tables") or {}, tables)
    photos, media_differences = (
        (0, []) if media is None else _restore_media(source, manifest, media)
    )
    return RestoreResult(
        tables, verified=True, differences=differences + media_differences, media_files=photos
    )


def _restore_sqlite(engine: Engine, source: Path) -> None:
    _check_sqlite_backup(source)
    engine.dispose()
    raw = engine.raw_connection()
    try:
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        with origin:
            origin.backup(raw.driver_connection)  # type: ignore[arg-type]
        origin.close()
    finally:
        raw.close()
    engine.dispose()


def _restore_postgresql(engine: Engine, source: Path) -> None:
    url, env = _libpq(engine)
    pg_restore = _pg_tool("pg_restore")
    try:
        _run_pg(engine, "pg_restore", [pg_restore, "--list", str(source)], env)
    except InvalidInput as exc:
        raise InvalidInput("backup.not_pg_backup", source=str(source), error=str(exc)) from exc
    engine.dispose()
    _run_pg(
        engine,
        "pg_restore",
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={url}",
            str(source),
        ],
        env,
    )
    engine.dispose()


def with_database(engine_url: URL, database: str) -> URL:
    """The same server and credentials, another database (a SQLite file path for SQLite)."""
    if engine_url.get_backend_name() == "sqlite":
        return engine_url.set(database=str(Path(database).resolve()))
    return engine_url.set(database=database)


def plain_url(url: str | URL) -> str:
    """A database URL fit for a message: no password."""
    return make_url(url).render_as_string(hide_password=True)
