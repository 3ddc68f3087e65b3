import hashlib

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from tests.conftest import _sqlite_copy
from tracker.services.backup import backup, restore
from tracker.services.errors import InvalidInput


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table's rows, in primary-key order (but the data
    version: a restore renews it on purpose, so no worker's cache survives it)."""
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "dataversion":
                continue
            keys = ", ".join(c.name for c in table.primary_key.columns)
            rows = conn.execute(text(f'SELECT * FROM "{table.name}" ORDER BY {keys}')).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            out[table.name] = (len(rows), digest)
    return out


def test_a_backup_of_the_demo_office_restores_into_a_fresh_database_identically(
    demo_engine, sqlite_template, tmp_path
):
    before = fingerprint(demo_engine)
    assert before["project"][0] == 90
    backup(demo_engine, tmp_path / "backup.db")
    (tmp_path / "fresh").mkdir()
    fresh = _sqlite_copy(sqlite_template, tmp_path / "fresh")
    assert fingerprint(fresh)["project"][0] == 0
    with fresh.connect() as conn:
        fresh_version = conn.execute(text("SELECT epoch, version FROM dataversion")).one()
    restore(fresh, tmp_path / "backup.db")
    assert fingerprint(fresh) == before
    with demo_engine.connect() as conn, fresh.connect() as other:
        kept = conn.execute(text("SELECT epoch FROM dataversion")).scalar_one()
        renewed = other.execute(text("SELECT epoch, version FROM dataversion")).one()
    assert renewed.epoch not in {kept, fresh_version.epoch}  # a new name for the restored data


def test_restoring_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(
    demo_engine, tmp_path
):
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"this is not a database" * 100)
    before = fingerprint(demo_engine)
    with pytest.raises(InvalidInput, match="不是有效的备份文件"):
        restore(demo_engine, bogus)
    assert fingerprint(demo_engine) == before


