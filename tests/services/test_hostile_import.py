"""Malformed and hostile files through the import service: each refused with a clear
message, and not one row written."""

import pytest
from sqlmodel import func, select

from tests.hostile_catalogue import CASES
from tracker.db import read_session, write_session
from tracker.models import AuditLog, InvestmentPlan, Milestone, Project
from tracker.services.auth import SYSTEM
from tracker.services.plan_import import ImportRefused, import_project_list


def written(engine) -> int:
    with read_session(engine) as s:
        return sum(
            s.exec(select(func.count()).select_from(m)).one()
            for m in (Project, Milestone, InvestmentPlan, AuditLog)
        )


def import_message(engine, data: bytes, filename: str) -> str:
    """The message the office sees; fails the test if the file was accepted."""
    try:
        with write_session(engine) as s:
            result = import_project_list(
                s, actor=SYSTEM, data=data, filename=filename, dry_run=False
            )
    except ImportRefused as refused:
        return str(refused)
    assert result.errors, "accepted"
    text = "\n".join(str(e) for e in result.errors)
    assert all("工作表" in str(e) and "行" in str(e) for e in result.errors), text
    return text


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_or_malformed_file_is_refused_clearly_and_writes_nothing(sqlite_engine, case):
    build, expected = CASES[case]
    data, filename = build()
    message = import_message(sqlite_engine, data, filename)
    assert expected in message, message
    assert written(sqlite_engine) == 0


def test_the_catalogue_holds_at_least_twelve_kinds():
    assert len(CASES) >= 12
