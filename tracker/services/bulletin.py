"""调度通报: a month's bulletin as plain data, for the app page, the Excel workbook and mail.

Once the period closes, its figures are frozen in ``PeriodSnapshot`` and the bulletin reads
from there (``final`` True), so the March bulletin reads the same in December. Before that,
it is computed live and marked 未定稿.

Everything in ``Bulletin`` is JSON-safe: amounts are 万元 as floats with two decimals, rates
are fractions (0.8 = 80%), dates ISO strings. Rows are dicts:

* figure rows (``totals``, ``by_area``, ``by_measure``, ``by_county``, ``by_lead_unit``):
  key, projects, annual_plan, completed_ytd, completed_total, rate, gap_pp, started,
  due_to_start, start_rate, red, amber, green, expected, reported, reported_on_time
* ``red_amber``: code, name, county, lead_unit, light, reasons [text], problems [text]
* ``overdue_milestones``: code, name, county, lead_unit, milestone, planned, days, light
* ``not_reported``: code, name, county, lead_unit, months (consecutive months missing)
* ``coordination``: code, name, county, text, owner, level, raised_on, due_date, days_open
* ``ranking``: {formula, weights, rows: [rank, county, investment_rate, milestone_rate,
  reporting_rate, score, projects]}
* ``changes``: {previous_period, lights_changed [code, name, county, before, after],
  newly_overdue [as overdue_milestones], completed_ytd_before, completed_ytd_delta,
  completed_month}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from tracker.config import Settings
from tracker.domain.bulletin import WAN_PER_YI, Bulletin
from tracker.domain.inputs import usable_amount
from tracker.domain.periods import add_months, month_end, month_start, time_progress
from tracker.domain.places import COUNTIES, PLACES
from tracker.domain.ranking import Weights, rank_order, score
from tracker.domain.rollups import BY_AREA, BY_COUNTY, BY_LEAD_UNIT, BY_MEASURE, Rollup, rollup
from tracker.domain.rules import Light, MilestoneState, Thresholds
from tracker.i18n import describe_reason
from tracker.models import MonthlyReport, PeriodSnapshot, ReportingPeriod
from tracker.services import ledger
from tracker.services.auth import Actor
from tracker.services.cycle import is_reportable
from tracker.services.errors import NotFound
from tracker.services.permissions import require
from tracker.services.policy import get_thresholds
from tracker.services.status import ProjectStatus, project_statuses


def weights_of(settings: Settings) -> Weights:
    return Weights(
        investment=settings.RANK_WEIGHT_INVESTMENT,
        milestones=settings.RANK_WEIGHT_MILESTONES,
        reporting=settings.RANK_WEIGHT_REPORTING,
    )


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


# --- computing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reporting:
    expected: set[int]  # project ids expected to report for the month
    reported: set[int]  # submitted
    on_time: set[int]  # submitted by the due day
    completed_month: Decimal


def _reporting(session: Session, period: date, statuses: list[ProjectStatus]) -> _Reporting:
    first, last = month_start(period), month_end(period)
    expected = {s.project.id or 0 for s in statuses if is_reportable(s.project, first, last)}
    rows = session.exec(
        select(MonthlyReport.project_id, MonthlyReport.late, MonthlyReport.completed_month)
        .where(MonthlyReport.period == first)
        .where(MonthlyReport.status == "submitted")
    ).all()
    return _Reporting(
        expected=expected,
        reported={pid for pid, _, _ in rows},
        on_time={pid for pid, late, _ in rows if not late},
        # a stored amount that cannot be used (a legacy row) is left out; status reports it
        completed_month=sum((usable_amount(a) or Decimal("0") for _, _, a in rows), Decimal("0")),
    )


def _figure_row(
    group: Rollup, members: list[ProjectStatus], reporting: _Reporting
) -> dict[str, Any]:
    ids = {s.project.id or 0 for s in members}
    expected = ids & reporting.expected
    return {
        "key": group.key,
        "projects": group.projects,
        "annual_plan": _money(group.annual_plan),
        "completed_ytd": _money(group.completed_ytd),
        "completed_total": _money(sum((s.completed_total for s in members), Decimal("0"))),
        "rate": group.rate,
        "gap_pp": group.gap_pp,
        "started": group.started,
        "due_to_start": group.due_to_start,
        "start_rate": group.start_rate,
        "red": group.red,
        "amber": group.amber,
        "green": group.green,
        "expected": len(expected),
        "reported": len(expected & reporting.reported),
        "reported_on_time": len(expected & reporting.on_time),
        "milestones_due": group.milestones_due,
        "milestones_on_time": group.milestones_on_time,
    }


def _rows(
    statuses: list[ProjectStatus],
    key,
    progress: float,
    reporting: _Reporting,
    order: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    members: dict[str, list[ProjectStatus]] = defaultdict(list)
    for s in statuses:
        members[key(s.figures)].append(s)
    return [
        _figure_row(group, members[group.key], reporting)
        for group in rollup([s.figures for s in statuses], key, progress, order)
    ]


def headline(
    period: date, totals: dict[str, Any], progress: float, as_of: date | None = None
) -> str:
    """The opening paragraph, as the office drafts it."""
    done_yi = totals["completed_ytd"] / WAN_PER_YI
    plan_yi = totals["annual_plan"] / WAN_PER_YI
    since_yi = totals["completed_total"] / WAN_PER_YI
    rate = totals["rate"]
    if rate is None:
        against = "本年度暂无计划投资"
    else:
        gap = totals["gap_pp"]
        side = (
            "与序时进度持平"
            if abs(gap) < 0.05
            else f"{'高于' if gap > 0 else '低于'}序时进度（{progress * 100:.1f}%）{abs(gap):.1f}个百分点"
        )
        against = f"占年度计划{plan_yi:.2f}亿元的{rate * 100:.1f}%，{side}"
    start = (
        f"已开工{totals['started']}个，开工率{totals['start_rate'] * 100:.1f}%"
        if totals["start_rate"] is not None
        else f"已开工{totals['started']}个"
    )
    missing = totals["expected"] - totals["reported"]
    until = (
        f"{period.year}年{period.month}月底"
        if as_of is None or as_of >= month_end(period)
        else f"{as_of.year}年{as_of.month}月{as_of.day}日"
    )
    return (
        f"截至{until}，{totals['projects']}个重大项目年度累计完成投资"
        f"{done_yi:.2f}亿元，{against}；{start}；开工以来累计完成投资{since_yi:.2f}亿元。"
        f"红灯项目{totals['red']}个、黄灯项目{totals['amber']}个、绿灯项目{totals['green']}个。"
        f"本月应报送{totals['expected']}个项目，已报送{totals['reported']}个"
        f"（按时{totals['reported_on_time']}个），未报送{missing}个。"
    )


def _ranking(by_county: list[dict[str, Any]], weights: Weights) -> dict[str, Any]:
    rows = {r["key"]: r for r in by_county if r["key"] in COUNTIES}
    parts: dict[str, tuple[float | None, float | None, float | None]] = {}
    for county, r in rows.items():
        milestone_rate = (
            r["milestones_on_time"] / r["milestones_due"] if r["milestones_due"] else None
        )
        reporting_rate = r["reported_on_time"] / r["expected"] if r["expected"] else None
        parts[county] = (r["rate"], milestone_rate, reporting_rate)
    scores = {county: score(*rates, weights) for county, rates in parts.items()}
    return {
        "formula": weights.formula(),
        "weights": asdict(weights),
        "rows": [
            {
                "rank": rank,
                "county": county,
                "investment_rate": parts[county][0],
                "milestone_rate": parts[county][1],
                "reporting_rate": parts[county][2],
                "score": scores[county],
                "projects": rows[county]["projects"],
            }
            for rank, county in rank_order(scores, COUNTIES)
        ],
    }


def compute_bulletin(
    session: Session,
    *,
    period: date,
    today: date,
    settings: Settings,
    thresholds: Thresholds | None = None,
    with_changes: bool = True,
) -> Bulletin:
    """The month's bulletin computed from the live tables (figures as of the month's end, or
    ``today`` while the month is still running). Not final."""
    period = month_start(period)
    as_of = min(month_end(period), today)
    thresholds = thresholds or get_thresholds(session, settings)[0]
    statuses = project_statuses(session, as_of=as_of, thresholds=thresholds, period=period)
    progress = time_progress(month_end(period))
    reporting = _reporting(session, period, statuses)
    totals = _figure_row(
        rollup([s.figures for s in statuses], lambda _: "合计", progress)[0]
        if statuses
        else _empty_rollup(),
        statuses,
        reporting,
    )
    by_area = _rows(statuses, BY_AREA, progress, reporting)
    by_measure = _rows(statuses, BY_MEASURE, progress, reporting)
    by_county = _rows(statuses, BY_COUNTY, progress, reporting, PLACES)
    by_lead_unit = _rows(statuses, BY_LEAD_UNIT, progress, reporting)
    by_lead_unit.sort(key=lambda r: (-(r["rate"] if r["rate"] is not None else -1), r["key"]))

    ids = [s.project.id or 0 for s in statuses]
    problems = ledger.open_items_by_project(session, ids)
    red_amber = [
        {
            "code": s.project.code,
            "name": s.project.name,
            "county": s.project.county,
            "lead_unit": s.project.lead_unit,
            "light": s.light.value,
            "reasons": [describe_reason(r) for r in s.reasons],
            "problems": [i.text for i in problems.get(s.project.id or 0, []) if i.kind == "problem"]
            or ([s.latest_report.problems] if s.latest_report and s.latest_report.problems else []),
        }
        for s in sorted(
            (s for s in statuses if s.light is not Light.GREEN),
            key=lambda s: -s.light.rank,
        )
    ]
    overdue: list[dict[str, Any]] = []
    for s in statuses:
        for milestone, state in s.milestones:
            if state.state is MilestoneState.OVERDUE:
                overdue.append(
                    {
                        "key": f"{s.project.code}#{milestone.seq}",
                        "code": s.project.code,
                        "name": s.project.name,
                        "county": s.project.county,
                        "lead_unit": s.project.lead_unit,
                        "milestone": milestone.name,
                        "planned": milestone.planned_date.isoformat(),
                        "days": state.days,
                        "light": (
                            Light.RED if state.days >= thresholds.red_overdue_days else Light.AMBER
                        ).value,
                    }
                )
    overdue.sort(key=lambda m: -m["days"])
    not_reported = [
        {
            "code": s.project.code,
            "name": s.project.name,
            "county": s.project.county,
            "lead_unit": s.project.lead_unit,
            "months": s.missed_reports,
        }
        for s in statuses
        if (s.project.id or 0) in reporting.expected - reporting.reported
    ]
    coordination = [
        {
            "code": line.project_code,
            "name": line.project_name,
            "county": line.county,
            "text": line.item.text,
            "owner": line.item.owner,
            "level": line.item.level,
            "raised_on": line.item.raised_on.isoformat(),
            "due_date": line.item.due_date.isoformat() if line.item.due_date else None,
            "days_open": line.days_open,
        }
        # The items open now: what the dispatch meeting (at the close) has to settle.
        for line in ledger.coordination_items(session, today=today)
    ]
    bulletin = Bulletin(
        period=period.isoformat(),
        as_of=as_of.isoformat(),
        final=False,
        headline=headline(period, totals, progress, as_of),
        time_progress=progress,
        totals=totals,
        by_area=by_area,
        by_measure=by_measure,
        by_county=by_county,
        by_lead_unit=by_lead_unit,
        red_amber=red_amber,
        overdue_milestones=overdue,
        not_reported=not_reported,
        coordination=coordination,
        ranking=_ranking(by_county, weights_of(settings)),
        changes=None,
        lights={s.project.code: s.light.value for s in statuses},
        overdue_keys=[m["key"] for m in overdue],
        data_problems=data_problems(statuses),
    )
    bulletin.totals["completed_month"] = _money(reporting.completed_month)
    if with_changes:
        previous = _previous(session, period=period, settings=settings, thresholds=thresholds)
        bulletin.changes = changes_between(previous, bulletin, statuses)
    return bulletin


def data_problems(statuses: list[ProjectStatus]) -> list[dict[str, Any]]:
    """Stored values left out of the figures because they cannot be used (#12)."""
    return [
        {
            "code": s.project.code,
            "name": s.project.name,
            "county": s.project.county,
            "problem": problem,
        }
        for s in statuses
        for problem in s.data_problems
    ]


def _empty_rollup() -> Rollup:
    zero = Decimal("0")
    return Rollup("合计", 0, zero, zero, None, None, 0, 0, None, 0, 0, 0, 0, 0, 0)


def _previous(
    session: Session, *, period: date, settings: Settings, thresholds: Thresholds
) -> Bulletin | None:
    before = add_months(period, -1)
    snapshot = _snapshot(session, before)
    if snapshot is not None:
        return snapshot
    has_data = session.exec(
        select(MonthlyReport.id).where(MonthlyReport.period == before).limit(1)
    ).first()
    if has_data is None and _period_row(session, before) is None:
        return None
    return compute_bulletin(
        session,
        period=before,
        today=month_end(before),
        settings=settings,
        thresholds=thresholds,
        with_changes=False,
    )


def changes_between(
    previous: Bulletin | None, current: Bulletin, statuses: list[ProjectStatus]
) -> dict[str, Any] | None:
    """What changed since last month: lights, newly overdue milestones, investment."""
    if previous is None:
        return None
    names = {s.project.code: (s.project.name, s.project.county) for s in statuses}
    order = {"red": 2, "amber": 1, "green": 0}
    changed = [
        {
            "code": code,
            "name": names.get(code, ("", ""))[0],
            "county": names.get(code, ("", ""))[1],
            "before": previous.lights[code],
            "after": light,
        }
        for code, light in current.lights.items()
        if code in previous.lights and previous.lights[code] != light
    ]
    changed.sort(key=lambda c: (order[c["before"]] - order[c["after"]], c["code"]))
    known = set(previous.overdue_keys)
    newly = [m for m in current.overdue_milestones if m["key"] not in known]
    same_year = previous.month.year == current.month.year
    before_ytd = previous.totals["completed_ytd"] if same_year else 0.0
    return {
        "previous_period": previous.period,
        "lights_changed": changed,
        "newly_overdue": newly,
        "completed_ytd_before": before_ytd,
        "completed_ytd_delta": round(current.totals["completed_ytd"] - before_ytd, 2),
        "completed_month": current.totals.get("completed_month", 0.0),
        "red_before": previous.totals["red"],
        "amber_before": previous.totals["amber"],
    }


# --- snapshots and the public entry points ---------------------------------------------------


def _snapshot(session: Session, period: date) -> Bulletin | None:
    row = session.exec(
        select(PeriodSnapshot).where(PeriodSnapshot.period == month_start(period))
    ).first()
    if row is None:
        return None
    return Bulletin.from_dict(row.payload, final=True)


def _period_row(session: Session, period: date) -> ReportingPeriod | None:
    return session.exec(
        select(ReportingPeriod).where(ReportingPeriod.period == month_start(period))
    ).first()


def freeze(session: Session, *, period: date, today: date, settings: Settings) -> PeriodSnapshot:
    """Compute the month's bulletin and store it as the period's snapshot (once)."""
    period = month_start(period)
    existing = session.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == period)).first()
    if existing is not None:
        return existing
    bulletin = compute_bulletin(
        session, period=period, today=max(today, month_end(period)), settings=settings
    )
    bulletin.final = True
    row = PeriodSnapshot(period=period, as_of=month_end(period), payload=bulletin.to_dict())
    session.add(row)
    session.flush()
    return row


