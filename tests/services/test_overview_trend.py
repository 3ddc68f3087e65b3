"""The overview's monthly trend, made from each status's part kept per status object (#15),
is the trend computed afresh for every project and month, before and after a write."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlmodel import col, select

from tests.conftest import DEMO_AS_OF
from tracker.db import read_session, write_session
from tracker.domain.periods import add_months, month_end
from tracker.domain.rules import Thresholds
from tracker.domain.schedule import due_amount, due_share
from tracker.models import MonthlyReport, Project
from tracker.services import overview as overview_service
from tracker.services.overview import MonthPoint, overview
from tracker.services.projects import ProjectFilter, filtered_statuses
from tracker.services.status import counted

T = Thresholds()


def _trend_afresh(session, filters: ProjectFilter, period: date) -> list[MonthPoint]:
    """Every project × month computed again, nothing kept (the trend as it was first written)."""
    statuses = filtered_statuses(session, as_of=DEMO_AS_OF, thresholds=T, filters=filters)
    ids = [s.project.id for s in statuses]
    sums: dict[date, Decimal] = defaultdict(Decimal)
    counts: dict[date, int] = defaultdict(int)
    reports = session.exec(
        select(MonthlyReport).where(
            MonthlyReport.period >= date(period.year, 1, 1),
            MonthlyReport.period <= period,
            col(MonthlyReport.project_id).in_(ids),
        )
    )
    for report in reports:
        row = counted(report)
        if row is not None:
            sums[row.period] += row.completed_month
            counts[row.period] += 1
    points, running, month = [], Decimal("0"), date(period.year, 1, 1)
    while month.year == period.year:
        running += sums[month] if month <= period else Decimal("0")
        expected = sum(
            (
                due_amount(
                    s.annual_plan,
                    due_share(
                        month_end(month),
                        year=period.year,
                        monthly=s.plan_monthly,
                        planned_start=s.project.planned_start,
                        planned_finish=s.project.planned_finish,
                    ).share,
                )
                for s in statuses
                if s.annual_plan > 0
            ),
            Decimal("0"),
        )
        points.append(
            MonthPoint(
                month,
                sums[month] if month <= period else Decimal("0"),
                running if month <= period else Decimal("0"),
                expected,
                counts[month],
            )
        )
        month = add_months(month, 1)
    return points


def _trend(engine, filters: ProjectFilter) -> tuple[list[MonthPoint], list[MonthPoint]]:
    with read_session(engine) as s:
        data = overview(s, as_of=DEMO_AS_OF, thresholds=T, filters=filters)
        return data.trend, _trend_afresh(s, filters, data.period)


def test_the_kept_trend_is_the_trend_computed_afresh_for_every_filter(demo_engine):
    for filters in (ProjectFilter(), ProjectFilter(county="云县"), ProjectFilter(light="red")):
        kept, afresh = _trend(demo_engine, filters)
        assert kept == afresh and repr(kept) == repr(afresh)  # the Decimals' digits too
        again, _ = _trend(demo_engine, filters)  # every part from the kept ones now
        assert repr(again) == repr(afresh)


def test_a_report_changed_in_another_session_is_in_the_next_trend(demo_engine, monkeypatch):
    before, _ = _trend(demo_engine, ProjectFilter())
    asked: list[list[int]] = []
    reported = overview_service._reported

    def spy(session, project_ids, period):
        asked.append(list(project_ids))
        return reported(session, project_ids, period)

    monkeypatch.setattr(overview_service, "_reported", spy)
    month = next(p.month for p in before if p.projects)
    with write_session(demo_engine) as s:
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.period == month, MonthlyReport.status == "submitted")
            .order_by(MonthlyReport.id)
        ).first()
        report.completed_month += Decimal("123.45")
        s.add(report)
    after, afresh = _trend(demo_engine, ProjectFilter())
    assert repr(after) == repr(afresh)
    changed = next(p for p in after if p.month == month)
    assert changed.completed == next(p for p in before if p.month == month).completed + Decimal(
        "123.45"
    )
    assert asked[0] == [report.project_id], "only the written project's part was made again"


def _data(engine, filters: ProjectFilter):
    with read_session(engine) as s:
        return overview(s, as_of=DEMO_AS_OF, thresholds=T, filters=filters)


def _data_afresh(engine, filters: ProjectFilter):
    overview_service._SUMMED.clear()
    overview_service._PARTS_MADE.clear()
    return _data(engine, filters)


def test_a_county_s_figures_are_summed_again_only_after_a_save_to_that_county(demo_engine):
    with read_session(demo_engine) as s:
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.status == "submitted", MonthlyReport.period >= date(2026, 1, 1))
            .order_by(MonthlyReport.id)
        ).first()
        county = s.get(Project, report.project_id).county
    other = next(c for c in ("云县", "临翔区", "耿马县") if c != county)
    theirs, others = (
        _data(demo_engine, ProjectFilter(county=county)),
        _data(demo_engine, ProjectFilter(county=other)),
    )
    with write_session(demo_engine) as s:
        written = s.get(MonthlyReport, report.id)
        written.completed_month += Decimal("7.5")
        s.add(written)
    assert _data(demo_engine, ProjectFilter(county=other)) is others, "nothing of theirs changed"
    after = _data(demo_engine, ProjectFilter(county=county))
    assert after != theirs
    assert repr(after) == repr(_data_afresh(demo_engine, ProjectFilter(county=county)))
    assert repr(others) == repr(_data_afresh(demo_engine, ProjectFilter(county=other)))
