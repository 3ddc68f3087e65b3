"""Indicator values through the month's machinery (#16): the Excel form a responsible unit
downloads and uploads back, the scheduler's requests, reminders and escalation for values due
by frequency, and the year's digest the annual bulletin and its 考评 read.

The form follows the monthly report form: it is applied all or nothing (every row checked
first; any error and nothing is written), rows outside the actor's scope are errors, a row
over a value changed since the download is refused (its version), and a row identical to
what is stored counts as 未变更. Values are written through ``services.indicators``
(``save_values``, ``revise_value``): versioned and audited there.

The jobs' work follows ``services.dispatch``: run once per (job, key) by ``dispatch.run_once``
(the request once per frequency and period, the reminders once per day), notices into the
outbox in the job's transaction through ``notify.notify_user`` with catalogue messages (each
in its reader's language).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain import indicator_cycle as rules
from tracker.domain.indicator_digest import IndicatorDigest, IndicatorLine, ValueDue, digest
from tracker.domain.indicators import (
    Frequency,
    IndicatorThresholds,
    ValueStatus,
    due_on,
    period_key,
    period_start,
)
from tracker.domain.messages import Message, listing, msg
from tracker.domain.periods import SHANGHAI, add_months
from tracker.excel.indicator_form import (
    SHEET,
    VALUE_PLACES,
    FilledIndicatorRow,
    IndicatorForm,
    IndicatorFormRow,
    error,
    indicator_form_workbook,
    parse_indicator_form,
)
from tracker.excel.rows import RowError
from tracker.models import (
    AuditLog,
    Indicator,
    IndicatorSystem,
    IndicatorTarget,
    IndicatorValue,
    User,
)
from tracker.services import indicators, notify
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from tracker.services.permissions import can, may_somewhere, require

REQUEST = "indicator_request"  # job: ask the owners for a period's values (once per period)
REMINDERS = "indicator_reminders"  # job: the day's reminders and escalation (once per day)
ESCALATION = "indicator_escalation"  # the notices' reason for the office's list
LISTED = 30  # values listed in a notice before "等共N项"
HISTORY_YEARS = 2  # the form offers missing values back to the start of this many years ago


# --- what the owners owe -------------------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """An (indicator, period) asked for whose value has not arrived (nothing stored, or a
    draft or a returned value: not submitted)."""

    indicator_id: int
    code: str
    name: str
    lead_unit: str
    frequency: str
    period: date
    asked_on: date
    due_on: date


def _indicators(session: Session, frequency: str | None = None) -> list[Indicator]:
    query = select(Indicator).order_by(Indicator.system_id, Indicator.sort_order, Indicator.id)
    if frequency is not None:
        query = query.where(Indicator.frequency == frequency)
    return list(session.exec(query).all())


def _values(
    session: Session, indicator_ids: Iterable[int], since: date
) -> dict[tuple[int, date], IndicatorValue]:
    ids = list(indicator_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(IndicatorValue)
        .where(col(IndicatorValue.indicator_id).in_(ids))
        .where(IndicatorValue.period >= since)
    ).all()
    return {(v.indicator_id, v.period): v for v in rows}


def _arrived(value: IndicatorValue | None) -> bool:
    return value is not None and value.status in (ValueStatus.SUBMITTED, ValueStatus.ACCEPTED)


def _tracked(indicator: Indicator, period: date) -> bool:
    """A period after the indicator's baseline year (the baseline itself is known)."""
    return indicator.baseline_year is None or period.year > indicator.baseline_year


def owed_values(
    session: Session, *, today: date, thresholds: IndicatorThresholds | None = None
) -> list[Owed]:
    """Every value asked for and still chased on ``today`` that has not arrived, by indicator
    then period."""
    policy = thresholds or indicators.thresholds(session)
    chased = {f: rules.periods_chased(f, today, policy) for f in Frequency}
    earliest = min((p[0] for p in chased.values() if p), default=today)
    found = _indicators(session)
    stored = _values(session, (i.id or 0 for i in found), earliest)
    out: list[Owed] = []
    for indicator in found:
        freq = Frequency(indicator.frequency)
        for period in chased[freq]:
            if not _tracked(indicator, period) or _arrived(stored.get((indicator.id or 0, period))):
                continue
            out.append(
                Owed(
                    indicator_id=indicator.id or 0,
                    code=indicator.code,
                    name=indicator.name,
                    lead_unit=indicator.lead_unit,
                    frequency=freq.value,
                    period=period,
                    asked_on=rules.requested_on(freq, period),
                    due_on=due_on(freq, period, policy),
                )
            )
    return out


