"""The office's review: submitted reports (each may be returned), who has not reported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from tracker.i18n import t
from tracker.services.reports import ReportLine
from tracker.services.reports.page import PeriodInfo
from tracker.web import ui
from tracker.web.plain import dcc, dmc, html
from tracker.web.views.reports.ids import ReportsIds as Ids
from tracker.web.views.reports.month import line_state, state_label
from tracker.web.views.timefmt import local_time

_NUMERIC_HEADS = {"col.completed_month", "reports.col.ytd", "reports.col.progress_pct"}


def review_table(lines: Sequence[ReportLine], language: str, *, can_return: bool) -> Any:
    """Submitted reports, each with 退回 while the month is open."""
    submitted = [x for x in lines if x.status == "submitted"]
    if not submitted:
        return dmc.Text(t("reports.review_none", language), c="dimmed", size="sm")
    head = [
        "col.code",
        "col.name",
        "col.county",
        "col.lead_unit",
        "col.completed_month",
        "reports.col.ytd",
        "reports.col.progress_pct",
        "col.problems",
        "reports.col.submitted_at",
        "col.actions",
    ]
    body = []
    for x in submitted:
        when = local_time(x.submitted_at)
        body.append(
            html.Tr(
                [
                    html.Td(x.code, className="nowrap"),  # #19: never "LC-01-" / "01"
                    html.Td(x.name),
                    html.Td(x.county),
                    html.Td(x.lead_unit),
                    html.Td(ui.wan(x.values.completed_month), className="num"),
                    html.Td(ui.wan(x.values.completed_ytd), className="num"),
                    html.Td(
                        "—" if x.values.progress_pct is None else f"{x.values.progress_pct:.1f}",
                        className="num",
                    ),
                    html.Td(x.values.problems or "—", className="rp-text"),
                    html.Td(
                        [
                            html.Span(when),
                            dmc.Badge(t("report.late", language), color="orange", size="xs")
                            if x.late
                            else None,
                        ]
                    ),
                    html.Td(
                        dmc.Button(
                            t("reports.return", language),
                            id={"type": Ids.RETURN_OPEN, "index": x.project_id},
                            size="xs",
                            variant="light",
                            color="orange",
                            className="rp-return-button",
                        )
                        if can_return
                        else None
                    ),
                ],
                className="rp-review-row",
            )
        )
    return dmc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th(t(k, language), className="num" if k in _NUMERIC_HEADS else None)
                        for k in head
                    ]
                )
            ),
            html.Tbody(body),
        ],
        striped=True,
        highlightOnHover=True,
        withTableBorder=True,
        horizontalSpacing="sm",
        fz="sm",
        id=Ids.REVIEW_TABLE,
    )


def missing_list(
    lines: Sequence[ReportLine], period: PeriodInfo | None, language: str, *, today: date
) -> Any:
    """Who has not reported this month: by county, then each project and its state."""
    missing = [x for x in lines if x.status != "submitted"]
    if not missing:
        return dmc.Alert(t("reports.all_reported", language), color="green", variant="light")
    counts: dict[str, int] = {}
    for x in missing:
        counts[x.county] = counts.get(x.county, 0) + 1
    summary = dmc.Group(
        [
            dmc.Badge(f"{county} {n}", variant="outline", color="gray")
            for county, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ],
        gap=6,
        mb="sm",
    )
    head = ["col.code", "col.name", "col.county", "col.lead_unit", "col.report_status"]
    table = dmc.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(x.code),
                            html.Td(x.name),
                            html.Td(x.county),
                            html.Td(x.lead_unit),
                            html.Td(state_label(line_state(x, period, today), language)),
                        ]
                    )
                    for x in missing
                ]
            ),
        ],
        striped=True,
        withTableBorder=True,
        horizontalSpacing="sm",
        fz="sm",
        id=Ids.MISSING_TABLE,
    )
    return html.Div(
        [dmc.Text(t("reports.missing_n", language, n=len(missing)), fw=500, mb=4), summary, table]
    )


def return_modal(language: str) -> Any:
    return dmc.Modal(
        [
            dmc.Text(id=Ids.RETURN_WHAT, fw=500, mb="xs"),
            dmc.Textarea(
                id=Ids.RETURN_COMMENT,
                inputProps={"maxLength": 2000},
                label=t("reports.return_comment", language),
                placeholder=t("reports.return_placeholder", language),
                autosize=True,
                minRows=3,
            ),
            dmc.Group(
                dmc.Button(
                    t("reports.return_confirm", language),
                    id=Ids.RETURN_CONFIRM,
                    color="orange",
                ),
                justify="flex-end",
                mt="md",
            ),
            dcc.Store(id=Ids.RETURN_TARGET),
        ],
        id=Ids.RETURN_MODAL,
        title=t("reports.return_title", language),
        opened=False,
        size="lg",
    )


def return_target(line: ReportLine) -> dict[str, Any]:
    return {
        "project_id": line.project_id,
        "period": line.period.isoformat(),
        "version": line.version,
    }
