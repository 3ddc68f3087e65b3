"""Quarter, half-year and year bulletins (services/span_bulletin): the sentences and tables a
reader checks, first against the hand-worked figures of tests/domain/test_span.py, then over
the demo office, whose months of 2025 and of 2026 up to October are frozen."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, update
from sqlmodel import select

from tests.domain.test_span import LAST_H1, THIS_H1, month
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.domain.places import COUNTIES
from tracker.domain.ranking import Weights
from tracker.domain.span import SPANS, same_month_last_year, span_figures
from tracker.excel.span import annex_workbook
from tracker.models import MonthlyReport, PeriodSnapshot
from tracker.services.auth import ANONYMOUS, SYSTEM
from tracker.services.bulletin import Assessment, annual_assessment
from tracker.services.errors import NotFound, PermissionDenied
from tracker.services.span_bulletin import Style, draft, span_document

TODAY = date(2026, 11, 28)  # the demo's day (tests/conftest.DEMO_AS_OF)
SETTINGS = dispatch_settings()


# --- hand-worked figures -------------------------------------------------------------------------


def ranking(who: str, names_scores: list[tuple[str, float]]) -> dict:
    return {
        "formula": Weights().formula(),
        "rows": [
            {
                "rank": i,
                who: name,
                "investment_rate": 0.5,
                "milestone_rate": 1.0,
                "reporting_rate": None,
                "score": score,
                "projects": 3,
            }
            for i, (name, score) in enumerate(names_scores, 1)
        ],
    }


ASSESSMENT = Assessment(
    year=2026,
    months=["2026-06"],
    missing=[],
    latest="2026-06",
    counties=ranking(
        "county", [("临翔区", 90.5), ("镇康县", 80), ("凤庆县", 70.125), ("云县", 60)]
    ),
    units=ranking("unit", [("市科技局", 75), ("市能源局", 55)]),
)


def hand_worked(unit: str = "yi"):
    figures = span_figures(2026, SPANS["H1"], [month(6, THIS_H1, expected=30, on_time=26, first=1)])
    last = same_month_last_year([month(6, LAST_H1)], 6)
    return draft(figures, last, ASSESSMENT, Style(unit, "示范区办公室", date(2026, 7, 10)))


def sections(document) -> dict[str, str]:
    return {s.key: s.text for s in document.sections}


def test_the_half_year_s_overview_writes_the_hand_worked_figures_and_year_on_year():
    document = hand_worked()
    assert document.title == "2026年上半年重大项目调度通报"
    assert document.date_line == "2026年7月10日" and document.status == ""
    overall = sections(document)["overall"]
    assert (
        "截至2026年6月底，3个重大项目累计完成投资1.05亿元，占年度计划2.40亿元的43.7%，"
        "低于序时进度（50.0%）6.3个百分点。"
        "比上年同期（0.80亿元）增加0.25亿元，同比增长31.3%；"
        "投资完成率较上年同期（47.1%）下降3.3个百分点。"
    ) in overall
    assert (
        "上半年新开工项目4个，竣工项目1个；应报月报30份，按时报送26份，按时报送率86.7%。" in overall
    )


def test_the_half_year_s_double_half_names_who_missed_it_reading_below_half():
    overall = sections(hand_worked())["overall"]
    assert (
        "“双过半”：截至6月30日序时进度50.0%，时间过半；累计完成投资占年度计划的43.7%，"
        "任务未过半，未实现“双过半”。"
    ) in overall
    # 凤庆县 has 49.995%: written so that it reads below half; 临翔区 (exactly 50%) is past half
    assert "任务未过半的县（区）2个：凤庆县（49.995%）、云县（25.0%）。" in overall
    assert "任务未过半的牵头单位1个：市能源局（35.0%）。" in overall


def test_amounts_follow_the_bulletin_unit_setting():
    overall = sections(hand_worked("wan"))["overall"]
    assert "累计完成投资10499.60万元，占年度计划24000.00万元的43.7%" in overall
    assert "比上年同期（7999.60万元）增加2500.00万元，同比增长31.3%" in overall
    assert hand_worked("wan").annexes[0].columns[2].label == "年度计划投资（万元）"


def test_the_county_table_shows_the_same_digits_as_the_sentences():
    annex = hand_worked().annexes[0]
    assert annex.title == "附件1：2026年上半年各县（区）重大项目投资完成情况"
    assert [c.label for c in annex.columns][-3:] == ["新开工", "竣工", "任务过半"]
    assert annex.rows == (
        ("临翔区", "3", "1.00", "0.50", "50.0%", "0.0", "0.40", "25.0%", "0", "0", "是"),
        ("凤庆县", "3", "0.80", "0.40", "49.995%", "0.0", "0.40", "0.0%", "0", "0", "否"),
        ("云县", "3", "0.60", "0.15", "25.0%", "-25.0", "—", "—", "0", "0", "否"),
        ("合计", "3", "2.40", "1.05", "43.7%", "-6.3", "0.80", "31.3%", "4", "1", "否"),
    )
    assert "任务过半：累计完成投资 ≥ 年度计划投资的50%" in annex.note


def test_the_ranking_names_the_order_the_bottom_three_and_the_formula():
    document = hand_worked()
    progress = sections(document)["progress"]
    assert (
        "各县（区）投资完成率由高到低依次为：临翔区（50.0%）、凤庆县（50.0%）、云县（25.0%）。"
        in (progress)
    )
    assert (
        "上半年综合排名，各县（区）综合得分由高到低依次为：临翔区（90.50分）、镇康县（80.00分）、"
        "凤庆县（70.13分）、云县（60.00分）；排名后三位的是镇康县、凤庆县、云县。"
    ) in progress
    # two units ranked: no "last three" to name
    assert (
        "各牵头单位综合得分由高到低依次为：市科技局（75.00分）、市能源局（55.00分）。" in progress
    )
    assert (
        "计分方法：综合得分 =（投资完成率×50 + 节点按时率×30 + 按时报送率×20）÷ 参与计分的权重之和"
        in (progress)
    )
    county_ranking = document.annexes[2]
    assert county_ranking.title == "附件3：2026年上半年各县（区）综合排名"
    assert county_ranking.rows[2] == ("3", "凤庆县", "50.0%", "100.0%", "—", "70.13", "3")
    assert Weights().formula() in county_ranking.note
    assert "数据取自2026年1–6月已定稿月度通报" in county_ranking.note


def test_a_county_whose_gap_reads_zero_is_not_called_behind():
    problems = sections(hand_worked())["problems"]
    # 凤庆县 is 0.005 points behind: written 0.0, so only 云县 is named
    assert (
        "（一）投资进度不均衡。1个县（区）投资完成率低于序时进度（50.0%）：云县（低于25.0个百分点）。"
        in (problems)
    )
    assert "（二）月报报送不及时。上半年应报月报30份，未按时报送4份。" in problems
    assert "下半年要对照年度计划倒排工期" in sections(hand_worked())["next_steps"]


# --- the demo office: 2025 and 2026 frozen up to October ------------------------------------------------


def build(engine, year: int, span: str, **settings):
    with read_session(engine) as session:
        return span_document(
            session,
            actor=SYSTEM,
            year=year,
            span=span,
            settings=dispatch_settings(**settings) if settings else SETTINGS,
            today=TODAY,
        )


def payload(engine, period: date) -> dict:
    with read_session(engine) as session:
        return session.exec(
            select(PeriodSnapshot.payload).where(PeriodSnapshot.period == period)
        ).one()


def yi(wan: float) -> str:
    return f"{(Decimal(str(wan)) / 10000).quantize(Decimal('0.01'), rounding='ROUND_HALF_UP')}"


def pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'), rounding='ROUND_HALF_UP')}%"


def test_the_demo_half_year_reads_june_s_frozen_figures_against_june_last_year(demo_engine):
    june, june_before = (
        payload(demo_engine, date(2026, 6, 1)),
        payload(demo_engine, date(2025, 6, 1)),
    )
    done, plan = Decimal(str(june["totals"]["completed_ytd"])), june["totals"]["annual_plan"]
    before = Decimal(str(june_before["totals"]["completed_ytd"]))
    assert done > before  # the demo grows: this reads 同比增长
    document = build(demo_engine, 2026, "H1")
    overall = sections(document)["overall"]
    assert f"截至2026年6月底，90个重大项目累计完成投资{yi(float(done))}亿元" in overall
    assert f"占年度计划{yi(plan)}亿元" in overall
    assert (
        f"比上年同期（{yi(float(before))}亿元）增加{yi(float(done - before))}亿元，"
        f"同比增长{pct((done - before) / before)}" in overall
    )
    missed = [
        r["key"]
        for r in june["by_county"]
        if r["key"] in COUNTIES
        and Decimal(str(r["completed_ytd"])) * 2 < Decimal(str(r["annual_plan"]))
    ]
    reached = [
        r["key"] for r in june["by_county"] if r["key"] in COUNTIES and r["key"] not in missed
    ]
    assert missed and reached
    line = next(p for p in overall.split("\n") if "“双过半”" in p)
    assert f"任务未过半的县（区）{len(missed)}个：" in line
    named = line.split("任务未过半的县（区）")[1].split("。")[0]
    assert all(name in named for name in missed) and not any(name in named for name in reached)
    assert "未实现“双过半”" in line  # the demo completed less than half by June


def test_a_year_without_frozen_months_last_year_says_so_and_invents_nothing(demo_engine):
    document = build(demo_engine, 2025, "H1")
    assert "无上年同期数据，不作同比。" in sections(document)["overall"]
    for table in document.annexes[:2]:
        assert {row[6] for row in table.rows} == {"—"} and {row[7] for row in table.rows} == {"—"}


def test_the_year_names_the_months_not_frozen_and_reads_october(demo_engine):
    document = build(demo_engine, 2026, "Y")
    assert document.title == "2026年全年重大项目调度通报"
    assert document.status == "数据不全：11月、12月未定稿"
    overall = sections(document)["overall"]
    assert overall.startswith("截至2026年10月底，")
    assert "11月、12月尚未定稿（关账），本通报数据截至2026年10月底" in overall
    assert "2026年1–10月新开工项目" in overall
    assert document.annexes[2].title == "附件3：2026年度各县（区）考评结果"


def test_a_month_missing_inside_the_span_is_named_and_nothing_is_computed_live(demo_engine):
    before = build(demo_engine, 2026, "H1")
    with write_session(demo_engine) as session:  # the live tables change after the close
        session.exec(update(MonthlyReport).values(completed_ytd=0, completed_month=0))
    assert build(demo_engine, 2026, "H1") == before
    with write_session(demo_engine) as session:
        session.exec(delete(PeriodSnapshot).where(PeriodSnapshot.period == date(2026, 5, 1)))
    after = build(demo_engine, 2026, "H1")
    assert after.status == "数据不全：5月未定稿"
    assert "5月尚未定稿（关账），本通报数据截至2026年6月底" in sections(after)["overall"]
    assert sections(after)["overall"].split("\n")[0] == sections(before)["overall"].split("\n")[0]


def test_the_year_s_assessment_tables_are_the_annual_assessment_with_its_formula(demo_engine):
    document = build(demo_engine, 2025, "Y")
    assert document.status == ""
    with read_session(demo_engine) as session:
        assessment = annual_assessment(session, actor=SYSTEM, year=2025, settings=SETTINGS)
    counties, units = document.annexes[2], document.annexes[3]
    assert counties.title == "附件3：2025年度各县（区）考评结果"
    assert units.title == "附件4：2025年度各牵头单位考评结果"
    assert [(r[0], r[1], r[5]) for r in counties.rows] == [
        (str(r["rank"]), r["county"], f"{r['score']:.2f}") for r in assessment.counties["rows"]
    ]
    assert [r[1] for r in units.rows] == [r["unit"] for r in assessment.units["rows"]]
    assert assessment.counties["formula"] in counties.note
    assert "2025年度考评，各县（区）综合得分由高到低依次为：" in sections(document)["progress"]
    assert "用好考评结果" in sections(document)["next_steps"]


def test_a_span_with_no_frozen_month_is_refused_clearly(demo_engine):
    with pytest.raises(NotFound) as refused:
        build(demo_engine, 2024, "Q1")
    assert str(refused.value).startswith("2024年一季度还没有已定稿（关账）的月份")


def test_reading_a_span_bulletin_needs_the_bulletin_permission(demo_engine):
    with read_session(demo_engine) as session, pytest.raises(PermissionDenied):
        span_document(
            session, actor=ANONYMOUS, year=2026, span="H1", settings=SETTINGS, today=TODAY
        )


def test_the_annex_workbook_holds_each_table_with_numbers_showing_the_written_digits(demo_engine):
    document = build(demo_engine, 2026, "Q1")
    book = load_workbook(io.BytesIO(annex_workbook(document)))
    assert book.sheetnames == ["附件1", "附件2", "附件3", "附件4"]
    sheet = book["附件1"]
    assert sheet["A1"].value == "附件1：2026年一季度各县（区）重大项目投资完成情况"
    assert [c.value for c in sheet[3]][:5] == [c.label for c in document.annexes[0].columns][:5]
    first = document.annexes[0].rows[0]
    assert sheet["A4"].value == first[0]
    assert f"{sheet['C4'].value:.2f}" == first[2] and sheet["C4"].number_format == "0.00"
    assert f"{sheet['E4'].value * 100:.1f}%" == first[4] and sheet["E4"].number_format == "0.0%"
    last = 4 + len(document.annexes[0].rows) + 1
    assert sheet.cell(last, 1).value == document.annexes[0].note


def test_the_document_reads_in_english_with_the_same_digits():
    figures = span_figures(2026, SPANS["H1"], [month(6, THIS_H1, expected=30, on_time=26, first=1)])
    last = same_month_last_year([month(6, LAST_H1)], 6)
    document = draft(figures, last, ASSESSMENT, Style("yi", "Office", date(2026, 7, 10), "en"))
    assert document.title == "Major projects dispatch bulletin: the first half 2026"
    overall = sections(document)["overall"]
    assert overall.startswith(
        "By the end of June 2026, the 3 major projects had completed 1.05 (100 million yuan)"
    )
    assert "43.7% of the annual plan of 2.40; 6.3 points behind time progress (50.0%). " in overall
    assert "up 31.3% year on year; the completion rate is 3.3 points below" in overall
    assert "Counties not past half (2): 凤庆县 (49.995%), 云县 (25.0%)." in overall


def test_the_assessment_counts_the_months_through_the_span_s_end(demo_engine):
    with read_session(demo_engine) as session:
        half = annual_assessment(session, actor=SYSTEM, year=2026, settings=SETTINGS, through=6)
        year = annual_assessment(session, actor=SYSTEM, year=2026, settings=SETTINGS)
    assert half.months == [f"2026-{m:02d}" for m in range(1, 7)] and half.latest == "2026-06"
    assert year.latest == "2026-10" and len(year.months) == 10
    assert half.counties["rows"] != year.counties["rows"]


def test_the_span_s_报送_and_签发_lines_come_from_the_office_s_settings(demo_engine):
    document = build(
        demo_engine,
        2026,
        "Q1",
        BULLETIN_CC="市发展改革委",
        BULLETIN_SIGNER="李明",
        BULLETIN_EDITOR="",
    )
    assert ("抄送", "市发展改革委") in document.distribution
    assert ("签发", "李明") in document.signatures
    assert "编辑" not in dict(document.signatures)  # an empty setting is left out
