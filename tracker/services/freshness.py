"""Whether something built from the data is still what the data says (use cases of the
data version, for caches above the services: a page's response, say)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from tracker import data_version
from tracker.data_version import Version


def version_now(session: Session) -> Version | None:
    """The data version this session reads under (None: no cache may be used). Ask it
    BEFORE building what is cached."""
    return data_version.current(session.connection())


def unchanged_for(
    session: Session,
    *,
    since: Version,
    until: Version,
    projects: Iterable[int],
    tables: frozenset[str] = frozenset(),
) -> bool:
    """Whether no write from ``since`` to ``until`` may have changed what ``projects`` show
    (a write to one of ``tables``, whichever projects it names, counts as a change)."""
    return data_version.unchanged_for(session.connection(), since, until, set(projects), tables)
