from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.messages import Message
from tracker.excel.headers import Field, classify_header
from tracker.excel.values import (
    ValueProblem,
    normalize_county,
    parse_amount,
    parse_date,
    parse_milestone_text,
    parse_period,
    unit_factor,
)

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    ("value", "start", "finish"),
    [
        (date(2022, 3, 15), date(2022, 3, 15), date(2022, 3, 15)),
        (datetime(2022, 3, 15, 8, 30), date(2022, 3, 15), date(2022, 3, 15)),
        (44635, date(2022, 3, 15), date(2022, 3, 15)),  # Excel serial number
        (44635.0, date(2022, 3, 15), date(2022, 3, 15)),
        ("44635", date(2022, 3, 15), date(2022, 3, 15)),
        ("2022.03", date(2022, 3, 1), date(2022, 3, 31)),
        ("2022.3", date(2022, 3, 1), date(2022, 3, 31)),
        ("2022年3月", date(2022, 3, 1), date(2022, 3, 31)),
        ("2022年03月份", date(2022, 3, 1), date(2022, 3, 31)),
        ("2022-3", date(2022, 3, 1), date(2022, 3, 31)),
        ("2022/3", date(2022, 3, 1), date(2022, 3, 31)),
        ("202203", date(2022, 3, 1), date(2022, 3, 31)),
        ("2022/3/15", date(2022, 3, 15), date(2022, 3, 15)),
        ("2022-03-15", date(2022, 3, 15), date(2022, 3, 15)),
        ("2022.3.15", date(2022, 3, 15), date(2022, 3, 15)),
        ("2022年3月15日", date(2022, 3, 15), date(2022, 3, 15)),
        ("20220315", date(2022, 3, 15), date(2022, 3, 15)),
        ("2022-03-15 00:00:00", date(2022, 3, 15), date(2022, 3, 15)),
        ("２０２２年３月", date(2022, 3, 1), date(2022, 3, 31)),
        ("2022年2月底", date(2022, 2, 28), date(2022, 2, 28)),
        ("2024年2月底前", date(2024, 2, 29), date(2024, 2, 29)),
        ("2022年3月上旬", date(2022, 3, 1), date(2022, 3, 10)),
        ("2022年3月下旬", date(2022, 3, 21), date(2022, 3, 31)),
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022年", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022年底", date(2022, 12, 31), date(2022, 12, 31)),
        ("2022年上半年", date(2022, 1, 1), date(2022, 6, 30)),
        ("2022年下半年", date(2022, 7, 1), date(2022, 12, 31)),
        ("2022年第三季度", date(2022, 7, 1), date(2022, 9, 30)),
        (2022, date(2022, 1, 1), date(2022, 12, 31)),  # a year typed as a number
        (2022.03, date(2022, 3, 1), date(2022, 3, 31)),  # 2022.03 typed as a number
        (2022.1, date(2022, 10, 1), date(2022, 10, 31)),  # 2022.10 loses its 0 in Excel
        ("", None, None),
        ("-", None, None),
        ("无", None, None),
    ],
)
def test_dates_are_read_the_way_offices_write_them(
    value: object, start: date | None, finish: date | None
) -> None:
    assert parse_date(value) == start
    assert parse_date(value, end_of_period=True) == finish


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2022年13月", "无法识别的日期：2022年13月"),
        ("2022/2/30", "无法识别的日期：2022/2/30"),
        ("明年三月", "无法识别的日期：明年三月"),
        (15, "无法识别的日期：15"),
        ("1800年3月", "日期年份不合理"),
        (True, "无法识别的日期"),
    ],
)
def test_a_date_that_cannot_be_read_says_what_was_written(value: object, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-2023", (date(2021, 1, 1), date(2023, 12, 31))),
        ("2021—2023年", (date(2021, 1, 1), date(2023, 12, 31))),
        ("2021年-2023年", (date(2021, 1, 1), date(2023, 12, 31))),
        ("2021～2023", (date(2021, 1, 1), date(2023, 12, 31))),
        ("2021.03-2023.06", (date(2021, 3, 1), date(2023, 6, 30))),
        ("2021年3月至2023年6月", (date(2021, 3, 1), date(2023, 6, 30))),
        ("2022", (date(2022, 1, 1), date(2022, 12, 31))),
        (2022, (date(2022, 1, 1), date(2022, 12, 31))),
        ("", None),
    ],
)
def test_a_construction_period_gives_its_first_and_last_day(
    value: object, expected: tuple[date, date] | None
) -> None:
    assert parse_period(value) == expected


