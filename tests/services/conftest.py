"""Fixtures of the service tests."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.conftest import PG_URL
from tracker.db import make_engine


@pytest.fixture
def other_worker(engine, request) -> Engine:
    """A second engine on the same database, with its own cache: another gunicorn worker."""
    if engine.dialect.name == "sqlite":
        other = make_engine(engine.url.render_as_string(hide_password=False))
    else:
        schema = request.getfixturevalue("pg_migrated")
        other = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    yield other
    other.dispose()
