"""The input value rules, one table per kind of value (tracker/domain/inputs.py)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (the tables the rules are sized against)
from tracker.domain.inputs import (
    AMOUNT_CEILING,
    MAX_DATE,
    MIN_DATE,
    TEXT_RULES,
    ValueRefused,
    check_amount,
    check_text,
    label_of,
    parse_amount,
    parse_day,
    parse_percent,
    usable_amount,
    usable_date,
    usable_percent,
)

D = Decimal
LABEL = "本月完成投资"


@pytest.mark.parametrize(
    ("raw", "value", "noted"),
    [
        (None, None, False),
        ("", None, False),
        ("   ", None, False),
        ("\u3000", None, False),
        (0, D("0.00"), False),
        (12, D("12.00"), False),
        (12.5, D("12.50"), False),
        (0.1 + 0.2, D("0.30"), False),  # binary rounding of a spreadsheet formula
        (D("1234.56"), D("1234.56"), False),
        ("1234.56", D("1234.56"), False),
        ("+7", D("7.00"), False),
        ("5.", D("5.00"), False),
        (".5", D("0.50"), False),
        ("-0", D("0.00"), False),
        ("1.230", D("1.23"), False),  # trailing zeros are not decimals
        ("120万元", D("120.00"), False),
        ("120 万", D("120.00"), False),
        ("100000000", AMOUNT_CEILING, False),  # the ceiling itself
        ("１２３４．５", D("1234.50"), True),  # full-width digits
        ("1,234,567.8", D("1234567.80"), True),  # thousands separators
        ("1，234", D("1234.00"), True),  # a full-width comma as the separator
        ("1 234 567", D("1234567.00"), True),
    ],
)
def test_amounts_that_are_read(raw, value, noted):
    reading = parse_amount(raw, label=LABEL)
    assert reading.value == value
    assert bool(reading.note) is noted
    if noted:
        assert LABEL in reading.note and str(value.normalize() if value % 1 else int(value))


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("NaN", "不是有效数字"),
        ("nan", "不是有效数字"),
        ("Infinity", "不是有效数字"),
        ("-inf", "不是有效数字"),
        (float("nan"), "不是有效数字"),
        (float("inf"), "不是有效数字"),
        (D("NaN"), "不是有效数字"),
        (D("-Infinity"), "不是有效数字"),
        ("0x10", "不是十进制数字"),
        ("0b101", "不是十进制数字"),
        ("1e5", "科学计数法"),
        ("1E-400", "科学计数法"),
        ("2.5e+3", "科学计数法"),
        ("1e27", "科学计数法"),
        ("12,34", "不是数字"),  # not groups of three
        ("1.2.3", "不是数字"),
        ("abc", "不是数字"),
        ("一百", "不是数字"),
        (True, "不是数字"),
        ([1], "不是数字"),
        ("-5", "不能为负数"),
        (-0.01, "不能为负数"),
        (1e27, "超过上限"),
        ("100000000.01", "超过上限"),
        ("9" * 5000, "超过上限"),
        ("12.345", "最多保留两位小数"),
        (12.345, "最多保留两位小数"),
        (D("0.001"), "最多保留两位小数"),
    ],
)
def test_amounts_that_are_refused_say_which_field_and_why(raw, says):
    with pytest.raises(ValueRefused) as refused:
        parse_amount(raw, label=LABEL, field="completed_month")
    message = str(refused.value)
    assert LABEL in message and says in message
    assert refused.value.field == "completed_month"
    assert len(message) < 200  # a 5,000-digit value is not echoed whole


def test_the_ceiling_is_a_parameter():
    assert parse_amount("5000", label=LABEL, ceiling=D("5000")).value == D("5000.00")
    with pytest.raises(ValueRefused, match="超过上限 4,999"):
        parse_amount("5000", label=LABEL, ceiling=D("4999"))


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (None, None),
        ("", None),
        (0, 0.0),
        (100, 100.0),
        ("55.5%", 55.5),
        ("３０％", 30.0),
        (99.99, 99.99),
    ],
)
def test_percentages_that_are_read(raw, value):
    assert parse_percent(raw, label="形象进度").value == value


@pytest.mark.parametrize(
    "raw", [-1, 100.01, 1e9, "NaN", float("nan"), "1e2", "0x10", "12.345", "abc", [50]]
)
def test_percentages_that_are_refused(raw):
    with pytest.raises(ValueRefused, match="形象进度"):
        parse_percent(raw, label="形象进度")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (None, None),
        ("", None),
        ("2026-11-28", date(2026, 11, 28)),
        ("2026-11-28T00:00:00", date(2026, 11, 28)),
        ("2026-11-28 08:30:00", date(2026, 11, 28)),
        ("２０２６-１１-２８", date(2026, 11, 28)),
        (date(1990, 1, 1), MIN_DATE),
        (datetime(2100, 12, 31, 23, 59), MAX_DATE),
    ],
)
def test_days_that_are_read(raw, value):
    assert parse_day(raw, label="新的计划日期") == value


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("9999-12-31", "超出可填范围"),
        ("1989-12-31", "超出可填范围"),
        ("2101-01-01", "超出可填范围"),
        (date(1, 1, 1), "超出可填范围"),
        ("2026-02-30", "不是有效日期"),
        ("28/11/2026", "格式不正确"),
        ("2026-11-28x", "格式不正确"),
        (20261128, "格式不正确"),
        ({"date": "2026-11-28"}, "格式不正确"),
    ],
)
def test_days_that_are_refused(raw, says):
    with pytest.raises(ValueRefused, match=says) as refused:
        parse_day(raw, label="新的计划日期")
    assert "新的计划日期" in str(refused.value)


@pytest.mark.parametrize(
    ("rule", "raw", "stored"),
    [
        ("report.problems", None, ""),
        ("report.problems", "  资金未到位\r\n征地滞后  ", "资金未到位\n征地滞后"),
        ("report.problems", "\ufeff资金未到位", "资金未到位"),
        ("report.problems", "a\tb", "a\tb"),
        ("report.problems", "👷‍♀️ 施工中", "👷‍♀️ 施工中"),  # a joiner is not a control
        ("report.problems", "x" * 4000, "x" * 4000),
        ("report.reporter", "张三", "张三"),
        ("report.reporter", "李" * 50, "李" * 50),
        ("report.reporter", 123, "123"),
    ],
)
def test_text_that_is_stored(rule, raw, stored):
    assert check_text(raw, rule) == stored


@pytest.mark.parametrize(
    ("rule", "raw", "says"),
    [
        ("report.problems", "x" * 4001, "不能超过 4000 字（现为 4001 字）"),
        ("report.reporter", "李" * 51, "不能超过 50 字"),
        ("report.problems", "资金\x00未到位", "控制字符（第 3 个字符，U+0000）"),
        ("report.problems", "\x1b[31m红", "U+001B"),
        ("report.problems", "a\ud800b", "U+D800"),
        ("report.problems", "a\u202eb", "U+202E"),
        ("report.problems", "a\uffffb", "U+FFFF"),
        ("report.reporter", "张\n三", "只能填写一行"),
        ("report.reporter", "张\t三", "只能填写一行"),
        ("report.reporter", ["张三"], "格式不正确"),
        ("milestone.reason", "   ", "请填写调整原因"),
    ],
)
def test_text_that_is_refused(rule, raw, says):
    with pytest.raises(ValueRefused, match=re.escape(says)):
        check_text(raw, rule)


def test_every_text_rule_is_its_column_s_size():
    tables = SQLModel.metadata.tables
    for name, rule in TEXT_RULES.items():
        if not rule.column:
            continue
        table, column = rule.column.split(".")
        assert tables[table].c[column].type.length == rule.max_length, name


@pytest.mark.parametrize(
    ("value", "usable"),
    [
        (D("12.34"), D("12.34")),
        (0, D("0")),
        (12.5, D("12.5")),
        (D("Infinity"), None),
        (D("NaN"), None),
        (float("inf"), None),
        (D("1E+27"), None),
        (D("-1"), None),
        (None, None),
        ("abc", None),
    ],
)
def test_stored_amounts_that_can_be_computed_with(value, usable):
    assert usable_amount(value) == usable


def test_stored_dates_and_percentages_that_can_be_drawn():
    assert usable_date(date(2026, 1, 1)) == date(2026, 1, 1)
    assert usable_date(date(9999, 12, 31)) is None
    assert usable_date(date(1, 1, 1)) is None
    assert usable_percent(55.0) == 55.0
    assert usable_percent(float("nan")) is None
    assert usable_percent(float("inf")) is None
    assert usable_percent(150) is None


@pytest.mark.parametrize(
    ("refuse", "zh", "en"),
    [
        (
            lambda: parse_day("1989-12-31", label=label_of("milestone.name"), field="d"),
            "节点名称 1989-12-31 超出可填范围（1990-01-01 至 2100-12-31）",
            "Milestone name 1989-12-31 is outside the range that can be entered "
            "(1990-01-01 to 2100-12-31)",
        ),
        (
            lambda: check_text("a" * 41, "project.code", field="code"),
            "项目编号不能超过 40 字（现为 41 字）",
            "Project code may be at most 40 characters (it is 41)",
        ),
        (
            lambda: check_amount(-1, label=label_of("completed_month"), field="m"),
            "本月完成投资不能为负数（填报为 -1）",
            "Investment this month cannot be negative (given -1)",
        ),
    ],
)
def test_a_refusal_is_said_in_the_reader_s_language_and_keeps_its_field(refuse, zh, en):
    with pytest.raises(ValueRefused) as refusal:
        refuse()
    assert isinstance(refusal.value, ValueError)
    assert (str(refusal.value), refusal.value.render("en")) == (zh, en)
    assert refusal.value.field in {"d", "code", "m"}


def test_a_label_another_feature_passes_as_text_is_shown_as_written():
    with pytest.raises(ValueRefused) as refusal:
        parse_amount("1e3", label="金额")
    assert str(refusal.value).startswith("金额“1e3”用了科学计数法")
    assert refusal.value.render("en").startswith("金额 “1e3” is in scientific notation")


def test_what_was_normalised_is_said_in_either_language():
    reading = parse_amount("１２,345", label=label_of("completed_ytd"))
    assert reading.value == Decimal("12345.00")
    assert (
        reading.note
        == "年度累计完成投资“１２,345”按 12345 读取（全角字符已按半角读取，千位分隔符已去掉）"
    )
    assert reading.remark is not None
    assert reading.remark.render("en") == (
        "Investment this year to date “１２,345” read as 12345 "
        "(full-width characters read as half-width, thousands separators removed)"
    )
