"""A message stored as JSON reads back the same, in either language (#13)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from tracker.domain.messages import Message, msg, stored_message
from tracker.domain.reports import field_label, report_change, unusable_notice


def _through_json(message: Message) -> Message:
    return Message.from_dict(json.loads(json.dumps(message.to_dict())))


@pytest.mark.parametrize(
    "message",
    [
        msg("report.no_period_for", period=date(2026, 3, 1)),
        msg(
            "report.check.ytd_sum",
            last=Decimal("1.5"),
            month=Decimal("2"),
            expected=Decimal("3.5"),
            given=Decimal("4"),
        ),
        msg("report.check.amount_missing", field=field_label("completed_month")),
        unusable_notice([("completed_month", "inf"), ("progress_pct", "nan")]),
        msg("import_job.crashed", error="ValueError: 坏文件"),
        report_change("completed_month", Decimal("101"), Decimal("150")),
        report_change("problems", "旧", "新"),
        msg("row.error_at_row", sheet="清单", row=5, column="", field="", message=msg("x.y")),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_message_through_json_renders_as_before(message, lang):
    again = _through_json(message)
    assert again.render(lang) == message.render(lang)
    assert type(again) is type(message)


def test_dates_decimals_and_moments_come_back_as_themselves():
    moment = datetime(2026, 3, 20, 8, 30)
    again = _through_json(msg("k", day=date(2026, 3, 1), amount=Decimal("0.10"), at=moment))
    assert dict(again.params) == {"day": date(2026, 3, 1), "amount": Decimal("0.10"), "at": moment}


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("工作表“清单”第5行：不是数字", "工作表“清单”第5行：不是数字"),  # a row written before
        (None, ""),
        ({"no": "key"}, "{'no': 'key'}"),
    ],
)
def test_a_stored_plain_text_stays_as_written(stored, shown):
    assert stored_message(stored) == shown
