"""Database fixtures for SQLite (always) and PostgreSQL (when a server answers).

``engine`` runs a test on both backends; PostgreSQL tests skip with a visible reason where
no server answers. Each pytest process works in its own PostgreSQL schema, so parallel
runs on one machine do not meet.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import tracker.startup
from tracker.db import make_engine, migrate, write_session
from tracker.services.demo import build_demo

DEMO_AS_OF = date(2026, 11, 28)
DEMO_PASSWORD = "demo-pass-2026"
PG_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PG_SCHEMA = f"t_{os.getpid()}"

_pg_reason: str | None = None


# --- today is pinned ---------------------------------------------------------------------------


class _UnpinnedClock(datetime):
    """Stands in for ``datetime`` in tracker.startup, whose ``shanghai_today`` is the one
    place the product reads today's date: a test that reaches it without saying which day
    it is (``today=``, ``as_of=``, ``--as-of``) fails here, whatever the date it runs on."""

    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206
        raise AssertionError(
            "this test reads today's date (tracker.startup.shanghai_today) without pinning "
            "it: pass today=/as_of=, or mark it @pytest.mark.clock (then CI runs it under "
            "faketime on every date scripts/test.sh lists)"
        )


@pytest.fixture(autouse=True)
def _photos_stay_out_of_the_repository(tmp_path_factory, monkeypatch):
    """Apps on PostgreSQL without MEDIA_DIR keep photos under ./data/media: not in tests (#18)."""
    import tracker.services.photos

    monkeypatch.setattr(
        tracker.services.photos, "DEFAULT_MEDIA", tmp_path_factory.getbasetemp() / "media"
    )


@pytest.fixture(autouse=True)
def _today_is_pinned(request, monkeypatch):
    if request.node.get_closest_marker("clock") is None:
        monkeypatch.setattr(tracker.startup, "datetime", _UnpinnedClock)


def postgres_unavailable() -> str | None:
    """None when PostgreSQL answers, else the reason the PostgreSQL tests skip."""
    global _pg_reason
    if _pg_reason is None:
        try:
            probe = make_engine(PG_URL, connect_args={"connect_timeout": 3})
            with probe.connect() as conn:
                conn.execute(text("select 1"))
            probe.dispose()
            _pg_reason = ""
        except Exception as exc:  # any failure to connect means: skip, and say why
            _pg_reason = (
                f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}: {str(exc)[:200]}"
            )
    return _pg_reason or None


def _pg_engine(schema: str) -> Engine:
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})


def _pg_drop(schema: str) -> None:
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory, sqlite_template) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with write_session(engine) as session:
        build_demo(session, as_of=DEMO_AS_OF, password=DEMO_PASSWORD)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _sqlite_copy(template: Path, tmp_path: Path) -> Engine:
    path = tmp_path / "tracker.db"
    shutil.copy(template, path)
    return make_engine(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str]:
    """A schema migrated once per session; tests empty it again after use."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    schema = PG_SCHEMA
    engine = _pg_engine(schema)
    migrate(engine)
    engine.dispose()
    yield schema
    _pg_drop(schema)


def _truncate(engine: Engine) -> None:
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    with engine.begin() as conn:
        conn.execute(
            text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        )


@pytest.fixture
def sqlite_engine(sqlite_template, tmp_path) -> Iterator[Engine]:
    engine = _sqlite_copy(sqlite_template, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, sqlite_template, tmp_path) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        eng = _sqlite_copy(sqlite_template, tmp_path)
        yield eng
        eng.dispose()
        return
    schema = request.getfixturevalue("pg_migrated")
    eng = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield eng
    finally:
        _truncate(eng)
        eng.dispose()


@pytest.fixture
def demo_engine(sqlite_demo_template, tmp_path) -> Iterator[Engine]:
    """A SQLite database holding the demo office as of DEMO_AS_OF (passwords DEMO_PASSWORD)."""
    engine = _sqlite_copy(sqlite_demo_template, tmp_path)
    yield engine
    engine.dispose()
