"""The month: the picker's options, the month's dates and counts, what a row's state reads as."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from tracker.domain.periods import month_label
from tracker.domain.reports import (
    ReportState,
    report_state,
)
from tracker.i18n import t
from tracker.services.cycle import period_label
from tracker.services.reports import ReportLine
from tracker.services.reports.page import PeriodInfo
from tracker.web import ui
from tracker.web.plain import dmc, html
from tracker.web.views.reports.ids import ReportsIds as Ids
from tracker.web.views.timefmt import local_day

# #19: a state's qualifier and the catalogue key it reads as
QUALIFIERS = {
    "overdue": "report.status.overdue",
    "late": "report.late",
    "late_resubmit": "reports.state.late_resubmit",
}


def _period_name(p: PeriodInfo, language: str) -> str:
    """2026年10月, or 2026年1–2月 when January and February report as one (#10)."""
    return period_label(p) if language == "zh" else month_label(p.period, language)


def month_options(periods: Sequence[PeriodInfo], language: str) -> list[dict[str, str]]:
    """The month picker: newest first, each with its state."""
    return [
        {
            "value": p.period.isoformat(),
            "label": f"{_period_name(p, language)} · {t(f'period.status.{p.status}', language)}",
        }
        for p in sorted(periods, key=lambda p: p.period, reverse=True)
    ]


def line_state(line: ReportLine, period: PeriodInfo | None, today: date) -> ReportState:
    """What a report row reads as (the rule is tracker.domain.reports.report_state)."""
    return report_state(
        status=line.status,
        late=line.late,
        returned_before=line.returned_before,
        draft_since_return=line.reworked,
        submitted_on=line.submitted_on,
        due_on=period.due_on if period is not None else None,
        period_open=period is not None and period.status == "open",
        today=today,
    )


def state_label(state: ReportState, language: str) -> str:
    """已退回 · 逾期, 草稿 · 已退回, 已报送 · 逾期重报 …"""
    base = (
        "reports.state.returned_draft"
        if state.base == "returned_draft"
        else f"report.status.{state.base}"
    )
    label = t(base, language)
    if state.qualifier in QUALIFIERS:
        return f"{label} · {t(QUALIFIERS[state.qualifier], language)}"
    return label


def returned_notice(lines: Sequence[ReportLine], language: str) -> Any:
    """#19: the reports the office sent back, each with its reason, above the grid."""
    returned = [x for x in lines if x.status == "returned"]
    if not returned:
        return None
    return dmc.Alert(
        html.Ul(
            [
                html.Li(
                    [
                        html.B(f"{x.code} {x.name}"),
                        html.Span(" — "),
                        html.Span(
                            t("reports.returned_because", language, reason=x.return_comment or "—"),
                            className="rp-returned-reason",
                        ),
                        html.Span(
                            t("reports.returned_reworked", language) if x.reworked else "",
                            className="rp-returned-reworked",
                        ),
                    ],
                    className="rp-returned-item",
                )
                for x in returned
            ],
            className="rp-message-list",
        ),
        title=t("reports.returned_title", language, n=len(returned)),
        color="orange",
        variant="light",
        id=Ids.RETURNED,
        mt="xs",
    )


def period_info(
    period: PeriodInfo | None, lines: Sequence[ReportLine], language: str, *, today: date
) -> Any:
    """The month's dates, how many are submitted, and the lock notice once it is closed."""
    if period is None:
        return dmc.Alert(t("reports.no_period", language), color="gray", variant="light")
    done = sum(1 for line in lines if line.status == "submitted")
    badges = dmc.Group(
        [
            dmc.Badge(
                t(f"period.status.{period.status}", language),
                color={"open": "green", "closed": "gray"}.get(period.status, "blue"),
                variant="light",
                id=Ids.PERIOD_STATUS,
            ),
            dmc.Text(
                t(
                    "reports.dates",
                    language,
                    opens=ui.day(period.opens_on),
                    due=ui.day(period.due_on),
                    closes=ui.day(period.closes_on),
                ),
                size="sm",
                c="dimmed",
            ),
            dmc.Text(
                t("reports.progress", language, done=done, total=len(lines)),
                size="sm",
                fw=500,
                id=Ids.COUNT,
            ),
        ],
        gap="sm",
    )
    notice: Any = None
    if period.status == "closed":
        notice = dmc.Alert(
            t(
                "reports.locked_notice",
                language,
                month=month_label(period.period, language),
                # the day it closed: the office may compile before the close day (立即生成)
                date=ui.day(local_day(period.closed_at) or period.closes_on),
            ),
            title=t("report.locked", language),
            color="gray",
            variant="light",
            id=Ids.LOCKED,
            mt="xs",
        )
    elif period.status != "open":
        notice = dmc.Alert(
            t("reports.not_open", language, date=ui.day(period.opens_on)),
            color="blue",
            variant="light",
            id=Ids.LOCKED,
            mt="xs",
        )
    elif today > period.due_on and done < len(lines):
        notice = dmc.Alert(
            t("reports.past_due", language, due=ui.day(period.due_on), n=len(lines) - done),
            color="orange",
            variant="light",
            mt="xs",
        )
    return html.Div([badges, notice, returned_notice(lines, language)])
