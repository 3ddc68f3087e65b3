"""Put the demo office's reports back to a state a browser test starts from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from tracker.models import MonthlyReport, ProblemItem, Project


def county_projects(s: Session, county: str) -> list[Project]:
    """The county's projects, in the plan's order."""
    return list(
        s.exec(select(Project).where(Project.county == county).order_by(Project.sort_order))
    )


def remove_reports(s: Session, project_ids: Sequence[int | None], period: date) -> None:
    """Take the projects' reports of ``period`` out; what they raised stays in the ledger,
    no longer tied to a report."""
    reports = list(
        s.exec(
            select(MonthlyReport.id)
            .where(col(MonthlyReport.project_id).in_(project_ids))
            .where(MonthlyReport.period == period)
        )
    )
    s.execute(
        update(ProblemItem).where(col(ProblemItem.report_id).in_(reports)).values(report_id=None)
    )
    s.execute(delete(MonthlyReport).where(col(MonthlyReport.id).in_(reports)))
