"""调度通报: a month's bulletin as plain data, for the app page, the Excel workbook and mail.

Once the period closes, its figures are frozen in ``PeriodSnapshot`` and the bulletin reads
from there (``final`` True), so the March bulletin reads the same in December. Before that,
it is computed live and marked 未定稿.

Everything in ``Bulletin`` is JSON-safe: amounts are 万元 as floats with two decimals, rates
are fractions (0.8 = 80%), dates ISO strings. Rows are dicts:

* figure rows (``totals``, ``by_area``, ``by_measure``, ``by_county``, ``by_lead_unit``):
  key, projects, annual_plan, completed_ytd, completed_total, rate, gap_pp (against the
  office-wide 序时进度), due_amount, due_share, own_gap_pp (against the group's own 序时),
  light (the group colour: ``rules.group_light``), new_started, new_due, new_start_rate
  (新开工率), continuing, resumed, resume_rate (复工率), completed (竣工), late_to_start
  (应开未开), red, amber, green, expected, reported, reported_on_time, milestones_due,
  milestones_on_time (this year), year_expected, year_on_time (reports of this year)
* ``red_amber``: code, name, county, lead_unit, light, reasons [text], problems [text],
  returned (a report is back with the reporter: 退回修改)
* ``late_to_start`` (应开未开): code, name, county, lead_unit, planned_start, days
* ``overdue_milestones``: code, name, county, lead_unit, milestone, planned, days, light
* ``not_reported``: code, name, county, lead_unit, months (consecutive months missing)
* ``coordination``: code, name, county, text, cause, owner ("" = 待明确), level, raised_on,
  due_date, days_open (items open at ``as_of``, aged to it)
* ``ranking`` (counties) and ``ranking_units`` (lead units): {formula, weights, rows: [rank,
  county | unit, investment_rate, milestone_rate, reporting_rate, score, projects]}; a rate
  is None ("—") where the county or unit had nothing to count
* ``changes``: {previous_period, lights_changed [code, name, county, before, after],
  newly_overdue [as overdue_milestones], completed_ytd_before, completed_ytd_delta,
  completed_month}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain.bulletin import WAN_PER_YI, Bulletin, bulletin_filename
from tracker.domain.inputs import usable_amount
from tracker.domain.periods import add_months, month_end, month_start, time_progress
from tracker.domain.places import COUNTIES, PLACES
from tracker.domain.ranking import Weights, rank_order, score
from tracker.domain.rollups import BY_AREA, BY_COUNTY, BY_LEAD_UNIT, BY_MEASURE, Rollup, rollup
from tracker.domain.rules import RULES_BY_CODE, Light, MilestoneState, Thresholds, grade
from tracker.domain.schedule import late_to_start as is_late_to_start
from tracker.i18n import describe_reason
from tracker.models import (
    MonthlyReport,
    PeriodSnapshot,
    ReportingPeriod,
    SupersededSnapshot,
    utcnow,
)
from tracker.services import approvals, ledger
from tracker.services.auth import Actor
from tracker.services.cycle import is_reportable, month_label, month_name, period_label
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
    reported: set[int]  # submitted (or returned for correction)
    on_time: set[int]  # submitted by the due day
    completed_month: Decimal
    year_expected: dict[int, int]  # project id -> reports expected this year up to the month
    year_on_time: dict[int, int]  # project id -> of those, submitted by their due day


def _reporting(session: Session, period: date, statuses: list[ProjectStatus]) -> _Reporting:
    """Who was expected to report for the month and who did, and the same counted over
    every reporting period of the year up to the month (the ranking's 按时报送率)."""
    first, last = month_start(period), month_end(period)
    projects = {s.project.id or 0: s.project for s in statuses}
    rows = session.exec(
        select(
            MonthlyReport.project_id,
            MonthlyReport.period,
            MonthlyReport.late,
            MonthlyReport.completed_month,
            MonthlyReport.status,
            MonthlyReport.accepted,
        )
        .where(MonthlyReport.period >= date(period.year, 1, 1))
        .where(MonthlyReport.period <= first)
        .where(col(MonthlyReport.status).in_(("submitted", "returned")))
    ).all()
    by_month: dict[date, dict[int, bool]] = defaultdict(dict)  # month -> project -> on time
    completed = Decimal("0")
    for pid, month, late, amount, status, accepted in rows:
        by_month[month][pid] = not late
        if month == first:  # a returned report counts with the figures it was returned with
            kept = (accepted or {}).get("completed_month") if status == "returned" else None
            # a stored amount that cannot be used (a legacy row) is left out; status reports it
            completed += usable_amount(kept if kept is not None else amount) or Decimal("0")
    periods = session.exec(
        select(ReportingPeriod.period, ReportingPeriod.first_month)
        .where(ReportingPeriod.period >= date(period.year, 1, 1))
        .where(ReportingPeriod.period <= first)
    ).all()
    year_expected: dict[int, int] = defaultdict(int)
    year_on_time: dict[int, int] = defaultdict(int)
    for month, first_month in periods:
        start = first_month or month
        for pid, project in projects.items():
            if is_reportable(project, start, month_end(month)):
                year_expected[pid] += 1
                if by_month[month].get(pid):
                    year_on_time[pid] += 1
    this_month = by_month.get(first, {})
    expected = {pid for pid, p in projects.items() if is_reportable(p, first, last)}
    return _Reporting(
        expected=expected,
        reported=set(this_month),
        on_time={pid for pid, on_time in this_month.items() if on_time},
        completed_month=completed,
        year_expected=dict(year_expected),
        year_on_time=dict(year_on_time),
    )


def _figure_row(
    group: Rollup, members: list[ProjectStatus], reporting: _Reporting, thresholds: Thresholds
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
        "due_amount": _money(group.due_amount),
        "due_share": group.due_share,
        "own_gap_pp": group.own_gap_pp,
        "light": group.light(thresholds).value,
        "new_started": group.new_started,
        "new_due": group.new_due,
        "new_start_rate": group.new_start_rate,
        "continuing": group.continuing,
        "resumed": group.resumed,
        "resume_rate": group.resume_rate,
        "completed": group.completed,
        "late_to_start": group.late_to_start,
        "red": group.red,
        "amber": group.amber,
        "green": group.green,
        "expected": len(expected),
        "reported": len(expected & reporting.reported),
        "reported_on_time": len(expected & reporting.on_time),
        "milestones_due": group.milestones_due,
        "milestones_on_time": group.milestones_on_time,
        "year_expected": sum(reporting.year_expected.get(i, 0) for i in ids),
        "year_on_time": sum(reporting.year_on_time.get(i, 0) for i in ids),
    }


def _rows(
    statuses: list[ProjectStatus],
    key,
    progress: float,
    reporting: _Reporting,
    thresholds: Thresholds,
    order: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    members: dict[str, list[ProjectStatus]] = defaultdict(list)
    for s in statuses:
        members[key(s.figures)].append(s)
    return [
        _figure_row(group, members[group.key], reporting, thresholds)
        for group in rollup([s.figures for s in statuses], key, progress, order)
    ]


def headline(
    period: date,
    totals: dict[str, Any],
    progress: float,
    as_of: date | None = None,
    label: str | None = None,
) -> str:
    """The opening paragraph, as the office drafts it (序时进度 here is the office-wide
    month count, as headlines publish it)."""
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
    stages = _stage_sentence(totals)
    missing = totals["expected"] - totals["reported"]
    until = (
        f"{period.year}年{period.month}月底"
        if as_of is None or as_of >= month_end(period)
        else f"{as_of.year}年{as_of.month}月{as_of.day}日"
    )
    return (
        f"截至{until}，{totals['projects']}个重大项目年度累计完成投资"
        f"{done_yi:.2f}亿元，{against}；{stages}开工以来累计完成投资{since_yi:.2f}亿元。"
        f"红灯项目{totals['red']}个、黄灯项目{totals['amber']}个、绿灯项目{totals['green']}个。"
        f"{label or '本月'}应报送{totals['expected']}个项目，已报送{totals['reported']}个"
        f"（按时{totals['reported_on_time']}个），未报送{missing}个。"
    )


def _stage_sentence(totals: dict[str, Any]) -> str:
    """新开工、复工、竣工 and 应开未开 as offices write them."""
    if "new_due" not in totals:  # a bulletin frozen before stages were counted
        return ""
    parts = []
    if totals["new_due"]:
        parts.append(
            f"新开工{totals['new_started']}个（应开工{totals['new_due']}个），"
            f"新开工率{totals['new_start_rate'] * 100:.1f}%"
        )
    if totals["continuing"]:
        parts.append(
            f"续建{totals['continuing']}个，复工{totals['resumed']}个，"
            f"复工率{totals['resume_rate'] * 100:.1f}%"
        )
    parts.append(f"竣工{totals['completed']}个")
    if totals["late_to_start"]:
        parts.append(f"应开未开{totals['late_to_start']}个")
    return "，".join(parts) + "；"


def _rank_rows(rows: list[dict[str, Any]], weights: Weights, who: str, order: tuple[str, ...]):
    parts: dict[str, dict[str, float | None]] = {}
    for r in rows:
        parts[r["key"]] = {
            "investment": r["rate"] if r["annual_plan"] > 0 else None,
            "milestones": (
                r["milestones_on_time"] / r["milestones_due"] if r["milestones_due"] else None
            ),
            "reporting": (
                r["year_on_time"] / r["year_expected"] if r.get("year_expected") else None
            ),
        }
    scores = {key: score(rates, weights) for key, rates in parts.items()}
    by_key = {r["key"]: r for r in rows}
    return {
        "formula": weights.formula(),
        "weights": asdict(weights),
        "rows": [
            {
                "rank": rank,
                who: key,
                "investment_rate": parts[key]["investment"],
                "milestone_rate": parts[key]["milestones"],
                "reporting_rate": parts[key]["reporting"],
                "score": scores[key],
                "projects": by_key[key]["projects"],
            }
            for rank, key in rank_order(scores, order)
        ],
    }


def _ranking(by_county: list[dict[str, Any]], weights: Weights) -> dict[str, Any]:
    """The counties' ranking (市直 is not a county and is not ranked)."""
    return _rank_rows([r for r in by_county if r["key"] in COUNTIES], weights, "county", COUNTIES)


def _unit_ranking(by_lead_unit: list[dict[str, Any]], weights: Weights) -> dict[str, Any]:
    """The lead units' ranking, apart from the counties'."""
    rows = [r for r in by_lead_unit if r["key"]]
    return _rank_rows(rows, weights, "unit", tuple(sorted(r["key"] for r in rows)))


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
    statuses = project_statuses(
        session, as_of=as_of, thresholds=thresholds, period=period, settings=settings
    )
    progress = time_progress(month_end(period))
    reporting = _reporting(session, period, statuses)
    totals = _figure_row(
        rollup([s.figures for s in statuses], lambda _: "合计", progress)[0]
        if statuses
        else _empty_rollup(),
        statuses,
        reporting,
        thresholds,
    )
    by_area = _rows(statuses, BY_AREA, progress, reporting, thresholds)
    by_measure = _rows(statuses, BY_MEASURE, progress, reporting, thresholds)
    by_county = _rows(statuses, BY_COUNTY, progress, reporting, thresholds, PLACES)
    by_lead_unit = _rows(statuses, BY_LEAD_UNIT, progress, reporting, thresholds)
    by_lead_unit.sort(key=lambda r: (-(r["rate"] if r["rate"] is not None else -1), r["key"]))
    row = _period_row(session, period)
    label = f"本期（{period_label(row)}）" if row is not None and row.first_month else None

    ids = [s.project.id or 0 for s in statuses]
    # the ledger is read as on the day the month's reporting closes (its reports come in
    # until then), or today while it is still open
    items_day = min(today, row.closes_on if row is not None else month_end(period))
    problems = ledger.open_items_by_project(session, ids, as_of=items_day, month=period)
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
            "returned": s.returned,
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
                            grade(state.days, RULES_BY_CODE["milestone_overdue"], thresholds)
                            or Light.AMBER
                        ).value,
                    }
                )
    overdue.sort(key=lambda m: -m["days"])
    missing = reporting.expected - reporting.reported  # once, not once a project
    not_reported = [
        {
            "code": s.project.code,
            "name": s.project.name,
            "county": s.project.county,
            "lead_unit": s.project.lead_unit,
            "months": s.missed_reports,
        }
        for s in statuses
        if (s.project.id or 0) in missing
    ]
    late_to_start = [
        {
            "code": s.project.code,
            "name": s.project.name,
            "county": s.project.county,
            "lead_unit": s.project.lead_unit,
            "planned_start": s.project.planned_start.isoformat(),
            "days": (as_of - s.project.planned_start).days,
        }
        for s in sorted(statuses, key=lambda s: s.project.planned_start or as_of)
        if s.figures.stage is not None
        and is_late_to_start(s.figures.stage, as_of)
        and s.project.planned_start is not None
    ]
    coordination = [
        {
            "code": line.project_code,
            "name": line.project_name,
            "county": line.county,
            "text": line.item.text,
            "cause": line.item.cause,
            "owner": line.item.owner,  # "" while the office has not named one (待明确)
            "level": line.item.level,
            "raised_on": line.item.raised_on.isoformat(),
            "due_date": line.item.due_date.isoformat() if line.item.due_date else None,
            "days_open": line.days_open,
        }
        # Frozen means frozen: the month's items (raised by its reports or before, by hand
        # up to its last day) still open when its reporting closed, aged to that day; never
        # one a later month raised, nor one closed before the bulletin was compiled.
        for line in ledger.coordination_items(
            session, today=items_day, as_of=items_day, month=period
        )
    ]
    bulletin = Bulletin(
        period=period.isoformat(),
        as_of=as_of.isoformat(),
        final=False,
        headline=headline(period, totals, progress, as_of, label),
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
        late_to_start=late_to_start,
        ranking_units=_unit_ranking(by_lead_unit, weights_of(settings)),
        period_label=period_label(row) if row is not None else month_label(period),
        approvals=approvals.bulletin_section(
            session, today=as_of, thresholds=thresholds, project_ids=ids
        ),
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
    return Rollup("合计", 0, zero, zero, None, None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def _previous(
    session: Session, *, period: date, settings: Settings, thresholds: Thresholds
) -> Bulletin | None:
    row = _period_row(session, period)
    before = add_months((row.first_month if row and row.first_month else period), -1)
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
    return _from_payload(row.payload, row.revision)


def _from_payload(payload: dict[str, Any], revision: int) -> Bulletin:
    bulletin = Bulletin.from_dict(payload, final=True)
    bulletin.revision = revision
    return bulletin


def _period_row(session: Session, period: date) -> ReportingPeriod | None:
    return session.exec(
        select(ReportingPeriod).where(ReportingPeriod.period == month_start(period))
    ).first()


def freeze(session: Session, *, period: date, today: date, settings: Settings) -> PeriodSnapshot:
    """Compute the month's bulletin and store it as the period's snapshot, once per revision.

    The first close freezes revision 1. After the office reopened the month, the next close
    freezes the period's next revision (修订版) and keeps the one it replaces, unchanged, in
    ``SupersededSnapshot`` (it still downloads)."""
    period = month_start(period)
    row = _period_row(session, period)
    revision = row.revision if row is not None else 1
    existing = session.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == period)).first()
    if existing is not None and existing.revision >= revision:
        return existing
    bulletin = compute_bulletin(
        session, period=period, today=max(today, month_end(period)), settings=settings
    )
    bulletin.final = True
    bulletin.revision = revision
    bulletin.revision_reason = row.reopen_reason if row is not None and revision > 1 else ""
    from tracker.services.bulletin_text import texts_to_freeze  # the 公文's texts (#14)

    bulletin.texts = texts_to_freeze(session, bulletin, settings=settings, today=today)
    if existing is None:
        existing = PeriodSnapshot(
            period=period, as_of=month_end(period), payload=bulletin.to_dict(), revision=revision
        )
    else:
        session.add(
            SupersededSnapshot(
                period=period,
                revision=existing.revision,
                as_of=existing.as_of,
                payload=existing.payload,
                created_at=existing.created_at,
            )
        )
        existing.payload = bulletin.to_dict()
        existing.revision = revision
        existing.as_of = month_end(period)
        existing.created_at = utcnow()
    session.add(existing)
    session.flush()
    return existing


