"""The monthly report's rules (tracker.domain.reports), as tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tracker.domain.reports import (
    FIELDS,
    Carried,
    LastReport,
    default_month,
    field_label,
    is_overdue,
    missed_reports,
    overwrite_allowed,
    submission_problems,
    unusable_notice,
)

DUE = date(2026, 11, 25)


@pytest.mark.parametrize(
    "status, period_open, today, overdue",
    [
        ("new", True, date(2026, 11, 26), True),
        ("draft", True, date(2026, 11, 26), True),
        ("returned", True, date(2026, 12, 1), True),
        ("new", True, DUE, False),  # the due day itself
        ("new", True, date(2026, 11, 24), False),
        ("submitted", True, date(2026, 11, 28), False),
        ("draft", False, date(2026, 12, 8), False),  # the month is closed
    ],
)
def test_a_report_is_overdue_only_while_open_unsubmitted_and_past_due(
    status, period_open, today, overdue
):
    assert is_overdue(status=status, period_open=period_open, due_on=DUE, today=today) is overdue


@pytest.mark.parametrize(
    "status, office, allowed",
    [
        ("draft", False, True),
        ("returned", False, True),
        ("new", False, True),
        ("submitted", False, False),
        ("submitted", True, True),
    ],
)
def test_only_the_office_overwrites_a_submitted_report(status, office, allowed):
    assert overwrite_allowed(status, office=office) is allowed


def _months(*months: int) -> list[tuple[date, date]]:
    return [(date(2026, m, 1), date(2026, m, 1)) for m in months]


@pytest.mark.parametrize(
    "reported, begins, finished, missed",
    [
        ({9, 10, 11}, date(2026, 1, 1), None, 0),
        ({9, 10}, date(2026, 1, 1), None, 1),
        ({9}, date(2026, 1, 1), None, 2),
        (set(), date(2026, 1, 1), None, 3),
        (set(), date(2026, 10, 15), None, 2),  # September is before the start: not counted
        (set(), date(2026, 12, 1), None, 0),  # not begun yet
        (set(), date(2026, 1, 1), date(2026, 10, 31), 2),  # finished: November not expected
        ({11}, None, None, 0),
        ({10}, None, None, 1),  # a gap after the last report counts, older ones do not
    ],
)
def test_missed_reports_count_the_latest_months_in_a_row(reported, begins, finished, missed):
    months = _months(9, 10, 11)
    done = {date(2026, m, 1) for m in reported}
    assert missed_reports(months, done, begins=begins, finished=finished) == missed


@pytest.mark.parametrize(
    "months, current, chosen",
    [
        ([date(2026, 10, 1), date(2026, 11, 1)], date(2026, 10, 1), date(2026, 10, 1)),
        ([date(2026, 10, 1), date(2026, 11, 1)], None, date(2026, 11, 1)),
        ([date(2026, 10, 1)], date(2026, 11, 1), date(2026, 10, 1)),  # not made yet: latest
        ([], date(2026, 11, 1), None),
    ],
)
def test_the_page_opens_on_the_current_month_else_the_latest(months, current, chosen):
    assert default_month(months, current) == chosen


GOOD = dict(
    completed_month=D("10"),
    completed_ytd=D("110"),
    completed_total=D("510"),
    progress_pct=40.0,
    progress_text="主体施工",
    reporter="张三",
    problems_text="",
    carried=Carried(ytd=D("100"), total=D("500"), has_previous=True),
    last=None,
    red=False,
)


@pytest.mark.parametrize(
    "change, fields",
    [
        ({}, []),
        ({"progress_text": ""}, ["progress_text"]),
        ({"reporter": ""}, ["reporter"]),
        ({"red": True}, ["problems"]),
        ({"red": True, "problems_text": "征地"}, []),
        ({"completed_ytd": D("999")}, ["completed_ytd"]),
        ({"completed_total": D("1")}, ["completed_total"]),
        ({"completed_month": None}, ["completed_month"]),
        ({"progress_pct": None}, ["progress_pct"]),
        (  # last month's text quoting figures that no longer hold
            {
                "progress_text": "累计完成 500万元",
                "last": LastReport("累计完成 500万元", D("500"), 40.0),
            },
            ["progress_text"],
        ),
        (  # the same text is fine when it quotes no figure
            {"progress_text": "主体施工", "last": LastReport("主体施工", D("500"), 40.0)},
            [],
        ),
    ],
)
def test_a_submission_is_checked_field_by_field(change, fields):
    problems = submission_problems(**(GOOD | change))
    assert [p.field for p in problems] == fields
    for p in problems:  # each in both languages, English without Chinese
        assert p.render("zh") and p.render("en") and p.render("en") != p.render("zh")


def test_every_report_field_has_a_label_in_both_languages():
    for name in FIELDS:
        label = field_label(name)
        assert label.render("zh") != label.render("en") != label.key


def test_stored_values_that_cannot_be_used_are_named_in_the_reader_s_language():
    assert unusable_notice([]) == ""
    notice = unusable_notice([("completed_month", "inf"), ("progress_pct", "nan")])
    assert str(notice) == "原存储的本月完成投资（inf）、形象进度（nan）无法使用，请重新填写"
    english = notice.render("en")
    assert "investment this month (inf), physical progress (nan)" in english
    assert not any("\u4e00" <= c <= "\u9fff" for c in english)
