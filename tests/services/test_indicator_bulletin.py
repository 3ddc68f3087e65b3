"""The indicators in the year's bulletin and its 考评 (#16): a section and two annexes — every
indicator with its latest accepted value and light, and each responsible unit's reporting of
the year's values, scored and ranked with the formula shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.domain.indicator_digest import (
    IndicatorLine,
    ValueDue,
    digest,
    reporting_score,
    unit_scores,
)
from tracker.domain.periods import SHANGHAI
from tracker.models import Indicator, IndicatorSystem, IndicatorTarget, IndicatorValue
from tracker.services.auth import SYSTEM
from tracker.services.bulletin import annual_assessment
from tracker.services.span_bulletin import span_document

SETTINGS = dispatch_settings()
D = Decimal


def due(owner: str, code: str, on: date | None, accepted: bool = True) -> ValueDue:
    return ValueDue(owner, code, "2025", date(2026, 4, 30), on, accepted)


def line(
    owner: str, code: str, light: str = "green", system: str = "创新能力监测"
) -> IndicatorLine:
    return IndicatorLine(system, code, f"指标{code}", "%", owner, light)


def test_a_unit_s_score_weighs_on_time_seventy_and_accepted_thirty():
    assert reporting_score(4, 3, 2) == D("67.50")  # (0.7×3 + 0.3×2) ÷ 4 × 100
    assert reporting_score(0, 0, 0) is None


def test_units_are_ranked_by_score_ties_share_a_rank_and_nothing_due_is_unranked():
    lines = [
        line("市科技局", "A"),
        line("市林草局", "B"),
        line("市统计局", "C"),
        line("市水务局", "D"),
    ]
    dues = [
        due("市科技局", "A", date(2026, 4, 1)),
        due("市林草局", "B", date(2026, 5, 3)),  # late: counts as reported, not on time
        due("市统计局", "C", date(2026, 4, 30)),  # on the due day: on time
    ]
    scores = unit_scores(lines, dues)
    assert [(u.owner, u.rank, u.score) for u in scores] == [
        ("市科技局", 1, D("100.00")),
        ("市统计局", 1, D("100.00")),
        ("市林草局", 3, D("30.00")),
        ("市水务局", None, None),
    ]
    assert (scores[2].reported, scores[2].on_time, scores[2].on_time_rate) == (1, 0, D(0))


def _add_indicators(engine) -> None:
    """Three indicators of two units of their own beside the demo's: 2025's values were due
    on 30 April 2026; 甲 reports one on time and one late, 乙 never."""
    with write_session(engine) as s:
        system = IndicatorSystem(code="t-innovation", name="创新能力监测（测试）", sort_order=90)
        s.add(system)
        s.flush()
        rows = [
            ("T01", "全社会研发经费投入强度", "%", "测试局甲", 0.30, 0.48, date(2026, 4, 20)),
            ("T02", "高新技术企业数", "家", "测试局甲", 20, 21, date(2026, 5, 20)),
            ("T03", "森林覆盖率", "%", "测试局乙", 65.0, None, None),
        ]
        for n, (code, name, unit, owner, base, value, on) in enumerate(rows):
            indicator = Indicator(
                system_id=system.id,
                code=code,
                name=name,
                unit=unit,
                lead_unit=owner,
                data_source="统计公报",
                frequency="annual",
                baseline_year=2020,
                baseline_value=base,
                sort_order=n,
            )
            s.add(indicator)
            s.flush()
            for year, target in ((2025, base * 2), (2030, base * 3)):
                s.add(IndicatorTarget(indicator_id=indicator.id, year=year, value=target))
            if value is not None:
                moment = datetime.combine(on, time(10), SHANGHAI).astimezone(UTC)
                s.add(
                    IndicatorValue(
                        indicator_id=indicator.id,
                        period=date(2025, 1, 1),
                        value=value,
                        accepted_value=value,
                        status="accepted",
                        source="统计公报",
                        submitted_at=moment,
                        accepted_at=moment,
                    )
                )


def year_document(engine, year: int = 2026, today: date = date(2026, 11, 28)):
    with read_session(engine) as s:
        return span_document(s, actor=SYSTEM, year=year, span="Y", settings=SETTINGS, today=today)


def test_the_demo_year_bulletin_carries_its_171_indicators_and_their_assessment(demo_engine):
    document = year_document(demo_engine)
    section = next(s for s in document.sections if s.key == "indicators")
    assert section.heading == "五、监测指标情况"
    first, reporting, formula = section.text.split("\n")
    assert first.startswith(
        "示范区跟踪创新能力监测39项、SDGs 进展102项、可持续发展规划30项共171项监测指标。"
        "截至2026年10月31日，"  # the data month's end, as the rest of the bulletin
    )
    indicators_table, units_table = document.annexes[4], document.annexes[5]
    assert [t.title for t in document.annexes[4:]] == [
        "附件5：2026年监测指标情况表",
        "附件6：2026年度各责任单位监测指标报送考评",
    ]
    assert len(indicators_table.rows) == 171
    lights = [r[9] for r in indicators_table.rows]
    counts = {name: lights.count(name) for name in ("绿", "黄", "红")}
    assert f"{counts['绿']}项达到序时目标（绿灯），{counts['黄']}项略有滞后（黄灯）" in first
    missing = sum(1 for r in indicators_table.rows if r[10] != "—")
    assert f"{missing}项有应报未报（或未采纳）的数据" in first and missing > 0
    # the sentence's totals are the annex's columns summed
    due, reported, on_time, accepted = (
        sum(int(r[i]) for r in units_table.rows) for i in (3, 4, 5, 6)
    )
    assert reporting.startswith(
        f"2026年应报指标数据{due}项，已报{reported}项，其中按时报送{on_time}项"
    )
    assert f"已审核采纳{accepted}项" in reporting
    scores = [float(r[8]) for r in units_table.rows if r[8] != "—"]
    assert scores == sorted(scores, reverse=True)
    assert formula.startswith("指标报送考评：按时报送率（按时报送数 ÷ 应报数）× 70%")
    # the 考评 the bulletin page shows is the same ranking
    with read_session(demo_engine) as s:
        assessment = annual_assessment(s, actor=SYSTEM, year=2026, settings=SETTINGS)
    assert [(str(r["rank"]), r["unit"], f"{r['score']:.2f}") for r in assessment.indicators] == [
        (r[0], r[1], r[8]) for r in units_table.rows
    ]


def test_a_unit_late_or_silent_with_its_values_scores_below_one_on_time(demo_engine):
    _add_indicators(demo_engine)
    document = year_document(demo_engine)
    indicators_table, units_table = document.annexes[4], document.annexes[5]
    assert [c.label for c in indicators_table.columns][4:11] == [
        "基期值",
        "最新值",
        "统计期",
        "2025年目标",
        "2030年目标",
        "灯号",
        "缺报期数",
    ]
    by_code = {r[1]: r for r in indicators_table.rows}
    assert by_code["T01"][2:9] == (
        "全社会研发经费投入强度",
        "%",
        "0.3",
        "0.48",
        "2025",
        "0.6",
        "0.9",
    )
    # no value since its 2020 baseline: 2021–2025 missing
    assert by_code["T03"][5:7] == ("—", "—") and by_code["T03"][10] == "5"
    # due 30 April 2026: 甲 one on time (20 April), one late (20 May); 乙 none
    units = {r[1]: r for r in units_table.rows}
    first, second = units["测试局甲"], units["测试局乙"]
    assert first[2:9] == ("2", "2", "2", "1", "2", "50.0%", "65.00")  # 0.7×1/2 + 0.3×2/2
    assert second[2:9] == ("1", "1", "0", "0", "0", "0.0%", "0.00")
    assert second[0] == units_table.rows[-1][0]  # the last


def test_a_quarter_s_bulletin_has_no_indicators_part(demo_engine):
    with read_session(demo_engine) as s:
        document = span_document(
            s, actor=SYSTEM, year=2026, span="Q1", settings=SETTINGS, today=date(2026, 11, 28)
        )
    assert [s.key for s in document.sections] == ["overall", "progress", "problems", "next_steps"]
    assert len(document.annexes) == 4


def test_the_digest_reads_the_same_in_english():
    from tracker.domain.document import Table
    from tracker.services.indicator_bulletin import indicator_annexes, indicator_section
    from tracker.services.span_bulletin import Style

    lines = [line("市科技局", "A"), line("市林草局", "B", "red")]
    made = digest(2026, date(2027, 1, 6), lines, [due("市林草局", "B", None, accepted=False)])
    style = Style("yi", "office", date(2027, 1, 6), lang="en")
    section = indicator_section(made, style)
    assert section.heading == "5. Indicators"
    assert "The zone tracks 2 indicators (创新能力监测: 2). As of 06 January 2027" in section.text
    assert "Well behind: 指标B (B)." in section.text
    tables = indicator_annexes(made, 5, style)
    assert all(isinstance(t, Table) for t in tables)
    assert tables[1].title == "Annex 6: indicator reporting by responsible unit, 2026 assessment"
