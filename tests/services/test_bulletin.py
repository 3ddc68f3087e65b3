"""The demo office's bulletin checked against figures computed here straight from the tables
with plain SQL, not through the services that build the bulletin."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.conftest import DEMO_AS_OF
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.services.auth import SYSTEM
from tracker.services.bulletin import build_bulletin, freeze
from tracker.services.errors import NotFound

OCTOBER = date(2026, 10, 1)
MONTH_END = date(2026, 10, 31)
YEAR_START = date(2026, 1, 1)
COUNTIES = ("临翔区", "凤庆县", "云县", "永德县", "镇康县", "双江县", "耿马县", "沧源县")
SETTINGS = dispatch_settings()


def d(value) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def independent_figures(conn) -> dict:
    projects = conn.execute(
        text("select id, county, planned_start, actual_start, actual_finish from project")
    ).all()
    plan = dict(
        conn.execute(text("select project_id, amount from investmentplan where year = 2026")).all()
    )
    ytd: dict[int, Decimal] = {}
    for pid, value in conn.execute(
        text(
            "select project_id, completed_ytd from monthlyreport "
            "where status = 'submitted' and period >= '2026-01-01' and period <= '2026-10-01' "
            "order by project_id, period"
        )
    ):
        ytd[pid] = Decimal(str(value))  # the latest one wins
    october = {
        pid: bool(late)
        for pid, late in conn.execute(
            text(
                "select project_id, late from monthlyreport "
                "where status = 'submitted' and period = '2026-10-01'"
            )
        )
    }
    due = defaultdict(int)
    on_time = defaultdict(int)
    for pid, baseline, actual in conn.execute(
        text("select project_id, baseline_date, actual_date from milestone")
    ):
        if YEAR_START <= d(baseline) <= MONTH_END:  # milestones due this year
            due[pid] += 1
            if actual is not None and d(actual) <= d(baseline):
                on_time[pid] += 1
    # reports of this year: every period of 2026 up to October, who was expected, on time
    periods = [
        (d(first) or d(period), d(period))
        for period, first in conn.execute(
            text(
                "select period, first_month from reportingperiod "
                "where period >= '2026-01-01' and period <= '2026-10-01'"
            )
        )
    ]
    submitted = {
        (pid, d(period)): bool(late)
        for pid, period, late in conn.execute(
            text(
                "select project_id, period, late from monthlyreport where status = 'submitted' "
                "and period >= '2026-01-01' and period <= '2026-10-01'"
            )
        )
    }
    out = {"per_county": defaultdict(lambda: defaultdict(Decimal))}
    total_plan = sum((Decimal(str(v)) for v in plan.values()), Decimal("0"))
    total_ytd = sum(ytd.values(), Decimal("0"))
    expected = reported = reported_on_time = 0
    for pid, county, planned_start, actual_start, actual_finish in projects:
        begins = d(actual_start) or d(planned_start)
        is_expected = (begins is None or begins <= MONTH_END) and not (
            actual_finish is not None and d(actual_finish) < OCTOBER
        )
        c = out["per_county"][county]
        c["plan"] += Decimal(str(plan.get(pid, 0)))
        c["ytd"] += ytd.get(pid, Decimal("0"))
        c["due"] += due[pid]
        c["on_time"] += on_time[pid]
        c["projects"] += 1
        for first, month in periods:
            last = date(month.year, month.month + 1, 1) if month.month < 12 else date(9999, 1, 1)
            if (begins is None or begins < last) and not (
                actual_finish is not None and d(actual_finish) < first
            ):
                c["year_expected"] += 1
                if submitted.get((pid, month)) is False:
                    c["year_on_time"] += 1
        if is_expected:
            expected += 1
            c["expected"] += 1
            if pid in october:
                reported += 1
                if not october[pid]:
                    reported_on_time += 1
                    c["reported_on_time"] += 1

    def one(sql: str) -> int:
        return conn.execute(text(sql), {"y0": "2026-01-01", "end": "2026-10-31"}).scalar()

    out.update(
        projects=len(projects),
        plan=total_plan,
        ytd=total_ytd,
        expected=expected,
        reported=reported,
        reported_on_time=reported_on_time,
        # the counts offices publish, straight from the project table
        new_started=one(
            "select count(*) from project where actual_start >= :y0 and actual_start <= :end"
        ),
        new_due=one(
            "select count(*) from project where (actual_start is null or actual_start >= :y0) "
            "and (planned_start <= :end or (actual_start >= :y0 and actual_start <= :end))"
        ),
        continuing=one(
            "select count(*) from project where actual_start < :y0 "
            "and (actual_finish is null or actual_finish >= :y0)"
        ),
        resumed=one(
            "select count(*) from project p where actual_start < :y0 "
            "and (actual_finish is null or actual_finish >= :y0) and exists (select 1 from "
            "monthlyreport r where r.project_id = p.id and r.status = 'submitted' "
            "and r.period >= :y0 and r.period <= '2026-10-01' and r.completed_ytd > 0)"
        ),
        completed=one(
            "select count(*) from project where actual_finish >= :y0 and actual_finish <= :end"
        ),
        late_to_start=one(
            "select count(*) from project where planned_start <= :end "
            "and (actual_start is null or actual_start > :end)"
        ),
    )
    return out


def expected_ranking(per_county) -> list[tuple[str, float | None]]:
    """The formula worked by hand: a component with nothing to count is left out and the
    other weights scale up."""

    def part(numerator, denominator) -> float | None:
        if not denominator:
            return None
        return min(float(numerator) / float(denominator), 1.0) * 100

    scores = {}
    for county in COUNTIES:
        c = per_county[county]
        parts = [
            (part(c["ytd"], c["plan"]), 50),
            (part(c["on_time"], c["due"]), 30),
            (part(c["year_on_time"], c["year_expected"]), 20),
        ]
        counted = [(p, w) for p, w in parts if p is not None]
        weight = sum(w for _, w in counted)
        scores[county] = round(sum(p * w for p, w in counted) / weight, 2) if weight else None
    order = sorted(
        COUNTIES,
        key=lambda k: (scores[k] is None, -(scores[k] or 0), COUNTIES.index(k)),
    )
    return [(county, scores[county]) for county in order]


def test_the_october_bulletin_matches_figures_computed_from_the_tables(demo_engine):
    with demo_engine.connect() as conn:
        truth = independent_figures(conn)
    with read_session(demo_engine) as s:
        b = build_bulletin(s, actor=SYSTEM, period=OCTOBER, today=DEMO_AS_OF, settings=SETTINGS)
    assert b.final and b.as_of == "2026-10-31"  # the demo froze October when it closed
    t = b.totals
    assert t["projects"] == truth["projects"] == 90
    assert t["annual_plan"] == pytest.approx(float(truth["plan"]), abs=0.005)
    assert t["completed_ytd"] == pytest.approx(float(truth["ytd"]), abs=0.005)
    assert t["rate"] == pytest.approx(float(truth["ytd"] / truth["plan"]))
    assert t["gap_pp"] == pytest.approx(
        round((float(truth["ytd"] / truth["plan"]) - 10 / 12) * 100, 2)
    )
    for name in ("new_started", "new_due", "continuing", "resumed", "completed"):
        assert t[name] == truth[name], name
    assert t["late_to_start"] == truth["late_to_start"] == len(b.late_to_start)
    assert t["new_start_rate"] == pytest.approx(truth["new_started"] / truth["new_due"])
    assert t["resume_rate"] == pytest.approx(truth["resumed"] / truth["continuing"])
    assert (t["expected"], t["reported"], t["reported_on_time"]) == (
        truth["expected"],
        truth["reported"],
        truth["reported_on_time"],
    )
    assert sum(r["completed_ytd"] for r in b.by_county) == pytest.approx(
        t["completed_ytd"], abs=0.05
    )
    assert sum(r["projects"] for r in b.by_area) == 90
    assert len(b.by_area) == 4 and len(b.by_measure) == 21
    # The opening paragraph carries the same figures, in 亿元 and percent.
    rate = float(truth["ytd"] / truth["plan"]) * 100
    gap = rate - 100 * 10 / 12
    assert b.headline.startswith("截至2026年10月底，90个重大项目年度累计完成投资")
    assert f"{float(truth['ytd']) / 10000:.2f}亿元" in b.headline
    assert f"{rate:.1f}%" in b.headline
    assert f"{'高于' if gap > 0 else '低于'}序时进度（83.3%）{abs(gap):.1f}个百分点" in b.headline
    assert f"未报送{truth['expected'] - truth['reported']}个" in b.headline
    rate_new = truth["new_started"] / truth["new_due"] * 100
    assert (
        f"新开工{truth['new_started']}个（应开工{truth['new_due']}个），新开工率{rate_new:.1f}%"
        in (b.headline)
    )
    assert f"竣工{truth['completed']}个" in b.headline
    # The county ranking: order and scores, and the formula is shown.
    ranking = [(r["county"], r["score"]) for r in b.ranking["rows"]]
    assert ranking == expected_ranking(truth["per_county"])
    assert [r["rank"] for r in b.ranking["rows"]][0] == 1
    assert (
        "综合得分 =（投资完成率×50 + 节点按时率×30 + 按时报送率×20）÷ 参与计分的权重之和"
        in (b.ranking["formula"])
    )
    # Lead units are ranked too, apart from the counties.
    units = b.ranking_units["rows"]
    assert {r["unit"] for r in units} == {r["key"] for r in b.by_lead_unit}
    assert [r["score"] for r in units if r["score"] is not None] == sorted(
        (r["score"] for r in units if r["score"] is not None), reverse=True
    )
    # Who did not report: exactly the expected projects without an October report.
    assert len(b.not_reported) == truth["expected"] - truth["reported"]
    assert {r["light"] for r in b.red_amber} <= {"red", "amber"}
    assert b.red_amber[0]["light"] == "red" and all(r["reasons"] for r in b.red_amber)
    assert b.changes is not None and b.changes["previous_period"] == "2026-09-01"
    assert all(m["days"] > 0 for m in b.overdue_milestones)


def test_once_frozen_the_bulletin_reads_the_same_after_the_reports_change(demo_engine):
    with write_session(demo_engine) as s:
        freeze(s, period=OCTOBER, today=date(2026, 11, 5), settings=SETTINGS)
    with read_session(demo_engine) as s:
        before = build_bulletin(
            s, actor=SYSTEM, period=OCTOBER, today=DEMO_AS_OF, settings=SETTINGS
        )
    with demo_engine.begin() as conn:
        conn.execute(text("update monthlyreport set completed_ytd = completed_ytd + 1000"))
    with read_session(demo_engine) as s:
        after = build_bulletin(s, actor=SYSTEM, period=OCTOBER, today=DEMO_AS_OF, settings=SETTINGS)
    assert before.final and after.final and before.status_label == "定稿"
    assert after.to_dict() == before.to_dict()


def test_a_month_without_data_is_refused_with_a_clear_message(demo_engine):
    with read_session(demo_engine) as s, pytest.raises(NotFound, match="2019年1月没有调度数据"):
        build_bulletin(
            s, actor=SYSTEM, period=date(2019, 1, 1), today=DEMO_AS_OF, settings=SETTINGS
        )


def test_the_ranking_weights_are_settings(demo_engine):
    settings = dispatch_settings(
        RANK_WEIGHT_INVESTMENT=100.0, RANK_WEIGHT_MILESTONES=0.0, RANK_WEIGHT_REPORTING=0.0
    )
    with read_session(demo_engine) as s:  # November is still open: computed live
        b = build_bulletin(
            s, actor=SYSTEM, period=date(2026, 11, 1), today=DEMO_AS_OF, settings=settings
        )
    assert not b.final
    rates = [min(r["investment_rate"], 1.0) for r in b.ranking["rows"]]
    assert rates == sorted(rates, reverse=True)
    assert "投资完成率×100" in b.ranking["formula"]
