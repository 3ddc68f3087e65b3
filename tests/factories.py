"""Factory helpers: make a plan's records with sensible defaults, override what matters."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from tracker.excel.rows import MilestoneRow, ProjectRow
from tracker.models import Area, InvestmentPlan, Measure, Milestone, MonthlyReport, Project, User
from tracker.services.auth import Actor, hash_password
from tracker.services.reports import ReportValues

_counter = itertools.count(1)
TEST_PASSWORD = "correct horse 42"
_password_hash: str | None = None


def make_area(session: Session, name: str = "绿色低碳发展") -> Area:
    area = session.exec(select(Area).where(Area.name == name)).first()
    if area is None:
        area = Area(name=name, sort_order=next(_counter))
        session.add(area)
        session.flush()
    return area


def make_measure(
    session: Session, name: str = "发展清洁能源", area: str = "绿色低碳发展"
) -> Measure:
    area_row = make_area(session, area)
    measure = session.exec(
        select(Measure).where(Measure.name == name, Measure.area_id == area_row.id)
    ).first()
    if measure is None:
        measure = Measure(area_id=area_row.id or 0, name=name, sort_order=next(_counter))
        session.add(measure)
        session.flush()
    return measure


def make_project(
    session: Session,
    *,
    milestones: list[tuple[str, date]] | None = None,
    annual_plan: dict[int, Decimal | int] | None = None,
    area: str = "绿色低碳发展",
    measure: str = "发展清洁能源",
    **fields: Any,
) -> Project:
    n = next(_counter)
    measure_row = make_measure(session, measure, area)
    values: dict[str, Any] = {
        "code": f"T-{n:04d}",
        "name": f"测试项目{n}",
        "county": "双江县",
        "lead_unit": "市科技局",
        "total_investment": Decimal("1200"),
        "baseline_start": date(2026, 1, 1),
        "baseline_finish": date(2027, 12, 31),
        "planned_start": date(2026, 1, 1),
        "planned_finish": date(2027, 12, 31),
        "sort_order": n,
    }
    values.update(fields)
    project = Project(area_id=measure_row.area_id, measure_id=measure_row.id or 0, **values)
    session.add(project)
    session.flush()
    for seq, (name, planned) in enumerate(milestones or [], start=1):
        session.add(
            Milestone(
                project_id=project.id or 0,
                seq=seq,
                name=name,
                baseline_date=planned,
                planned_date=planned,
            )
        )
    for year, amount in (annual_plan or {}).items():
        session.add(InvestmentPlan(project_id=project.id or 0, year=year, amount=Decimal(amount)))
    session.flush()
    return project


def make_report(session: Session, project: Project, period: date, **fields: Any) -> MonthlyReport:
    values: dict[str, Any] = {"status": "submitted", "reporter": "测试"}
    values.update(fields)
    report = MonthlyReport(project_id=project.id or 0, period=period, **values)
    session.add(report)
    session.flush()
    return report


def make_user(
    session: Session,
    role: str = "county",
    *,
    username: str | None = None,
    county: str | None = None,
    lead_unit: str | None = None,
    password: str = TEST_PASSWORD,
) -> User:
    global _password_hash
    if password == TEST_PASSWORD:
        _password_hash = _password_hash or hash_password(TEST_PASSWORD)
        hashed = _password_hash
    else:
        hashed = hash_password(password)
    if role == "county" and county is None:
        county = "双江县"
    if role == "unit" and lead_unit is None:
        lead_unit = "市科技局"
    user = User(
        username=username or f"user{next(_counter)}",
        password_hash=hashed,
        role=role,
        county=county,
        lead_unit=lead_unit,
        display_name=f"{role} 测试",
    )
    session.add(user)
    session.flush()
    return user


def actor_of(user: User) -> Actor:
    return Actor.of(user)


def report_values(**fields: Any) -> ReportValues:
    """A month's report that passes every check for a project on schedule; override what matters."""
    values: dict[str, Any] = {
        "completed_month": Decimal("100"),
        "progress_pct": 40.0,
        "progress_text": "主体工程施工中",
        "reporter": "李明",
    }
    values.update(fields)
    return ReportValues(**values)


def project_row(**kw: Any) -> ProjectRow:
    """A project row as the list import reads it (a 双江县 project with three milestones);
    override what matters."""
    values: dict[str, Any] = dict(
        name="双江蔗糖循环经济产业园项目",
        area="绿色低碳发展",
        measure="推进蔗糖产业循环经济发展",
        county="双江县",
        lead_unit="市工业和信息化局",
        total_investment=Decimal("1500.00"),
        annual_plans={2026: Decimal("500.00"), 2027: Decimal("1000.00")},
        planned_start=date(2026, 3, 1),
        planned_finish=date(2027, 6, 30),
        milestones=(
            MilestoneRow("完成前期手续", date(2026, 4, 30)),
            MilestoneRow("开工建设", date(2026, 6, 30)),
            MilestoneRow("竣工验收", date(2027, 6, 30)),
        ),
        sheet="项目清单",
        row=4,
    )
    values.update(kw)
    return ProjectRow(**values)


# a month reported before the one a test is about: 100 万元 in that month, 300 in the year,
# 900 since the start, 35 %
EARLIER_REPORT: dict[str, Any] = {
    "completed_month": Decimal("100"),
    "completed_ytd": Decimal("300"),
    "completed_total": Decimal("900"),
    "progress_pct": 35.0,
    "progress_text": "基础施工",
    "reporter": "李明",
}