# --- the Excel form ---------------------------------------------------------------------------


@dataclass
class IndicatorFormResult:
    """An uploaded form: what was saved, or why nothing was."""

    saved: int = 0  # values entered (submitted, or saved as drafts)
    revised: int = 0  # accepted values revised with a reason
    skipped: int = 0  # rows left blank (本期值 empty): not reported in this upload
    unchanged: int = 0  # rows identical to what is stored: 未变更
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)  # values read after normalising

    @property
    def ok(self) -> bool:
        return not self.errors


class IndicatorFormRefused(InvalidInput):
    """An uploaded form with row errors: nothing is written; ``result`` lists them."""

    def __init__(self, result: IndicatorFormResult) -> None:
        self.result = result
        super().__init__("indicator_form.refused", n=len(result.errors))


def _scope(session: Session, actor: Actor, lead_unit: str | None) -> list[Indicator]:
    """The indicators the actor enters values for (the office: all, or one unit's)."""
    require_any(actor)
    mine = [i for i in _indicators(session) if can(actor, "indicator.enter", i)]
    if lead_unit and can(actor, "indicator.review"):
        mine = [i for i in mine if i.lead_unit == lead_unit]
    return mine


def _form_periods(
    indicator: Indicator, today: date, stored: set[date], policy: IndicatorThresholds
) -> list[date]:
    """The periods a form offers for an indicator: the latest ended one, those still chased,
    and older ones since ``HISTORY_YEARS`` back with no value arrived."""
    freq = Frequency(indicator.frequency)
    latest = add_months(period_start(freq, today), -freq.months)
    first = date(today.year - HISTORY_YEARS, 1, 1)
    periods: set[date] = {latest, *rules.periods_chased(freq, today, policy)}
    period = period_start(freq, first)
    while period < latest:
        if period not in stored:
            periods.add(period)
        period = add_months(period, freq.months)
    return sorted(p for p in periods if _tracked(indicator, p) or p == latest)


def _decimal(value: float | None) -> Decimal | None:
    """A stored float as the decimal it was typed as (four places at most: 0.3 × 3 is 0.9)."""
    if value is None:
        return None
    return round(Decimal(repr(value)), VALUE_PLACES).normalize() + 0


def indicator_form(
    session: Session,
    *,
    actor: Actor,
    today: date,
    lead_unit: str | None = None,
) -> bytes:
    """The actor's values form (.xlsx bytes): each of its indicators with the periods asked
    for — the latest ended period, the ones still chased and older ones still missing —
    prefilled with what is stored. The office gets every unit's, or ``lead_unit``'s."""
    policy = indicators.thresholds(session)
    found = _scope(session, actor, lead_unit)
    systems = dict(session.exec(select(IndicatorSystem.id, IndicatorSystem.name)).all())
    stored = _values(
        session, (i.id or 0 for i in found), date(today.year - HISTORY_YEARS - 1, 1, 1)
    )
    targets = _targets(session, [i.id or 0 for i in found])
    arrived: dict[int | None, set[date]] = defaultdict(set)
    for (indicator_id, period), value in stored.items():
        if _arrived(value):
            arrived[indicator_id].add(period)
    rows: list[IndicatorFormRow] = []
    for indicator in found:
        freq = Frequency(indicator.frequency)
        for period in _form_periods(indicator, today, arrived[indicator.id], policy):
            value = stored.get((indicator.id or 0, period))
            before = stored.get((indicator.id or 0, add_months(period, -freq.months)))
            previous = _decimal(before.accepted_value) if before is not None else None
            rows.append(
                IndicatorFormRow(
                    system=systems.get(indicator.system_id, ""),
                    code=indicator.code,
                    name=indicator.name,
                    unit=indicator.unit,
                    period=period_key(freq, period),
                    due_on=due_on(freq, period, policy),
                    target=_target(targets[indicator.id or 0], period.year),
                    previous=previous,
                    value=_decimal(value.value) if value is not None else None,
                    source=value.source if value is not None else indicator.data_source,
                    note=value.note if value is not None else "",
                    version=value.version if value is not None else 0,
                    status=value.status if value is not None else "new",
                )
            )
    unit = actor.lead_unit or lead_unit or str(msg("indicator_form.unit_all"))
    return indicator_form_workbook(IndicatorForm(unit=unit, made_on=today, rows=rows))


