"""协调事项与督办 rules (#14): the cause and the unit read from an item's text, the 督办
level by age and missed deadlines, the 文号."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.services.dispatch_helpers import dispatch_settings
from tracker.domain.duban import (
    cause_from_text,
    duban_number,
    known_units,
    level_for,
    owner_from_text,
)


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("项目用地指标未落实", "land"),
        ("林地报批未完成，影响进场", "land"),
        ("土地组卷报批滞后", "land"),
        ("中央预算内资金尚未拨付", "funds"),
        ("项目融资困难", "funds"),
        ("施工许可证未办理", "approval"),
        ("可研批复尚未取得", "approval"),
        ("环评手续仍在办理", "approval"),
        ("征地拆迁推进缓慢", "demolition"),
        ("部分群众拆迁补偿未谈妥", "demolition"),
        ("施工用电、用水未接通", "factors"),
        ("砂石材料价格上涨", "factors"),
        ("要素保障不足", "factors"),
        # the earliest word decides: the text leads with its subject
        ("用地审批手续未办结", "land"),
        ("资金未到位导致征地滞后", "funds"),
        ("审批后用地仍未落实", "approval"),
        # 征地 is 征拆, not 用地
        ("征地补偿款未兑付", "demolition"),
        ("设计方案反复修改", "other"),
        ("", "other"),
    ],
)
def test_the_cause_is_the_first_subject_the_text_names(text, cause):
    assert cause_from_text(text) == cause


UNITS = ["市科技局", "市自然资源和规划局", "市自然资源局", "市生态环境局", "临沧市生态环境局"]


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("请市生态环境局加快环评审批", "市生态环境局"),
        ("协调市自然资源和规划局解决用地指标", "市自然资源和规划局"),  # the longest
        ("请市自然资源局、市生态环境局联合会商", "市自然资源局"),  # the first named
        ("请临沧市生态环境局加快审批", "临沧市生态环境局"),
        ("请 市 生态环境局 支持", "市生态环境局"),  # spaces in typed text
        ("请上级部门协调资金", ""),  # no known unit: to be named by the office
        ("", ""),
    ],
)
def test_the_owner_is_the_known_unit_the_text_names(text, owner):
    assert owner_from_text(text, UNITS) == owner


def test_known_units_are_the_lead_units_then_the_setting_each_once():
    assert known_units(
        ["市科技局", "市水务局", "市科技局", ""], "市财政局，市水务局、 市林草局;x"
    ) == [
        "市科技局",
        "市水务局",
        "市财政局",
        "市林草局",
    ]


@dataclass
class It:
    level: str = "office"
    raised_on: date = date(2026, 3, 1)
    due_date: date | None = None
    level_by_hand_on: date | None = None
    status: str = "open"


S = dispatch_settings(DUBAN_LEVEL2_DAYS=30, DUBAN_LEVEL3_DAYS=60)
NO_DUE = dispatch_settings(
    DUBAN_LEVEL2_DAYS=30, DUBAN_LEVEL3_DAYS=60, DUBAN_MISSED_DUE_ESCALATES=False
)
MARCH_1 = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("item", "today", "settings", "level"),
    [
        # by age: 30 days -> level 2, 60 days -> level 3 (raised 1 March)
        (It(), date(2026, 3, 30), S, "office"),  # 29 days
        (It(), date(2026, 3, 31), S, "city"),  # 30 days
        (It(), date(2026, 4, 29), S, "city"),  # 59 days
        (It(), date(2026, 4, 30), S, "mayor"),  # 60 days
        (It(), date(2027, 1, 1), S, "mayor"),  # never above 3
        # a missed deadline adds one level (the day after it)
        (It(due_date=date(2026, 3, 10)), date(2026, 3, 10), S, "office"),
        (It(due_date=date(2026, 3, 10)), date(2026, 3, 11), S, "city"),
        (It(due_date=date(2026, 3, 10)), date(2026, 3, 31), S, "mayor"),  # 30 days + missed
        (It(due_date=date(2026, 3, 10)), date(2026, 3, 11), NO_DUE, "office"),  # setting off
        # never lowers: an item already higher keeps its level
        (It(level="mayor"), date(2026, 3, 2), S, "mayor"),
        (It(level="city", due_date=date(2026, 12, 1)), date(2026, 3, 2), S, "city"),
        # set by hand on 1 May: age counts from that day, never below the hand level
        (It(level="office", level_by_hand_on=date(2026, 5, 1)), date(2026, 5, 20), S, "office"),
        (It(level="office", level_by_hand_on=date(2026, 5, 1)), date(2026, 5, 31), S, "city"),
        (It(level="mayor", level_by_hand_on=date(2026, 5, 1)), date(2026, 5, 2), S, "mayor"),
        # ... and only a deadline passing after it counts as missed
        (
            It(level="office", due_date=date(2026, 4, 1), level_by_hand_on=date(2026, 5, 1)),
            date(2026, 5, 2),
            S,
            "office",
        ),
        (
            It(level="office", due_date=date(2026, 5, 10), level_by_hand_on=date(2026, 5, 1)),
            date(2026, 5, 11),
            S,
            "city",
        ),
        # a closed item keeps its level
        (It(status="closed"), date(2027, 1, 1), S, "office"),
    ],
)
def test_level_for_escalates_by_age_and_missed_deadlines(item, today, settings, level):
    assert level_for(item, today, settings) == level


def test_the_number_reads_as_a_文号():
    assert duban_number("临示办", 2026, 7) == "临示办督〔2026〕7号"
