"""A year of indicator requests, reminders and escalation (2026, the clock passed as
``today``): each period's values asked for exactly once per unit, also when the process was
down on the day; reminders around the due day and weekly after it while a value is missing;
the office told two days after the due day, then weekly; every notice in its reader's
language; running a day again sends nothing new."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import func, select

from schedules import jobs
from tests.factories import make_user
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.domain.periods import SHANGHAI
from tracker.models import Indicator, IndicatorSystem, IndicatorValue, JobRun, Notification
from tracker.services import indicator_cycle

YEAR = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
DOWN = (date(2026, 4, 1), date(2026, 4, 10))  # the server is down: no job runs these days
AGAIN = {date(2026, 1, 1), date(2026, 6, 16), date(2026, 10, 1)}  # a day's run repeated

# When each unit submits (the value's period → the day it arrives). 市林草局 reports forest
# fire losses monthly on the 10th of the next month, except May's, which never comes;
# 市科技局 reports R&D intensity (annual) late and patents (quarterly) on time.
MONTHLY_SUBMITS = {date(2026, m, 1): date(2026, m + 1, 10) for m in range(1, 12) if m != 5}
MONTHLY_SUBMITS[date(2026, 3, 1)] = date(2026, 4, 12)  # after the server came back
ANNUAL_SUBMITS = {date(2025, 1, 1): date(2026, 5, 10)}  # due 30 April: ten days late
QUARTERLY_SUBMITS = {
    date(2026, 1, 1): date(2026, 4, 20),
    date(2026, 4, 1): date(2026, 7, 15),
    date(2026, 7, 1): date(2026, 10, 29),  # due 30 October: reminded on 27 and 28 October
}


def build(engine) -> dict[str, int]:
    with write_session(engine) as s:
        system = IndicatorSystem(code="plan", name="可持续发展规划", sort_order=1)
        s.add(system)
        s.flush()
        made = {}
        for key, code, name, unit, frequency in (
            ("rd", "GH01", "全社会研发经费投入强度", "市科技局", "annual"),
            ("patents", "GH02", "发明专利授权量", "市科技局", "quarterly"),
            ("fire", "GH03", "森林火灾受害率", "市林草局", "monthly"),
        ):
            indicator = Indicator(
                system_id=system.id,
                code=code,
                name=name,
                lead_unit=unit,
                frequency=frequency,
                baseline_year=2020,
                baseline_value=1.0,
            )
            s.add(indicator)
            s.flush()
            made[key] = indicator.id
        # what arrived before the year began (the last months and quarter of 2025)
        for period in (date(2025, m, 1) for m in (9, 10, 11, 12)):
            s.add(_value(made["fire"], period, date(2025, 12, 20)))
        s.add(_value(made["patents"], date(2025, 7, 1), date(2025, 10, 20)))
        s.add(_value(made["patents"], date(2025, 10, 1), date(2025, 12, 30)))
        keji = make_user(s, "unit", lead_unit="市科技局", username="keji")
        lincao = make_user(s, "unit", lead_unit="市林草局", username="lincao")
        lincao.language = "en"
        s.add(lincao)
        admin = make_user(s, "admin", username="office")
        make_user(s, "viewer", username="leader")
        s.flush()
        return {**made, "keji": keji.id, "lincao": lincao.id, "admin": admin.id}


def _value(indicator_id: int, period: date, on: date) -> IndicatorValue:
    moment = datetime.combine(on, time(10), SHANGHAI).astimezone(UTC)
    return IndicatorValue(
        indicator_id=indicator_id, period=period, value=1.0, status="submitted", submitted_at=moment
    )


def submit_due(engine, ids: dict[str, int], day: date) -> None:
    """The values that arrive on ``day`` (before the day's job runs)."""
    with write_session(engine) as s:
        for key, plan in (
            ("fire", MONTHLY_SUBMITS),
            ("rd", ANNUAL_SUBMITS),
            ("patents", QUARTERLY_SUBMITS),
        ):
            for period, on in plan.items():
                if on == day:
                    s.add(_value(ids[key], period, day))


def travel(engine, settings, ids) -> None:
    for day in YEAR:
        submit_due(engine, ids, day)
        if DOWN[0] <= day <= DOWN[1]:
            continue
        jobs.run_indicator_cycle(engine, settings, today=day)
        if day in AGAIN:
            before = count(engine)
            results = jobs.run_indicator_cycle(engine, settings, today=day)
            assert not any(r.done for r in results) and count(engine) == before


def count(engine) -> int:
    with read_session(engine) as s:
        return s.exec(select(func.count()).select_from(Notification)).one()


def notices(engine) -> list[Notification]:
    with read_session(engine) as s:
        return list(s.exec(select(Notification).where(Notification.channel == "inapp")).all())


def event_of(n: Notification) -> str:
    return n.dedupe_key.split(":", 3)[3]


def days(items: list[Notification]) -> list[date]:
    return sorted(date.fromisoformat(event_of(n)) for n in items)


def weekly(first: date, last: date) -> list[date]:
    return [first + timedelta(days=7 * k) for k in range((last - first).days // 7 + 1)]


def test_a_year_of_indicator_requests_reminders_and_escalation(engine):
    """One journey through 2026 (travelling takes a while), then what each party got."""
    ids = build(engine)
    settings = dispatch_settings(WEBHOOK_URL="http://127.0.0.1:9/robot")
    assert (settings.REMINDER_DAYS_BEFORE_DUE, settings.ESCALATE_AFTER_DAYS) == (3, 2)
    travel(engine, settings, ids)
    year = ids, notices(engine)
    each_period_is_asked_for_once_per_unit_also_after_downtime(engine, year)
    a_missing_value_is_reminded_around_its_due_day_then_weekly(engine, year)
    the_office_is_told_two_days_after_the_due_day_then_weekly(engine, year)
    nothing_is_sent_twice_and_every_job_ran_once(engine, year)


def each_period_is_asked_for_once_per_unit_also_after_downtime(engine, year):
    ids, sent = year
    asked = defaultdict(list)
    for n in sent:
        if n.reason == indicator_cycle.REQUEST:
            asked[n.user_id].append(event_of(n).removeprefix("indicators:"))
    # the monthly indicator: every month of 2026 that ended (December's is asked in 2027);
    # the months before were in, so nothing older is asked for
    assert sorted(asked[ids["lincao"]]) == [f"monthly:2026-{m:02d}" for m in range(1, 12)]
    # the annual one (2025's, asked on 1 January) and the quarters that ended
    assert sorted(asked[ids["keji"]]) == [
        "annual:2025",
        "quarterly:2026Q1",
        "quarterly:2026Q2",
        "quarterly:2026Q3",
    ]
    assert set(asked) == {ids["lincao"], ids["keji"]}  # nobody else owns an indicator
    with read_session(engine) as s:
        runs = s.exec(select(JobRun).where(JobRun.job == indicator_cycle.REQUEST)).all()
    assert all(r.status == "done" and r.attempts == 1 for r in runs)
    # March's values were to be asked for on 1 April, when the server was down: they were
    # asked for when it came back (the value arrived on 12 April)
    request = next(
        n for n in sent if n.user_id == ids["lincao"] and event_of(n).endswith("2026-03")
    )
    assert request.subject == "Please report the indicators for 03/2026 (due 15 April)"


def a_missing_value_is_reminded_around_its_due_day_then_weekly(engine, year):
    ids, sent = year
    lincao = [n for n in sent if n.user_id == ids["lincao"]]
    # May's value (due 15 June) never comes: three days before, on the day, the week after,
    # then weekly until 91 days after the due day (14 September)
    soon = days([n for n in lincao if n.reason == "indicator_due_soon"])
    assert soon == [date(2026, 6, 12), date(2026, 6, 13), date(2026, 6, 14)]
    assert days([n for n in lincao if n.reason == "indicator_due_today"]) == [date(2026, 6, 15)]
    overdue = days([n for n in lincao if n.reason == "indicator_overdue"])
    first_week = [date(2026, 6, 16) + timedelta(days=d) for d in range(7)]
    assert overdue == first_week + weekly(date(2026, 6, 29), date(2026, 9, 14))
    reminder = next(n for n in lincao if n.reason == "indicator_overdue")
    assert reminder.subject.startswith("Overdue: indicator values were due on 15 June")
    assert "GH03" in reminder.body and "05/2026" in reminder.body
    # 市科技局: R&D intensity due 30 April, in on 10 May; the third quarter's in on 29 October
    keji = [n for n in sent if n.user_id == ids["keji"]]
    assert days([n for n in keji if n.reason == "indicator_due_soon"]) == [
        date(2026, 4, 27),
        date(2026, 4, 28),
        date(2026, 4, 29),
        date(2026, 10, 27),
        date(2026, 10, 28),
    ]
    assert days([n for n in keji if n.reason == "indicator_due_today"]) == [date(2026, 4, 30)]
    assert days([n for n in keji if n.reason == "indicator_overdue"]) == [
        date(2026, 5, d) for d in range(1, 8)
    ]
    chinese = next(n for n in keji if n.reason == "indicator_due_today")
    assert chinese.subject == "提醒：监测指标数据今天（04月30日）截止报送"


def the_office_is_told_two_days_after_the_due_day_then_weekly(engine, year):
    ids, sent = year
    told = [n for n in sent if n.reason == indicator_cycle.ESCALATION]
    assert {n.user_id for n in told} == {ids["admin"]}  # the office, not the leaders
    expected = [date(2026, 5, 2), date(2026, 5, 9)]  # R&D intensity (in on 10 May)
    expected += weekly(date(2026, 6, 17), date(2026, 9, 9))  # May's fire losses
    assert days(told) == expected
    with read_session(engine) as s:
        group = s.exec(select(Notification).where(Notification.channel == "webhook")).all()
    assert days([n for n in group if n.reason == indicator_cycle.ESCALATION]) == expected
    first = next(n for n in told if event_of(n) == "2026-05-02")
    assert first.subject == "指标数据逾期未报：1 项"
    assert "市科技局 1 项" in first.body and "GH01" in first.body


def nothing_is_sent_twice_and_every_job_ran_once(engine, year):
    _, sent = year
    keys = [n.dedupe_key for n in sent]
    assert len(keys) == len(set(keys))
    with read_session(engine) as s:
        runs = s.exec(select(JobRun).where(JobRun.job == indicator_cycle.REMINDERS)).all()
    up_days = [d for d in YEAR if not DOWN[0] <= d <= DOWN[1]]
    assert sorted(r.period_key for r in runs) == [d.isoformat() for d in up_days]


def test_the_catch_up_runs_the_indicator_job_once_its_hour_has_come(engine):
    ids = build(engine)
    settings = dispatch_settings()
    morning = datetime(2026, 7, 1, 8, 0, tzinfo=SHANGHAI)
    jobs.catch_up(engine, settings, now=morning)
    assert [n for n in notices(engine) if n.reason == indicator_cycle.REQUEST] == []
    jobs.catch_up(engine, settings, now=morning.replace(hour=9, minute=20))
    asked = {event_of(n) for n in notices(engine) if n.reason == indicator_cycle.REQUEST}
    # what ended on 30 June, and what is still missing from before (first run after install)
    assert {"indicators:quarterly:2026Q2", "indicators:monthly:2026-06"} <= asked
    assert "indicators:monthly:2026-03" in asked and "indicators:monthly:2026-02" not in asked
    keji = {n.user_id for n in notices(engine) if event_of(n).endswith("2026Q2")}
    assert keji == {ids["keji"]}
