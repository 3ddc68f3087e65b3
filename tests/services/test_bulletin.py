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
        if d(baseline) <= MONTH_END:
            due[pid] += 1
            if actual is not None and d(actual) <= d(baseline):
                on_time[pid] += 1
    out = {"per_county": defaultdict(lambda: defaultdict(Decimal))}
    total_plan = sum((Decimal(str(v)) for v in plan.values()), Decimal("0"))
    total_ytd = sum(ytd.values(), Decimal("0"))
    expected = reported = reported_on_time = started = 0
    for pid, county, planned_start, actual_start, actual_finish in projects:
        begins = d(actual_start) or d(planned_start)
        is_expected = (begins is None or begins <= MONTH_END) and not (
            actual_finish is not None and d(actual_finish) < OCTOBER
        )
        if actual_start is not None and d(actual_start) <= MONTH_END:
            started += 1
        c = out["per_county"][county]
        c["plan"] += Decimal(str(plan.get(pid, 0)))
        c["ytd"] += ytd.get(pid, Decimal("0"))
        c["due"] += due[pid]
        c["on_time"] += on_time[pid]
        c["projects"] += 1
        if is_expected:
            expected += 1
            c["expected"] += 1
            if pid in october:
                reported += 1
                if not october[pid]:
                    reported_on_time += 1
                    c["reported_on_time"] += 1
    out.update(
        projects=len(projects),
        plan=total_plan,
        ytd=total_ytd,
        started=started,
        expected=expected,
        reported=reported,
        reported_on_time=reported_on_time,
    )
    return out


def expected_ranking(per_county) -> list[tuple[str, float]]:
    def part(numerator, denominator) -> float:
        if not denominator:
            return 100.0
        return min(float(numerator) / float(denominator), 1.0) * 100

    scores = {}
    for county in COUNTIES:
        c = per_county[county]
        scores[county] = round(
            part(c["ytd"], c["plan"]) * 0.5
            + part(c["on_time"], c["due"]) * 0.3
            + part(c["reported_on_time"], c["expected"]) * 0.2,
            2,
        )
    order = sorted(COUNTIES, key=lambda k: (-scores[k], COUNTIES.index(k)))
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
    assert t["started"] == truth["started"]
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
    # The county ranking: order and scores, and the formula is shown.
    ranking = [(r["county"], r["score"]) for r in b.ranking["rows"]]
    assert ranking == expected_ranking(truth["per_county"])
    assert [r["rank"] for r in b.ranking["rows"]][0] == 1
    assert "综合得分 = 投资完成率×50% + 节点按时率×30% + 按时报送率×20%" in b.ranking["formula"]
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
    assert "投资完成率×100%" in b.ranking["formula"]