def build_bulletin(
    session: Session,
    *,
    actor: Actor,
    period: date,
    today: date,
    settings: Settings,
    revision: int | None = None,
) -> Bulletin:
    """The month's bulletin: frozen if the period has closed, else live and 未定稿. A month
    the office reopened reads live (the coming 修订版) until it is compiled again; an earlier
    revision is read with ``revision``."""
    require(actor, "bulletin.view")
    period = month_start(period)
    if revision is not None:
        found = bulletin_revision(session, period=period, revision=revision)
        if found is None:
            raise NotFound("bulletin.no_revision", month=month_name(period), revision=revision)
        return found
    row = _period_row(session, period)
    frozen = _snapshot(session, period)
    if frozen is not None and not (row is not None and row.status == "reopened"):
        return frozen
    has_reports = session.exec(
        select(MonthlyReport.id).where(MonthlyReport.period == period).limit(1)
    ).first()
    if row is None and has_reports is None:
        raise NotFound("bulletin.no_data", month=month_name(period))
    if period > month_start(today):
        raise NotFound("bulletin.not_started", month=month_name(period))
    live = compute_bulletin(session, period=period, today=today, settings=settings)
    if row is not None and row.status == "reopened":
        live.revision = row.revision
        live.revision_reason = row.reopen_reason
    return live


