"""#19: the slip legend calls one slip one slip, and only a run of two or more "running"."""

from datetime import date

import pytest

from tracker.gantt.slip import slip_trend_figure
from tracker.i18n import gantt_labels

MONTHS = [date(2026, m, 1) for m in (8, 9, 10, 11)]


def _history(name: str, planned: list[date]) -> list[tuple[date, str, date]]:
    return [(m, name, p) for m, p in zip(MONTHS, planned, strict=True)]


@pytest.mark.parametrize(
    "language,planned,said",
    [
        ("zh", [date(2027, 1, 1)] * 3 + [date(2027, 2, 1)], "（最近一个月推迟）"),
        ("en", [date(2027, 1, 1)] * 3 + [date(2027, 2, 1)], " (slipped in the latest month)"),
        ("zh", [date(2027, 1, 1)] * 2 + [date(2027, 2, 1), date(2027, 3, 1)], "（连续2个月推迟）"),
        (
            "en",
            [date(2027, 1, 1)] * 2 + [date(2027, 2, 1), date(2027, 3, 1)],
            " (slipped 2 months running)",
        ),
        ("en", [date(2027, 1, 1)] * 4, ""),
    ],
)
def test_the_legend_says_what_happened(language, planned, said):
    figure = slip_trend_figure(_history("竣工验收", planned), labels=gantt_labels(language))
    assert figure.data[0].name == "竣工验收" + said
    assert "1个月" not in figure.data[0].name and "1 months" not in figure.data[0].name