@dataclass(frozen=True)
class IndicatorFormFile:
    name: str  # 指标数据填报表-市科技局-20261128.xlsx
    content: bytes


def indicator_form_file(
    session: Session, *, actor: Actor, today: date, lead_unit: str | None = None
) -> IndicatorFormFile:
    """``indicator_form`` with the file's name, for a download."""
    content = indicator_form(session, actor=actor, today=today, lead_unit=lead_unit)
    unit = actor.lead_unit or lead_unit or str(msg("indicator_form.unit_all"))
    return IndicatorFormFile(f"{SHEET}-{unit}-{today:%Y%m%d}.xlsx", content)


def form_units(session: Session, *, actor: Actor) -> list[str]:
    """The responsible units the office may download a form for (a unit: none to pick, its
    own form is its only one)."""
    require_any(actor)
    if not can(actor, "indicator.review"):
        return []
    found = session.exec(select(Indicator.lead_unit).distinct()).all()
    return sorted(unit for unit in found if unit)


def _targets(session: Session, ids: list[int]) -> dict[int, dict[int, float]]:
    out: dict[int, dict[int, float]] = defaultdict(dict)
    if ids:
        for indicator_id, year, value in session.exec(
            select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value).where(
                col(IndicatorTarget.indicator_id).in_(ids)
            )
        ).all():
            out[indicator_id][year] = value
    return out


def _target(targets: dict[int, float], year: int) -> Decimal | None:
    """The year's own target, else the next target year's (2025, 2030 …)."""
    later = sorted(y for y in targets if y >= year)
    return _decimal(targets[later[0]]) if later else None


@dataclass(frozen=True)
class _Plan:
    row: FilledIndicatorRow
    indicator: Indicator
    stored: IndicatorValue | None


def apply_indicator_form(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    today: date,
    settings: Settings,
    submit: bool = True,
    filename: str = "",
) -> IndicatorFormResult:
    """Apply an uploaded values form all or nothing: every row is checked first; any error,
    and nothing is written (the result lists every error with its sheet, row, column and
    field). The file passes the upload guard first (``IndicatorFormFileError`` when refused).
    New, draft and returned values are entered (and submitted unless ``submit`` is false);
    an accepted value changed by the form is revised with the row's 修订原因 (required); a
    submitted value waiting for review is not changed by a form, unless the office uploads."""
    require_any(actor)
    parsed = parse_indicator_form(data, filename, max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024)
    result = IndicatorFormResult(
        skipped=parsed.skipped, errors=list(parsed.errors), notes=list(parsed.notes)
    )
    plans = _check_rows(session, actor, parsed.rows, today, result)
    if result.errors:
        return result
    _write(session, actor, plans, submit=submit, today=today, result=result)
    return result


def _write(
    session: Session,
    actor: Actor,
    plans: Sequence[_Plan],
    *,
    submit: bool,
    today: date,
    result: IndicatorFormResult,
) -> None:
    """Every row written through the indicators' own rules, each in its savepoint so that
    every row's refusal is collected; any refusal and the whole form is rolled back."""
    outer = session.begin_nested()
    for plan in plans:
        try:
            with session.begin_nested():
                revised = _write_one(session, actor, plan, submit=submit, today=today)
        except (InvalidInput, ConflictError, NotFound) as exc:
            result.errors.append(error(plan.row.row, _column_of(exc), exc.message))
            continue
        result.revised += revised
        result.saved += not revised
    if result.errors:
        outer.rollback()
        result.saved = result.revised = 0
    else:
        outer.commit()


