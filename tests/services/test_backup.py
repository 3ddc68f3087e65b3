import hashlib

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from tests.conftest import _sqlite_copy
from tracker.services.backup import backup, restore
from tracker.services.errors import InvalidInput


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table's rows, in primary-key order."""
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
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
    restore(fresh, tmp_path / "backup.db")
    assert fingerprint(fresh) == before


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
