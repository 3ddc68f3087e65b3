"""The drafting rules that a reader checks by hand: the 期号, the gap sentence against the
table's figure, 同比, and where a coordination item is placed."""

from datetime import date

import pytest

from tracker.domain.drafting import CAUSE_TEXT, cause_of, gap_phrase, issue_number, year_on_year
from tracker.domain.numbers import points


@pytest.mark.parametrize(
    ("period", "months", "first", "expected"),
    [
        (date(2026, 10, 1), [date(2026, m, 1) for m in range(1, 13)], 1, 10),
        (date(2026, 10, 1), [date(2026, m, 1) for m in range(2, 13)], 1, 9),  # 1–2月 merged
        (date(2026, 3, 1), [date(2026, m, 1) for m in range(1, 13)], 5, 7),
        (date(2026, 1, 1), [date(2025, 12, 1)], 1, 1),  # last year's months do not count
        (date(2026, 6, 1), [date(2026, 4, 1), date(2026, 5, 1)], 1, 3),  # not yet listed
    ],
)
def test_the_issue_number_counts_the_year_s_month_bulletins(period, months, first, expected):
    assert issue_number(period, months, first) == expected


@pytest.mark.parametrize(
    ("gap", "sentence", "table"),
    [
        (-3.15, "低于序时进度（83.3%）3.2个百分点", "-3.2"),
        (-3.149, "低于序时进度（83.3%）3.1个百分点", "-3.1"),
        (6.25, "高于序时进度（83.3%）6.3个百分点", "+6.3"),
        (-0.04, "与序时进度（83.3%）持平", "0.0"),
    ],
)
def test_the_gap_sentence_shows_the_table_s_digits(gap, sentence, table):
    assert gap_phrase(gap, 10 / 12) == sentence
    assert points(gap) == table


def test_year_on_year_against_hand_worked_figures():
    # 80.31 亿元 this year against 37.60 亿元: up 113.6%, 42.71 亿元 more
    text = year_on_year({"completed_ytd": 803117.42}, {"completed_ytd": 376000.00}, "yi")
    assert text == "同比：上年同期累计完成投资37.60亿元，本年增长113.6%（增加42.71亿元）。"
    down = year_on_year({"completed_ytd": 9000.0}, {"completed_ytd": 12000.0}, "wan")
    assert down == "同比：上年同期累计完成投资12000.00万元，本年下降25.0%（减少3000.00万元）。"


@pytest.mark.parametrize(
    ("row", "cause"),
    [
        ({"cause": "funds", "text": "请市自然资源局协调加快用地报批"}, "资金"),  # its own wins
        ({"cause": "other", "text": "请市自然资源局协调加快用地报批"}, "其他"),  # set by hand
        ({"cause": "", "text": "请市自然资源局协调加快用地报批"}, "用地"),  # frozen before causes
        ({"text": "征地拆迁协调难度大，涉及用地"}, "征拆"),
        ({"text": "请市生态环境局加快环评审批"}, "审批"),
        ({"text": "请市财政局协调省级专项资金拨付"}, "资金"),
        ({"text": "请供电局保障施工用电"}, "要素保障"),
        ({"text": "其他事项"}, "其他"),
        ({"cause": "未知", "text": "用地"}, "用地"),
    ],
)
def test_a_coordination_item_is_placed_by_its_cause(row, cause):
    assert CAUSE_TEXT[cause_of(row)] == cause
