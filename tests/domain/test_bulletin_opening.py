"""#14: the month the bulletin page opens on — the month in reporting if a report has been
submitted for it, else the latest 定稿, else the latest month there is."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.bulletin import default_month

SEP, OCT, NOV, DEC = (date(2026, m, 1) for m in (9, 10, 11, 12))


@pytest.mark.parametrize(
    "months, in_reporting, reported, finals, opens",
    [
        # November in reporting with reports in: November, though October is final
        ([DEC, NOV, OCT, SEP], NOV, True, [SEP, OCT], NOV),
        # November opened today, nothing reported yet: the latest 定稿, not 0 reported
        ([DEC, NOV, OCT, SEP], NOV, False, [SEP, OCT], OCT),
        # finals in any order: the latest
        ([NOV, OCT, SEP], NOV, False, [OCT, SEP], OCT),
        # no 定稿 yet (a new office): the latest month there is
        ([DEC, NOV], NOV, False, [], DEC),
        # a scheduled December exists but is not in reporting: never opened on by itself
        ([DEC, NOV, OCT], NOV, True, [OCT], NOV),
        # nothing in reporting (before the first period opened): the latest 定稿
        ([NOV, OCT], None, False, [OCT], OCT),
        # the month in reporting has no bulletin (no period stored for it): the latest 定稿
        ([OCT, SEP], NOV, True, [SEP, OCT], OCT),
        # no months at all: nothing to open
        ([], NOV, False, [], None),
    ],
)
def test_the_page_opens_on_the_month_in_reporting_with_data_else_the_latest_final(
    months, in_reporting, reported, finals, opens
):
    assert (
        default_month(months, in_reporting=in_reporting, reported=reported, finals=finals) == opens
    )