def build_bulletin(
    session: Session, *, actor: Actor, period: date, today: date, settings: Settings
) -> Bulletin:
    """The month's bulletin: frozen if the period has closed, else live and 未定稿."""
    require(actor, "bulletin.view")
    period = month_start(period)
    frozen = _snapshot(session, period)
    if frozen is not None:
        return frozen
    has_reports = session.exec(
        select(MonthlyReport.id).where(MonthlyReport.period == period).limit(1)
    ).first()
    if _period_row(session, period) is None and has_reports is None:
        raise NotFound(f"{period.year}年{period.month}月没有调度数据（既无调度期也无月报）")
    if period > month_start(today):
        raise NotFound(f"{period.year}年{period.month}月尚未开始")
    return compute_bulletin(session, period=period, today=today, settings=settings)


def build_bulletin_for_attachment(session: Session, *, period: date) -> Bulletin | None:
    """The frozen bulletin of a closed month, or None (mail attachments are always final)."""
    return _snapshot(session, period)


def bulletin_months(session: Session) -> list[date]:
    """Months that have a bulletin (frozen or live), newest first, for the page's picker."""
    periods = set(session.exec(select(ReportingPeriod.period)).all())
    periods |= set(session.exec(select(PeriodSnapshot.period)).all())
    return sorted(periods, reverse=True)