def _write_one(session: Session, actor: Actor, plan: _Plan, *, submit: bool, today: date) -> bool:
    """Write one row: True when it revised an accepted value, False when it entered one."""
    row, stored = plan.row, plan.stored
    if stored is not None and stored.status == ValueStatus.ACCEPTED:
        indicators.revise_value(
            session,
            actor=actor,
            value_id=stored.id,
            seen_version=stored.version,
            value=str(row.value),
            reason=row.reason,
            source=row.source,
            note=row.note,
            today=today,
        )
        return True
    indicators.save_value(
        session,
        actor=actor,
        indicator_id=plan.indicator.id,
        period=row.period,
        value=str(row.value),
        source=row.source,
        note=row.note,
        seen_version=stored.version if stored is not None else None,
        submit=submit,
        today=today,
    )
    return False


def _column_of(exc: Exception) -> str:
    """The form's column a refusal of the indicators' rules is about."""
    if isinstance(exc, ConflictError):
        return "version"
    key = getattr(exc, "key", "")
    for name in ("source", "note", "reason", "period"):
        if name in key:
            return name
    return "value"


def require_any(actor: Actor) -> None:
    """Refused unless the actor enters indicator values somewhere (a unit, the office)."""
    if not may_somewhere(actor, "indicator.enter"):
        raise PermissionDenied("perm.denied")


def upload_indicator_form(session: Session, **fields: Any) -> IndicatorFormResult:
    """``apply_indicator_form`` for a page: ``IndicatorFormRefused`` (and so a rollback of the
    caller's transaction) on any row error."""
    result = apply_indicator_form(session, **fields)
    if not result.ok:
        raise IndicatorFormRefused(result)
    return result


def _check_rows(
    session: Session,
    actor: Actor,
    rows: Sequence[FilledIndicatorRow],
    today: date,
    result: IndicatorFormResult,
) -> list[_Plan]:
    """Each row's indicator, scope, period, version and change checked; the plan of writes."""
    systems = {
        name: sid for sid, name in session.exec(select(IndicatorSystem.id, IndicatorSystem.name))
    }
    found = _indicators(session)
    by_key = {(i.system_id, i.code): i for i in found}
    by_code: dict[str, list[Indicator]] = defaultdict(list)
    for i in found:
        by_code[i.code].append(i)
    since = min((r.period for r in rows), default=today)
    stored = _values(session, (i.id or 0 for i in found), since)
    plans: list[_Plan] = []
    for row in rows:
        indicator = _find(row, systems, by_key, by_code)
        problem = _row_problem(row, indicator, actor, today)
        if problem is not None:
            result.errors.append(error(row.row, problem[0], problem[1]))
            continue
        assert indicator is not None
        value = stored.get((indicator.id or 0, row.period))
        change = _change_problem(row, value, actor)
        if change is not None:
            result.errors.append(error(row.row, change[0], change[1]))
        elif not _unchanged(row, value, result):
            plans.append(_Plan(row, indicator, value))
    return plans


def _find(
    row: FilledIndicatorRow,
    systems: dict[str, int | None],
    by_key: dict[tuple[int, str], Indicator],
    by_code: dict[str, list[Indicator]],
) -> Indicator | None:
    system_id = systems.get(row.system)
    if system_id is not None:
        return by_key.get((system_id, row.code))
    candidates = by_code.get(row.code, [])
    return candidates[0] if len(candidates) == 1 else None


def _row_problem(
    row: FilledIndicatorRow, indicator: Indicator | None, actor: Actor, today: date
) -> tuple[str, Message] | None:
    if indicator is None:
        return "code", msg("indicator_form.no_indicator", code=row.code)
    if not can(actor, "indicator.enter", indicator):
        return "code", msg("indicator_form.out_of_scope", code=row.code)
    if row.frequency != indicator.frequency:
        frequency = msg(f"indicator.frequency.{indicator.frequency}")
        name = period_key(row.frequency, row.period)
        return "period", msg(
            "indicator_form.wrong_period", code=row.code, frequency=frequency, period=name
        )
    if rules.requested_on(row.frequency, row.period) > today:
        name = rules.period_name(row.frequency, row.period)
        return "period", msg("indicator_form.future_period", period=name)
    return None


