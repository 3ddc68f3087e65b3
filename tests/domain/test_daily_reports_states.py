"""#19: what a monthly report row reads as, and when last month's progress text may not be
submitted. Pure rules (tracker.domain.reports)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tracker.domain.reports import (
    ReportState,
    carried_text,
    cites_figures,
    report_state,
    stale_progress_text,
)

DUE = date(2026, 11, 25)


@pytest.mark.parametrize(
    "facts, state",
    [
        (dict(status="new", today=date(2026, 11, 24)), ReportState("new")),
        (dict(status="new", today=date(2026, 11, 26)), ReportState("new", "overdue")),
        (dict(status="draft", today=date(2026, 11, 26)), ReportState("draft", "overdue")),
        (dict(status="returned", today=date(2026, 11, 26)), ReportState("returned", "overdue")),
        (
            dict(status="returned", draft_since_return=True, today=date(2026, 11, 26)),
            ReportState("returned_draft", "overdue"),
        ),
        (
            dict(status="returned", draft_since_return=True, today=date(2026, 11, 24)),
            ReportState("returned_draft"),
        ),
        (dict(status="submitted", late=True), ReportState("submitted", "late")),
        (
            dict(status="submitted", returned_before=True, submitted_on=date(2026, 11, 27)),
            ReportState("submitted", "late_resubmit"),
        ),
        (
            dict(status="submitted", returned_before=True, submitted_on=DUE),
            ReportState("submitted"),
        ),
        (  # an office correction of a never-returned report is not a resubmission
            dict(status="submitted", submitted_on=date(2026, 11, 27)),
            ReportState("submitted"),
        ),
        (  # the first submission's lateness wins
            dict(status="submitted", late=True, returned_before=True, submitted_on=DUE),
            ReportState("submitted", "late"),
        ),
    ],
)
def test_a_report_row_reads_as_what_happened_to_it(facts, state):
    facts = {"due_on": DUE, "period_open": True, **facts}
    assert report_state(**facts) == state


def test_a_closed_month_has_nothing_overdue():
    assert report_state(
        status="new", due_on=DUE, period_open=False, today=date(2026, 12, 8)
    ) == ReportState("new")


@pytest.mark.parametrize(
    "text, cites",
    [
        ("累计完成投资4215.25万元，形象进度15%", True),
        ("完成投资1,200万元", True),
        ("形象进度 30 ％", True),
        ("主体结构施工中", False),
        ("第3标段开工", False),
        ("", False),
    ],
)
def test_a_progress_text_quotes_figures(text, cites):
    assert cites_figures(text) is cites


LAST = "累计完成投资4215.25万元，形象进度15%"


def stale(text=LAST, total="4315.25", pct=18.0, last_text=LAST):
    return stale_progress_text(
        text=text,
        last_text=last_text,
        completed_total=Decimal(total),
        progress_pct=pct,
        last_total=Decimal("4215.25"),
        last_pct=15.0,
    )


def test_last_month_s_text_with_its_figures_under_new_figures_is_stale():
    assert stale()
    assert stale(total="4215.25")  # the progress moved
    assert stale(pct=15.0)  # the amount moved
    assert stale(text=f"  {LAST} ")  # spaces do not make it new


def test_text_that_was_edited_or_quotes_nothing_or_figures_that_did_not_move_is_fine():
    assert not stale(text="累计完成投资4315.25万元，形象进度18%")
    assert not stale(text="主体结构施工中", last_text="主体结构施工中")
    assert not stale(total="4215.25", pct=15.0)  # nothing moved: the text still holds
    assert not stale(last_text=None)  # a first report has no last month
    assert carried_text(LAST, LAST) and not carried_text(LAST, "")