def test_a_period_written_as_a_duration_is_refused_with_an_example() -> None:
    with pytest.raises(ValueProblem, match="2021-2023"):
        parse_period("3年")


@pytest.mark.parametrize(
    ("value", "factor", "expected"),
    [
        (1500, 1, Decimal("1500.00")),
        (1500.5, 1, Decimal("1500.50")),
        (0.1 + 0.2, 1, Decimal("0.30")),
        ("1500", 1, Decimal("1500.00")),
        ("1,500.00", 1, Decimal("1500.00")),
        ("12,345,678.9", 1, Decimal("12345678.90")),
        ("１，５００．００", 1, Decimal("1500.00")),
        (" 1 500 ", 1, Decimal("1500.00")),
        ("1.2亿元", 1, Decimal("12000.00")),
        ("1.2亿", 1, Decimal("12000.00")),
        ("1500万元", 10000, Decimal("1500.00")),  # the unit in the cell wins
        (1.2, 10000, Decimal("12000.00")),  # the column is in 亿元
        ("0.15", 10000, Decimal("1500.00")),
        (15000000, Decimal("0.0001"), Decimal("1500.00")),  # the column is in 元
        (12345, Decimal("0.0001"), Decimal("1.23")),  # 元: rounded to the cent of 万元
        ("100000000", 1, Decimal("100000000.00")),  # the ceiling itself
        ("", 1, None),
        ("-", 1, None),
        ("/", 1, None),
    ],
)
def test_amounts_become_wan_yuan_with_two_decimals(
    value: object, factor: Decimal | int, expected: Decimal | None
) -> None:
    assert parse_amount(value, factor=Decimal(factor)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "金额不能为负数：-5"),
        (-1.5, "金额不能为负数"),
        ("1,50", "无法识别的金额：1,50"),
        ("约1500", "无法识别的金额：约1500"),
        ("1500美元", "无法识别的金额"),
        (date(2022, 1, 1), "无法识别的金额"),
        ("1.005", "最多保留两位小数"),  # refused, not rounded behind the user's back
        ("NaN", "无法识别的金额：NaN"),
        ("Infinity", "无法识别的金额：Infinity"),
        (float("nan"), "无法识别的金额"),
        (float("inf"), "无法识别的金额"),
        ("0x10", "不是十进制数字"),
        ("1e5", "科学计数法"),
        ("1E-400", "科学计数法"),
        (1e27, "超过上限"),
        ("1.5亿亿元", "无法识别的金额"),
        ("100000000.01", "超过上限"),
        ("2亿元", None),  # 20000 万元: fine
    ],
)
def test_an_amount_that_cannot_be_read_says_what_was_written(value: object, message: str) -> None:
    if message is None:
        assert parse_amount(value) is not None
        return
    with pytest.raises(ValueProblem, match=message):
        parse_amount(value)


def test_the_amount_ceiling_is_the_caller_s_setting_and_normalising_is_said() -> None:
    assert parse_amount("20000", ceiling=Decimal("20000")) == Decimal("20000.00")
    with pytest.raises(ValueProblem, match="超过上限"):
        parse_amount("2.0001亿元", ceiling=Decimal("20000"))
    notes: list[Message] = []
    assert parse_amount("１，５００", notes=notes) == Decimal("1500.00")
    assert parse_amount("1500", notes=notes) == Decimal("1500.00")
    assert parse_amount(12345, factor=Decimal("0.0001"), notes=notes) == Decimal("1.23")
    assert len(notes) == 2 and "1500" in str(notes[0]) and "1.23" in str(notes[1])
    assert notes[0].render("en").startswith("Amount “１，５００” read as 1500")


@pytest.mark.parametrize(
    "value",
    [date(9999, 12, 31), date(1989, 12, 31), "9999-12-31", "1900年1月", 15.0, float("nan")],
)
def test_a_date_outside_1990_to_2100_is_refused(value: object) -> None:
    with pytest.raises(ValueProblem):
        parse_date(value)