def _same(row: FilledIndicatorRow, value: IndicatorValue, shown: float | None) -> bool:
    return (
        shown is not None
        and _decimal(shown) == row.value  # as the form showed it: 0.1 + 0.2 is 0.3
        and (value.source or "") == row.source
        and (value.note or "") == row.note
    )


def _unchanged(
    row: FilledIndicatorRow, value: IndicatorValue | None, result: IndicatorFormResult
) -> bool:
    """A row identical to the stored, arrived value: counted 未变更, nothing written."""
    if value is None or not _arrived(value) or not _same(row, value, value.value):
        return False
    result.unchanged += 1
    return True


def _change_problem(
    row: FilledIndicatorRow, value: IndicatorValue | None, actor: Actor
) -> tuple[str, Message] | None:
    """Why a row may not change the stored value (stale, under review, no reason), or None."""
    if (value.version if value is not None else 0) != row.version:
        return "version", msg("indicator_form.stale")
    if value is None or _same(row, value, value.value):
        return None
    if value.status == ValueStatus.SUBMITTED and not can(actor, "indicator.review"):
        changes = _changes(row, value)
        return "value", msg("indicator_form.under_review", changes=changes)
    if value.status == ValueStatus.ACCEPTED and not row.reason:
        return "reason", msg("indicator_form.reason_needed")
    return None


def _changes(row: FilledIndicatorRow, value: IndicatorValue) -> Message:
    old = "" if value.value is None else format(_decimal(value.value), "f")
    parts = [
        msg(
            "indicator_form.change",
            field=msg("indicator_form.col.value"),
            old=old or "—",
            new=format(row.value.normalize(), "f"),
        )
    ]
    for name in ("source", "note"):
        before, after = getattr(value, name) or "", getattr(row, name)
        if before != after:
            parts.append(
                msg(
                    "indicator_form.change",
                    field=msg(f"indicator_form.col.{name}"),
                    old=_short(before) or "—",
                    new=_short(after) or "—",
                )
            )
    return listing(parts, zh="；", en="; ")


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"


# --- the scheduler's work ----------------------------------------------------------------------


def request_key(frequency: str, period: date) -> str:
    """The request job's key: one run per frequency and period (``quarterly:2026Q3``)."""
    return f"{frequency}:{period_key(frequency, period)}"


def requests_due(
    session: Session, *, today: date, thresholds: IndicatorThresholds | None = None
) -> list[tuple[str, date]]:
    """(frequency, period) whose values have been asked for by ``today`` and are still chased,
    for the frequencies that have indicators: the request job runs once for each."""
    policy = thresholds or indicators.thresholds(session)
    used = set(session.exec(select(Indicator.frequency).distinct()).all())
    return [
        (f.value, period)
        for f in Frequency
        if f.value in used
        for period in rules.periods_chased(f, today, policy)
    ]


def _unit_accounts(session: Session) -> list[User]:
    """Active accounts that enter indicator values for their unit."""
    users = session.exec(
        select(User).where(User.active == True).where(col(User.lead_unit).is_not(None))  # noqa: E712
    ).all()
    return [u for u in users if may_somewhere(Actor.of(u), "indicator.enter") and u.lead_unit]


def _office(session: Session) -> list[User]:
    users = session.exec(select(User).where(User.active == True)).all()  # noqa: E712
    return [u for u in users if can(Actor.of(u), "indicator.review")]


def _lines(items: Sequence[Owed]) -> Message:
    return listing(
        (
            msg(
                "indicator_notice.line",
                code=o.code,
                name=o.name,
                period=rules.period_name(o.frequency, o.period),
                due=o.due_on,
            )
            for o in items[:LISTED]
        ),
        zh="\n",
        en="\n",
    )