def bulletin_revision(session: Session, *, period: date, revision: int) -> Bulletin | None:
    """A frozen revision of the month's bulletin (the current one or one it replaced)."""
    period = month_start(period)
    current = session.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == period)).first()
    if current is not None and current.revision == revision:
        return _from_payload(current.payload, current.revision)
    old = session.exec(
        select(SupersededSnapshot)
        .where(SupersededSnapshot.period == period)
        .where(SupersededSnapshot.revision == revision)
    ).first()
    return _from_payload(old.payload, old.revision) if old is not None else None


@dataclass(frozen=True)
class Revision:
    revision: int
    frozen_at: datetime
    current: bool  # False: replaced by a 修订版 (still downloads)
    reason: str  # why the office reopened the month for it ("" for the first)


def bulletin_revisions(session: Session, *, period: date) -> list[Revision]:
    """Every frozen revision of the month's bulletin, newest first."""
    period = month_start(period)
    out: list[Revision] = []
    current = session.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == period)).first()
    if current is not None:
        out.append(
            Revision(
                current.revision,
                current.created_at,
                True,
                str(current.payload.get("revision_reason", "")),
            )
        )
    for old in session.exec(
        select(SupersededSnapshot)
        .where(SupersededSnapshot.period == period)
        .order_by(col(SupersededSnapshot.revision).desc())
    ):
        out.append(
            Revision(
                old.revision, old.created_at, False, str(old.payload.get("revision_reason", ""))
            )
        )
    return out


