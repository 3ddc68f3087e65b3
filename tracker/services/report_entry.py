"""The report grid's batch actions: save or submit many rows, each in its own transaction.

One row's refusal (a missing figure, a stale version, a locked month) never undoes the rows
that were accepted; every row comes back with what happened to it, so the page can show
the problems next to the right cells. The rules themselves are ``tracker.services.reports``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine

from tracker.config import Settings
from tracker.db import write_session
from tracker.domain.reports import FieldProblem
from tracker.services.cycle import PeriodLocked
from tracker.services.errors import ConflictError, ServiceError
from tracker.services.reports import ReportInvalid, ReportValues, save_draft, submit_report


@dataclass(frozen=True)
class RowInput:
    """What the grid sends for one project: the values and the version it was loaded at."""

    project_id: int
    seen_version: int
    values: ReportValues


@dataclass(frozen=True)
class RowOutcome:
    project_id: int
    ok: bool
    status: str = ""  # the report's status after the save (draft | submitted | returned)
    version: int = 0
    problems: list[FieldProblem] = field(default_factory=list)  # per field, from the checks
    message: str = ""  # a refusal that concerns the whole row (conflict, lock, permission)
    conflict: bool = False
    locked: bool = False


def save_rows(
    engine: Engine,
    *,
    actor,
    period: date,
    rows: Sequence[RowInput],
    submit: bool,
    today: date,
    settings: Settings,
    now: datetime | None = None,
) -> list[RowOutcome]:
    """Save drafts (``submit`` False) or submit the rows, one transaction per row."""
    outcomes: list[RowOutcome] = []
    for row in rows:
        try:
            with write_session(engine) as session:
                if submit:
                    report = submit_report(
                        session,
                        actor=actor,
                        project_id=row.project_id,
                        period=period,
                        values=row.values,
                        seen_version=row.seen_version,
                        today=today,
                        settings=settings,
                        now=now,
                    )
                else:
                    report = save_draft(
                        session,
                        actor=actor,
                        project_id=row.project_id,
                        period=period,
                        values=row.values,
                        seen_version=row.seen_version,
                        today=today,
                        settings=settings,
                    )
                outcome = RowOutcome(
                    row.project_id, True, status=report.status, version=report.version
                )
        except ReportInvalid as exc:
            outcome = RowOutcome(row.project_id, False, problems=list(exc.problems))
        except ConflictError as exc:
            outcome = RowOutcome(row.project_id, False, message=str(exc), conflict=True)
        except PeriodLocked as exc:
            outcome = RowOutcome(row.project_id, False, message=str(exc), locked=True)
        except ServiceError as exc:
            outcome = RowOutcome(row.project_id, False, message=str(exc))
        outcomes.append(outcome)
    return outcomes