def _more(items: Sequence[Owed]) -> Message | str:
    return msg("indicator_notice.more", total=len(items)) if len(items) > LISTED else ""


def request_values(
    session: Session, *, settings: Settings, today: date, frequency: str, period: date
) -> dict[str, Any]:
    """Ask each unit account for the period's values its indicators owe (the request job's
    work: once per frequency and period). Values already arrived are not asked for."""
    policy = indicators.thresholds(session)
    owed = [
        o
        for o in owed_values(session, today=today, thresholds=policy)
        if o.frequency == frequency and o.period == period
    ]
    due = due_on(frequency, period, policy)
    told = 0
    name = rules.period_name(frequency, period)
    for user in _unit_accounts(session):
        mine = [o for o in owed if o.lead_unit == user.lead_unit]
        if not mine:
            continue
        told += notify.notify_user(
            session,
            user=user,
            reason=REQUEST,
            day=today,
            subject=msg("indicator_notice.request.subject", period=name, due=due),
            body=msg(
                "indicator_notice.request.body",
                n=len(mine),
                period=name,
                due=due,
                listing=_lines(mine),
                more=_more(mine),
            ),
            settings=settings,
            event=f"indicators:{request_key(frequency, period)}",
        )
    return {"period": request_key(frequency, period), "owed": len(owed), "notifications": told}


_STAGE_SUBJECTS = {
    rules.Stage.DUE_SOON: "indicator_notice.due_soon.subject",
    rules.Stage.DUE_TODAY: "indicator_notice.due_today.subject",
    rules.Stage.OVERDUE: "indicator_notice.overdue.subject",
}


def remind_values(session: Session, *, settings: Settings, today: date) -> dict[str, Any]:
    """The day's reminders to unit accounts whose values are due soon, today or overdue, and
    the office's list of values still missing past the escalation delay (once per day)."""
    owed = owed_values(session, today=today)
    staged: dict[tuple[str, rules.Stage], list[Owed]] = defaultdict(list)
    escalated: list[Owed] = []
    for o in owed:
        stage = rules.reminder_stage(
            today, asked_on=o.asked_on, due=o.due_on, days_before=settings.REMINDER_DAYS_BEFORE_DUE
        )
        if stage is not None:
            staged[(o.lead_unit, stage)].append(o)
        if rules.escalates(today, due=o.due_on, after_days=settings.ESCALATE_AFTER_DAYS):
            escalated.append(o)
    told = 0
    for user in _unit_accounts(session):
        for stage in rules.Stage:
            mine = staged.get((user.lead_unit or "", stage), [])
            if mine:
                told += _remind(session, settings, today, user, stage, mine)
    if escalated:
        told += _escalate(session, settings, today, escalated)
    return {
        "day": today.isoformat(),
        "owed": len(owed),
        "reminded": sum(len(v) for v in staged.values()),
        "escalated": len(escalated),
        "notifications": told,
    }


def _remind(
    session: Session,
    settings: Settings,
    today: date,
    user: User,
    stage: rules.Stage,
    items: list[Owed],
) -> int:
    due = min(o.due_on for o in items)
    return notify.notify_user(
        session,
        user=user,
        reason=stage.value,
        day=today,
        subject=msg(_STAGE_SUBJECTS[stage], due=due),
        body=msg(
            "indicator_notice.owing.body", n=len(items), listing=_lines(items), more=_more(items)
        ),
        settings=settings,
    )


def _escalate(session: Session, settings: Settings, today: date, items: list[Owed]) -> int:
    by_unit: dict[str, int] = defaultdict(int)
    for o in items:
        by_unit[o.lead_unit or "—"] += 1
    summary = listing(
        (msg("indicator_notice.unit_count", unit=unit, n=n) for unit, n in by_unit.items()),
        zh="；",
        en="; ",
    )
    subject = msg("indicator_notice.escalation.subject", n=len(items))
    body = msg(
        "indicator_notice.escalation.body",
        summary=summary,
        listing=_lines(items),
        more=_more(items),
    )
    told = 0
    for admin in _office(session):
        told += notify.notify_user(
            session,
            user=admin,
            reason=ESCALATION,
            day=today,
            subject=subject,
            body=body,
            settings=settings,
        )
    return told + notify.notify_group(  # the office's chat group reads Chinese
        session,
        reason=ESCALATION,
        day=today,
        subject=str(subject),
        body=str(body),
        settings=settings,
    )