@pytest.mark.parametrize(
    ("written", "county"),
    [
        ("临翔区", "临翔区"),
        ("临翔", "临翔区"),
        ("凤庆县", "凤庆县"),
        ("云县", "云县"),
        ("永德县", "永德县"),
        ("镇康县", "镇康县"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江县"),
        ("双江县", "双江县"),
        ("耿马傣族佤族自治县", "耿马县"),
        ("沧源佤族自治县", "沧源县"),
        ("临沧市耿马傣族佤族自治县", "耿马县"),
        ("云南省临沧市临翔区", "临翔区"),
        ("耿马县孟定镇", "耿马县"),
        ("临翔区南美乡、博尚镇", "临翔区"),
        (" 沧 源 县 ", "沧源县"),
        ("市直", "市直"),
        ("市本级", "市直"),
        ("全市", "市直"),
        ("市级", "市直"),
        ("临沧市", "市直"),
    ],
)
def test_counties_are_normalised_to_their_short_names(written: str, county: str) -> None:
    assert normalize_county(written) == county


def test_an_unknown_county_lists_the_accepted_ones() -> None:
    with pytest.raises(ValueProblem, match="无法识别的县（区）：大理市；应为临翔区、凤庆县"):
        normalize_county("大理市")


def test_a_location_across_two_counties_asks_for_one_or_the_city() -> None:
    with pytest.raises(ValueProblem, match="包含多个县（区）"):
        normalize_county("双江县、耿马县")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "完成前期手续（2022年3月）；开工建设（2022年6月）",
            [("完成前期手续", date(2022, 3, 31)), ("开工建设", date(2022, 6, 30))],
        ),
        (
            "完成前期手续(2022.03)、开工建设(2022.06)",
            [("完成前期手续", date(2022, 3, 31)), ("开工建设", date(2022, 6, 30))],
        ),
        (
            "1.完成前期手续（2022年3月）\n2.开工建设（2022年6月15日）",
            [("完成前期手续", date(2022, 3, 31)), ("开工建设", date(2022, 6, 15))],
        ),
        (
            "2022年3月完成前期手续；2022年6月底前开工建设",
            [("完成前期手续", date(2022, 3, 31)), ("开工建设", date(2022, 6, 30))],
        ),
        (
            "完成前期手续：2022.03，开工建设：2022.06",
            [("完成前期手续", date(2022, 3, 31)), ("开工建设", date(2022, 6, 30))],
        ),
        ("完成立项、环评（2022年3月）", [("完成立项、环评", date(2022, 3, 31))]),
        ("一期工程完工（2022年）", [("一期工程完工", date(2022, 12, 31))]),
        ("", []),
    ],
)
def test_milestones_written_as_text_are_split_into_names_and_dates(
    text: str, expected: list[tuple[str, date]]
) -> None:
    assert parse_milestone_text(text) == expected


def test_a_milestone_without_a_date_is_named_in_the_message() -> None:
    with pytest.raises(ValueProblem, match="节点“竣工验收”缺少计划时间"):
        parse_milestone_text("开工建设（2022年6月）；竣工验收")


@pytest.mark.parametrize(
    ("header", "field", "number"),
    [
        ("项目名称", Field.NAME, None),
        ("项 目", Field.NAME, None),
        ("*项目名称", Field.NAME, None),
        ("计划总投资（万元）", Field.TOTAL_INVESTMENT, None),
        ("项目总投资(亿元)", Field.TOTAL_INVESTMENT, None),
        ("总投资\n（万元）", Field.TOTAL_INVESTMENT, None),
        ("县（区）", Field.COUNTY, None),
        ("所在县区", Field.COUNTY, None),
        ("实施地点", Field.COUNTY, None),
        ("牵头部门", Field.LEAD_UNIT, None),
        ("配合单位", Field.RESPONSIBLE_UNITS, None),
        ("联系人", Field.CONTACT_PERSON, None),
        ("电话", Field.CONTACT_PHONE, None),
        ("建设内容及规模", Field.SCOPE, None),
        ("项目性质", Field.NATURE, None),
        ("开工时间", Field.PLANNED_START, None),
        ("竣工时间", Field.PLANNED_FINISH, None),
        ("项目代码", Field.CODE, None),
        ("重点领域", Field.AREA, None),
        ("所属举措", Field.MEASURE, None),
        ("建设年限", Field.PERIOD, None),
        ("2022年计划投资（万元）", Field.ANNUAL_PLAN, 2022),
        ("2023年度计划投资", Field.ANNUAL_PLAN, 2023),
        ("计划投资2024年", Field.ANNUAL_PLAN, 2024),
        ("节点3", Field.MILESTONE_NAME, 3),
        ("节点三名称", Field.MILESTONE_NAME, 3),
        ("节点3计划时间", Field.MILESTONE_DATE, 3),
        ("节点名称", Field.MILESTONE_NAME, None),
        ("节点时间", Field.MILESTONE_DATE, None),
        ("主要节点", Field.MILESTONES_TEXT, None),
        ("截至2021年底累计完成投资", Field.COMPLETED_BEFORE, 2021),
    ],
)
def test_header_wording_varies_but_names_the_same_field(
    header: str, field: Field, number: int | None
) -> None:
    match = classify_header(header)
    assert match is not None and (match.field, match.number) == (field, number)


