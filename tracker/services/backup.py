"""Backups: SQLite through its online backup API; PostgreSQL through pg_dump / pg_restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from tracker.services.errors import InvalidInput

REQUIRED_TABLES = {"project", "milestone", "user", "alembic_version"}


def _libpq_url(engine: Engine) -> str:
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise InvalidInput(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian: postgresql-client）")
    return tool


def backup(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the live database to ``target`` while the app runs."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            destination = sqlite3.connect(target)
            with destination:
                raw.driver_connection.backup(destination)  # type: ignore[union-attr]
            destination.close()
        finally:
            raw.close()
        return
    subprocess.run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={target}",
            _libpq_url(engine),
        ],
        check=True,
        capture_output=True,
    )


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
        raise InvalidInput(f"{source} 不是有效的备份文件：{exc}") from exc
    if ok != "ok":
        raise InvalidInput(f"{source} 已损坏：{ok}")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise InvalidInput(f"{source} 不是本系统的备份（缺少表：{', '.join(sorted(missing))}）")


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's contents with the backup in ``source`` (checked first)."""
    if not source.is_file():
        raise InvalidInput(f"备份文件不存在：{source}")
    if engine.dialect.name == "sqlite":
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
        return
    result = subprocess.run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(engine)}",
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise InvalidInput(f"pg_restore 失败：{result.stderr.strip()[:500]}")
