"""A project's reports over the months (the project page)."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session, col, select

from tracker.models import (
    MonthlyReport,
    Project,
)
from tracker.services.auth import Actor
from tracker.services.errors import NotFound
from tracker.services.permissions import require
from tracker.services.reports.grid import ReportValues


def report_history(session: Session, *, actor: Actor, project_id: int) -> list[MonthlyReport]:
    """A project's reports, newest first (the project page)."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("report.project_not_found")
    require(actor, "project.view", project)
    return list(
        session.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == project_id)
            .order_by(col(MonthlyReport.period).desc())
        ).all()
    )


def values_dict(values: ReportValues) -> dict:
    return asdict(values)
