"""The unit of work: how a use case gets its transaction.

A use case is a service function ``fn(session, *args, **kwargs)``. Whoever runs it — a page
callback, the CLI, a scheduled job — does not open a session: it hands the function to
``read`` (one read-only session) or ``write`` (one write transaction: committed when the
function returns, rolled back when it raises, so a refused request writes nothing). The
result must be plain (frozen dataclasses, tuples, dicts, numbers, text): an ORM row would
outlive its session and tempt the caller into lazy loads, so ``write``/``read`` refuse one.

Long jobs that commit several times (the list import, compiling the bulletin, the month's
turns) take the engine and open their own sessions; they are the only other way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from tracker import data_version
from tracker.db import read_session, write_session

_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT", data_version.READ_ONLY: True}
_READER = "_tracker_reader"  # on the engine: its copy for reads
P = ParamSpec("P")
R = TypeVar("R")


def read(
    engine: Engine, fn: Callable[Concatenate[Session, P], R], /, *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run ``fn`` in one read-only session and return its plain result.

    On PostgreSQL the session runs in autocommit: under READ COMMITTED each statement sees
    the data committed before it began either way, and autocommit spares the BEGIN and the
    ROLLBACK round trips around every read; a write there is refused
    (``data_version.ReadOnlyError``) instead of being rolled back."""
    with read_session(_reader(engine)) as session:
        return _plain(fn(session, *args, **kwargs), fn)


def _reader(engine: Engine) -> Engine:
    """``engine`` for reads: on PostgreSQL its copy in autocommit that refuses writes (made
    once per engine; it shares the engine's pool and events)."""
    if engine.dialect.name != "postgresql":
        return engine
    reader = engine.__dict__.get(_READER)
    if reader is None:
        reader = engine.execution_options(**_AUTOCOMMIT)
        engine.__dict__[_READER] = reader
    return reader


def write(
    engine: Engine, fn: Callable[Concatenate[Session, P], R], /, *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run ``fn`` in one write transaction (all or nothing) and return its plain result."""
    with write_session(engine) as session:
        result = fn(session, *args, **kwargs)
        _plain(result, fn)
    return result


def _plain(result: R, fn: Callable[..., Any]) -> R:
    if _holds_row(result, depth=3):
        name = getattr(fn, "__qualname__", repr(fn))
        raise TypeError(f"use case {name} returned an ORM row; return a plain result")
    return result


def _holds_row(value: Any, depth: int) -> bool:
    """True when ``value`` is (or holds, near the top) a mapped database row."""
    if isinstance(value, SQLModel) and getattr(value, "__table__", None) is not None:
        return True
    if depth == 0 or value is None or isinstance(value, (str, bytes, int, float)):
        return False
    if isinstance(value, Mapping):
        items = list(value.values())[:1]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)[:1] if not isinstance(value, tuple) else list(value)[:8]
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [getattr(value, f.name) for f in dataclasses.fields(value)]
    else:
        return False
    return any(_holds_row(item, depth - 1) for item in items)
