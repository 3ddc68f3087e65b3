"""Fault-test fixtures: a demo office in a PostgreSQL template database (built once per
session), copied into a fresh database per test and dropped afterwards.

The demo is dated 70 days before today, so a scheduler started now has months to open and
close (the catch-up), whatever the date the suite runs on.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, postgres_unavailable
from tracker.db import make_engine, migrate, write_session
from tracker.services.demo import build_demo
from tracker.startup import shanghai_today

PASSWORD = "fault-pass-2026"
DEMO_DAYS_BACK = 70
_counter = itertools.count(1)


def url_for(database: str, base: str = PG_URL) -> str:
    return make_url(base).set(database=database).render_as_string(hide_password=False)


def admin_engine(base: str = PG_URL) -> Engine:
    return make_engine(base, isolation_level="AUTOCOMMIT")


def create_database(name: str, template: str | None = None, base: str = PG_URL) -> None:
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    admin.dispose()


def drop_database(name: str, base: str = PG_URL) -> None:
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fill_demo(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    with write_session(engine) as session:
        build_demo(
            session, as_of=shanghai_today() - timedelta(days=DEMO_DAYS_BACK), password=PASSWORD
        )
    engine.dispose()


@pytest.fixture(scope="session")
def prod_template() -> Iterator[str]:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    name = f"prodtpl_{os.getpid()}"
    create_database(name)
    try:
        fill_demo(url_for(name))
        yield name
    finally:
        drop_database(name)


@pytest.fixture
def prod_db(prod_template) -> Iterator[str]:
    """The URL of a fresh copy of the demo office (its own database, dropped afterwards)."""
    name = f"prod_{os.getpid()}_{next(_counter)}"
    create_database(name, template=prod_template)
    try:
        yield url_for(name)
    finally:
        drop_database(name)


@pytest.fixture
def servers() -> Iterator[list]:
    """Gunicorn servers a test starts; every one is stopped afterwards, pass or fail."""
    started: list = []
    yield started
    for server in started:
        server.stop()


def copy_database(prod_template: str) -> tuple[str, str]:
    """Another copy of the demo office: (name, url); the caller drops it."""
    name = f"prod_{os.getpid()}_{next(_counter)}"
    create_database(name, template=prod_template)
    return name, url_for(name)