# --- the year's digest (the annual bulletin and its 考评) --------------------------------------


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(SHANGHAI).date()


def year_digest(session: Session, *, actor: Actor, year: int, as_of: date) -> IndicatorDigest:
    """The indicators as the year's bulletin reads them on ``as_of``: each indicator's light
    and latest accepted value (judged on ``as_of``), and each unit's reporting of the values
    due within the year up to ``as_of`` (on time: first submitted by the due day)."""
    require(actor, "indicator.view")
    policy = indicators.thresholds(session)
    found = indicators.catalogue(session, actor=actor, as_of=as_of)
    lines = [
        IndicatorLine(
            system=r.system_name,
            code=r.code,
            name=r.name,
            unit=r.unit,
            owner=r.lead_unit,
            light=str(r.light.value),
            missing=len(r.missing),
            latest=_decimal(r.latest_value),
            latest_period=period_key(r.frequency, r.latest_period) if r.latest_period else "",
            baseline=_decimal(r.baseline_value),
            target_2025=_decimal(r.target_2025),
            target_2030=_decimal(r.target_2030),
        )
        for r in found.rows
    ]
    last = min(as_of, date(year, 12, 31))
    indicator_rows = _indicators(session)
    stored = _values(session, (i.id or 0 for i in indicator_rows), date(year - 1, 1, 1))
    first_submitted = _first_submissions(session, [v.id or 0 for v in stored.values()])
    dues: list[ValueDue] = []
    for indicator in indicator_rows:
        freq = Frequency(indicator.frequency)
        period = period_start(freq, date(year - 1, 1, 1))
        while rules.requested_on(freq, period) <= last:
            due = due_on(freq, period, policy)
            if date(year, 1, 1) <= due <= last and _tracked(indicator, period):
                value = stored.get((indicator.id or 0, period))
                submitted = first_submitted.get(value.id or 0) if value is not None else None
                if submitted is None and _arrived(value):
                    submitted = due  # imported without a time (a file, the demo): not late
                in_time = submitted is not None and submitted <= last  # by the day read
                accepted = None
                if value is not None and value.accepted_value is not None:
                    accepted = _day(value.accepted_at) or due
                dues.append(
                    ValueDue(
                        owner=indicator.lead_unit,
                        code=indicator.code,
                        period=period_key(freq, period),
                        due_on=due,
                        submitted_on=submitted if in_time else None,
                        accepted=accepted is not None and accepted <= last,
                    )
                )
            period = add_months(period, freq.months)
    return digest(year, as_of, lines, dues)


def _first_submissions(session: Session, value_ids: list[int]) -> dict[int, date]:
    """The day each value was first submitted (or accepted, when the office entered it):
    from the audit log, falling back on the stored submission time."""
    out: dict[int, date] = {}
    if not value_ids:
        return out
    rows = session.exec(
        select(AuditLog.entity_id, AuditLog.at, AuditLog.after)
        .where(AuditLog.entity == indicators.AUDIT_ENTITY)
        .where(col(AuditLog.entity_id).in_(value_ids))
        .order_by(AuditLog.at)
    ).all()
    for entity_id, at, after in rows:
        status = (after or {}).get("status")
        if entity_id is not None and entity_id not in out and status in ("submitted", "accepted"):
            out[entity_id] = _day(at) or at.date()
    stored = session.exec(
        select(IndicatorValue.id, IndicatorValue.submitted_at, IndicatorValue.accepted_at).where(
            col(IndicatorValue.id).in_(value_ids)
        )
    ).all()
    for value_id, submitted_at, accepted_at in stored:
        if value_id not in out:
            moments = [m for m in (submitted_at, accepted_at) if m is not None]
            if moments:
                out[value_id or 0] = _day(min(moments)) or date.min
    return out