def build_bulletin_for_attachment(
    session: Session, *, period: date, revision: int | None = None
) -> Bulletin | None:
    """A frozen bulletin of a closed month (the current revision unless one is named), or
    None: mail attachments are always final."""
    if revision is not None:
        return bulletin_revision(session, period=period, revision=revision)
    return _snapshot(session, period)


@dataclass(frozen=True)
class BulletinFile:
    """The bulletin as a file: its one name and its .xlsx bytes."""

    name: str
    content: bytes


def bulletin_file(b: Bulletin, settings: Settings) -> BulletinFile:
    """The one way a bulletin becomes a file (download, mail attachment, BULLETIN_DIR, CLI):
    调度通报-YYYY-MM[-修订版n].xlsx, the revision named only once it is final, headed with
    the office's OFFICE_NAME."""
    from tracker.excel.bulletin import bulletin_workbook  # openpyxl only when a file is made

    name = bulletin_filename(b.month, b.revision if b.final else 1)
    return BulletinFile(name, bulletin_workbook(b, str(settings.OFFICE_NAME)))


def download(
    session: Session,
    *,
    actor: Actor,
    period: date,
    today: date,
    settings: Settings,
    revision: int | None = None,
) -> BulletinFile:
    """The month's bulletin as a file for the reader (``build_bulletin``'s rules)."""
    b = build_bulletin(
        session, actor=actor, period=period, today=today, settings=settings, revision=revision
    )
    return bulletin_file(b, settings)