@pytest.fixture
def two_pg_databases():
    """Two fresh PostgreSQL databases (dropped afterwards), for a restore drill."""
    import os

    from tests.conftest import PG_URL, postgres_unavailable
    from tracker.db import make_engine

    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    names = [f"drill_{os.getpid()}_{i}" for i in (1, 2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_URL.rsplit("/", 1)[0]
    engines = [make_engine(f"{base}/{name}") for name in names]
    yield engines
    for engine in engines:
        engine.dispose()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_postgresql_backup_restores_into_a_fresh_database_identically(two_pg_databases, tmp_path):
    from tests.conftest import DEMO_AS_OF
    from tracker.db import migrate, write_session
    from tracker.services.demo import build_demo

    origin, fresh = two_pg_databases
    migrate(origin)
    with write_session(origin) as session:
        build_demo(session, as_of=DEMO_AS_OF, password="pw")
    before = fingerprint(origin)
    backup(origin, tmp_path / "office.dump")
    migrate(fresh)
    restore(fresh, tmp_path / "office.dump")
    assert fingerprint(fresh) == before
    assert before["project"][0] == 90


# --- private files, manifests, verified restores, retention (#20) ---------------------------

import json  # noqa: E402
import os  # noqa: E402
import stat  # noqa: E402
import sys  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

from tracker.services.backup import (  # noqa: E402
    backup_name,
    manifest_path,
    prune,
    to_keep,
)


def test_a_backup_is_private_and_carries_a_manifest_of_every_table(demo_engine, tmp_path):
    old_umask = os.umask(0o022)  # what a careless shell would hand down
    try:
        result = backup(demo_engine, tmp_path / "nightly" / "office.db")
    finally:
        os.umask(old_umask)
    for path in (result.path, result.manifest):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(result.path.parent.stat().st_mode) == 0o700
    manifest = json.loads(result.manifest.read_text())
    assert manifest["file"] == "office.db" and manifest["database"] == "sqlite"
    assert manifest["tables"]["project"]["rows"] == 90
    assert set(manifest["tables"]) >= {"project", "milestone", "user", "alembic_version"}
    assert manifest["schema"]
    assert not list(result.path.parent.glob("*.partial"))


def test_a_restore_is_compared_table_by_table_with_the_manifest(
    demo_engine, sqlite_template, tmp_path
):
    result = backup(demo_engine, tmp_path / "office.db")
    (tmp_path / "fresh").mkdir()
    fresh = _sqlite_copy(sqlite_template, tmp_path / "fresh")
    restored = restore(fresh, result.path)
    assert restored.verified and restored.differences == []
    assert restored.tables == result.tables and restored.rows == result.rows


def test_a_backup_changed_after_it_was_written_is_refused_before_anything_is_touched(
    demo_engine, tmp_path
):
    result = backup(demo_engine, tmp_path / "office.db")
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    result.path.write_bytes(bytes(data))
    before = fingerprint(demo_engine)
    with pytest.raises(InvalidInput, match="校验值不一致"):
        restore(demo_engine, result.path)
    assert fingerprint(demo_engine) == before


def test_a_backup_of_a_database_without_the_products_tables_is_refused_and_leaves_no_file(
    tmp_path,
):
    from sqlalchemy import text as sql

    from tracker.db import make_engine

    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with other.begin() as conn:
        conn.execute(sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    with pytest.raises(InvalidInput, match="尚未初始化"):
        backup(other, tmp_path / "backup" / "other.db")
    other.dispose()
    assert list((tmp_path / "backup").iterdir()) == []


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("stamps", "daily", "monthly", "kept"),
    [
        # several a day: the last of each day
        (
            ["2026-03-01T01:00", "2026-03-01T23:00", "2026-03-02T02:30"],
            30,
            12,
            {"2026-03-01T23:00", "2026-03-02T02:30"},
        ),
        # 3 days kept; older days gone unless they are the last of a kept month
        (
            [
                "2026-02-27T02:30",
                "2026-02-28T02:30",
                "2026-03-01T02:30",
                "2026-03-02T02:30",
                "2026-03-03T02:30",
            ],
            3,
            0,
            {"2026-03-01T02:30", "2026-03-02T02:30", "2026-03-03T02:30"},
        ),
        (
            [
                "2026-02-27T02:30",
                "2026-02-28T02:30",
                "2026-03-01T02:30",
                "2026-03-02T02:30",
                "2026-03-03T02:30",
            ],
            3,
            2,
            {"2026-02-28T02:30", "2026-03-01T02:30", "2026-03-02T02:30", "2026-03-03T02:30"},
        ),
        # a gap of months (the server was off): days and months count only those with backups
        (
            ["2025-01-31T02:30", "2025-06-30T02:30", "2026-03-03T02:30"],
            1,
            2,
            {"2025-06-30T02:30", "2026-03-03T02:30"},
        ),
        # nothing is kept by the rules: the newest still is
        (["2026-03-01T02:30", "2026-03-02T02:30"], 0, 0, {"2026-03-02T02:30"}),
    ],
)
def test_retention_keeps_the_last_backup_of_the_latest_days_and_months(
    stamps, daily, monthly, kept
):
    result = to_keep([_stamp(s) for s in stamps], keep_daily=daily, keep_monthly=monthly)
    assert result == {_stamp(s) for s in kept}


def test_pruning_deletes_old_backups_with_their_manifests_and_nothing_else(tmp_path):
    for day in range(1, 11):
        name = backup_name(datetime(2026, 3, day, 2, 30), "postgresql")
        (tmp_path / name).write_text("dump")
        manifest_path(tmp_path / name).write_text("{}")
    (tmp_path / "before-update.dump").write_text("by hand")
    (tmp_path / "notes.txt").write_text("keep me")
    removed = prune(tmp_path, keep_daily=3, keep_monthly=1)
    assert [p.name for p in removed] == [
        backup_name(datetime(2026, 3, d, 2, 30), "postgresql") for d in range(1, 8)
    ]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(
        ["before-update.dump", "notes.txt"]
        + [
            n
            for d in (8, 9, 10)
            for n in (
                f"tracker-2026-03-{d:02d}T023000.dump",
                f"tracker-2026-03-{d:02d}T023000.dump.manifest.json",
            )
        ]
    )


def test_pg_dump_gets_the_password_in_its_environment_never_on_its_command_line(
    two_pg_databases, tmp_path, monkeypatch
):
    """A stand-in pg_dump first on PATH records what it was given, then runs the real one."""
    from tests.conftest import DEMO_AS_OF
    from tracker.db import make_engine, migrate, write_session
    from tracker.services.demo import build_demo

    origin, _ = two_pg_databases
    migrate(origin)
    with write_session(origin) as session:
        build_demo(session, as_of=DEMO_AS_OF, password="pw")
    password = "p@ss#w/rd:%x"
    url = origin.url.set(password=password)
    real = __import__("shutil").which("pg_dump")
    record = tmp_path / "argv.json"
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        f"json.dump({{'argv': sys.argv, 'password': os.environ.get('PGPASSWORD')}}, open({str(record)!r}, 'w'))\n"
        f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    engine = make_engine(url.render_as_string(hide_password=False))
    result = backup(engine, tmp_path / "office.dump")
    engine.dispose()
    seen = json.loads(record.read_text())
    assert seen["password"] == password
    assert not any(password in arg or "p%40ss" in arg for arg in seen["argv"])
    assert result.tables["project"].rows == 90
    assert stat.S_IMODE(Path(result.path).stat().st_mode) == 0o600
