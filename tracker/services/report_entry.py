"""The report grid's batch actions: save or submit many rows, each in its own transaction.

One row's refusal (a missing figure, a stale version, a locked month) never undoes the rows
that were accepted; every row comes back with what happened to it, so the page can show
the problems next to the right cells. A row the database itself refuses (or any other
failure while saving it) is rolled back alone, logged, and reported on that row; the rows
after it are still tried. The rules themselves are ``tracker.services.reports``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from sqlalchemy import Engine

from tracker.config import Settings
from tracker.db import write_session
from tracker.domain.messages import Message, msg
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
    problems: tuple[FieldProblem, ...] = ()  # cells the page could not read: not sent on
    notes: tuple[str, ...] = ()  # what was normalised when reading the cells (said on save)


@dataclass(frozen=True)
class RowOutcome:
    project_id: int
    ok: bool
    status: str = ""  # the report's status after the save (draft | submitted | returned)
    version: int = 0
    problems: list[FieldProblem] = field(default_factory=list)  # per field, from the checks
    # a refusal that concerns the whole row (conflict, lock, permission): a catalogue message
    message: Message | str = ""
    conflict: bool = False
    locked: bool = False
    notes: tuple[str, ...] = ()


log = logging.getLogger(__name__)
FAILED = msg("report.row_failed")


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
    # a submission's moment is ``now`` when given (tests pin it); a draft has none
    save = partial(submit_report, now=now) if submit else save_draft
    given = {"actor": actor, "period": period, "today": today, "settings": settings}
    for row in rows:
        if row.problems:
            outcomes.append(RowOutcome(row.project_id, False, problems=list(row.problems)))
            continue
        try:
            with write_session(engine) as session:
                report = save(
                    session,
                    project_id=row.project_id,
                    values=row.values,
                    seen_version=row.seen_version,
                    **given,
                )
                outcome = RowOutcome(
                    row.project_id,
                    True,
                    status=report.status,
                    version=report.version,
                    notes=row.notes,
                )
        except ReportInvalid as exc:
            outcome = RowOutcome(row.project_id, False, problems=list(exc.problems))
        except ConflictError as exc:
            outcome = RowOutcome(row.project_id, False, message=exc.message, conflict=True)
        except PeriodLocked as exc:
            outcome = RowOutcome(row.project_id, False, message=exc.message, locked=True)
        except ServiceError as exc:
            outcome = RowOutcome(row.project_id, False, message=exc.message)
        except Exception:  # the database refused the row, or a bug: this row only
            log.exception("saving the report of project %s for %s failed", row.project_id, period)
            outcome = RowOutcome(row.project_id, False, message=FAILED)
        outcomes.append(outcome)
    return outcomes