def attachment_file(
    session: Session, *, period: date, settings: Settings, revision: int | None = None
) -> BulletinFile | None:
    """A closed month's frozen bulletin as a file (mail attachments, BULLETIN_DIR), or None."""
    b = build_bulletin_for_attachment(session, period=period, revision=revision)
    return None if b is None else bulletin_file(b, settings)


def bulletin_months(session: Session) -> list[date]:
    """Months that have a bulletin (frozen or live), newest first, for the page's picker."""
    periods = set(session.exec(select(ReportingPeriod.period)).all())
    periods |= set(session.exec(select(PeriodSnapshot.period)).all())
    return sorted(periods, reverse=True)


# --- the annual 考评 ------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """The year's 考评 of counties and lead units, built from the year's frozen bulletins."""

    year: int
    months: list[str]  # the frozen months it is built from (YYYY-MM)
    missing: list[str]  # months of the year with a period but no frozen bulletin yet
    latest: str | None  # the month whose investment and milestone figures it takes
    counties: dict[str, Any]
    units: dict[str, Any]


def annual_assessment(
    session: Session, *, actor: Actor, year: int, settings: Settings, through: int = 12
) -> Assessment:
    """考评: investment completion and on-time milestones as the year's latest frozen
    bulletin states them (both are counted within the year), and on-time reporting summed
    over every frozen month of the year; weighted and ranked as the monthly ranking is.
    ``through``: count the months up to this one only (a quarter's or half-year's ranking)."""
    require(actor, "bulletin.view")
    first, last = date(year, 1, 1), date(year, through, 1)
    snapshots = session.exec(
        select(PeriodSnapshot)
        .where(PeriodSnapshot.period >= first)
        .where(PeriodSnapshot.period <= last)
        .order_by(PeriodSnapshot.period)
    ).all()
    periods = session.exec(
        select(ReportingPeriod.period)
        .where(ReportingPeriod.period >= first)
        .where(ReportingPeriod.period <= last)
    ).all()
    frozen = {s.period for s in snapshots}
    weights = weights_of(settings)
    if not snapshots:
        empty = {"formula": weights.formula(), "weights": asdict(weights), "rows": []}
        return Assessment(year, [], sorted(f"{p:%Y-%m}" for p in periods), None, empty, empty)
    latest = Bulletin.from_dict(snapshots[-1].payload, final=True)

    def combined(kind: str) -> list[dict[str, Any]]:
        rows = {r["key"]: dict(r) for r in getattr(latest, kind)}
        expected: dict[str, int] = defaultdict(int)
        on_time: dict[str, int] = defaultdict(int)
        for snap in snapshots:
            for r in snap.payload.get(kind, []):
                expected[r["key"]] += int(r.get("expected", 0))
                on_time[r["key"]] += int(r.get("reported_on_time", 0))
        for key, r in rows.items():
            r["year_expected"], r["year_on_time"] = expected[key], on_time[key]
        return list(rows.values())

    counties = _ranking(combined("by_county"), weights)
    units = _unit_ranking(combined("by_lead_unit"), weights)
    return Assessment(
        year=year,
        months=[f"{s.period:%Y-%m}" for s in snapshots],
        missing=sorted(f"{p:%Y-%m}" for p in periods if p not in frozen),
        latest=f"{snapshots[-1].period:%Y-%m}",
        counties=counties,
        units=units,
    )