@pytest.mark.parametrize(
    "header", ["临沧市重大项目清单", "单位：万元", "2021年完成投资", "累计完成投资"]
)
def test_text_that_is_not_a_field_is_not_taken_for_one(header: str) -> None:
    assert classify_header(header) is None


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("总投资（万元）", 1),
        ("总投资(亿元)", 10000),
        ("单位：元", Decimal("0.0001")),
        ("总投资", None),
    ],
)
def test_units_in_headers_give_the_factor_to_wan_yuan(text: str, factor: object) -> None:
    assert unit_factor(text) == (Decimal(factor) if factor is not None else None)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- properties

DAY_FORMATS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d:%Y%m%d}",
    lambda d: f"{d.isoformat()} 00:00:00",
    lambda d: f"{d.year}年{d.month}月{d.day}日".translate(FULL_WIDTH),
    lambda d: d,
    lambda d: datetime(d.year, d.month, d.day),
    lambda d: (d - date(1899, 12, 30)).days,  # Excel serial number
]
MONTH_FORMATS = [
    lambda d: f"{d.year}.{d.month:02d}",
    lambda d: f"{d.year}.{d.month}",
    lambda d: f"{d.year}年{d.month}月",
    lambda d: f"{d.year}-{d.month}",
    lambda d: f"{d.year}/{d.month:02d}",
    lambda d: f"{d.year}{d.month:02d}",
    lambda d: f"{d.year}年{d.month}月".translate(FULL_WIDTH),
]
plan_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(day=plan_dates, write=st.sampled_from(DAY_FORMATS))
def test_any_date_written_in_a_supported_way_reads_back_as_itself(day: date, write) -> None:  # type: ignore[no-untyped-def]
    assert parse_date(write(day)) == day
    assert parse_date(write(day), end_of_period=True) == day


@given(day=plan_dates, write=st.sampled_from(MONTH_FORMATS))
def test_a_month_reads_as_its_first_day_for_a_start_and_last_day_for_a_finish(
    day: date,
    write,  # type: ignore[no-untyped-def]
) -> None:
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    assert parse_date(write(day)) == day.replace(day=1)
    assert parse_date(write(day), end_of_period=True) == last


amounts = st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False)


@given(amount=amounts)
def test_any_amount_with_thousands_separators_reads_back_as_itself(amount: Decimal) -> None:
    assert parse_amount(f"{amount:,.2f}") == amount
    assert parse_amount(f"{amount:,.2f}".translate(FULL_WIDTH).replace(",", "，")) == amount
    assert parse_amount(f"{amount:.2f}") == amount


@given(amount=amounts)
def test_any_amount_in_yi_yuan_converts_exactly_to_wan_yuan(amount: Decimal) -> None:
    in_yi = amount / 10000
    assert parse_amount(f"{in_yi:f}亿元") == amount
    assert parse_amount(f"{in_yi:f}", factor=Decimal(10000)) == amount


def test_the_year_s_sources_disagreeing_is_said_in_either_language() -> None:
    from tracker.excel.years import resolve_year

    chosen, warnings = resolve_year(
        given=2023, titles=["临沧市2022年重大项目清单"], sheet="清单", header_years=[]
    )
    assert chosen is not None and chosen.year == 2023 and chosen.source == "导入时指定"
    assert [str(w) for w in warnings] == [
        "标题“临沧市2022年重大项目清单”写的是2022年，本年度按2023年（导入时指定）处理"
    ]
    assert warnings[0].render("en") == (
        "the title “临沧市2022年重大项目清单” says 2022; "
        "the current year is taken as 2023 (given at import)"
    )


def test_a_cell_problem_is_said_in_either_language() -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_milestone_text("开工建设（2022年13月）")
    assert str(problem.value) == "节点“开工建设”：计划时间无法识别：2022年13月（月份应为1～12）"
    assert problem.value.render("en") == (
        "Milestone “开工建设”: unrecognised planned date: 2022年13月 (the month should be 1 to 12)"
    )
