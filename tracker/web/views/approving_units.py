"""审批部门 page (/approvals, #17): per approving unit the steps in progress and overdue, the
average working days against the committed limit, a light, and its overdue items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.i18n import t
from tracker.services.approvals import OverdueStep, UnitRow
from tracker.web import ui


class UnitsIds:
    TABLE = "au-table"
    ITEMS = "au-items"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _unit_row(row: UnitRow, language: str) -> html.Tr:
    slower = (
        row.average_days is not None
        and row.limit_days is not None
        and row.average_days > row.limit_days
    )
    return html.Tr(
        [
            html.Td(html.B(row.approving_unit)),
            html.Td(ui.light_badge(row.light, language, size="sm")),
            html.Td(row.steps),
            html.Td(row.in_progress),
            html.Td(html.B(row.overdue) if row.overdue else 0),
            html.Td(row.late_to_submit),
            html.Td(row.done),
            html.Td(
                f"{_days(row.average_days)} / {_days(row.limit_days)}",
                className="units-slower" if slower else None,
            ),
        ],
        className=f"units-row units-{row.light.value}",
    )


def units_table(rows: Sequence[UnitRow], language: str) -> Any:
    if not rows:
        return dmc.Text(t("units.none", language), c="dimmed")
    head = [
        "units.unit",
        "units.light",
        "units.steps",
        "units.in_progress",
        "units.overdue",
        "units.late_to_submit",
        "units.done",
        "units.average",
    ]
    return dmc.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
            html.Tbody([_unit_row(r, language) for r in rows]),
        ],
        striped=True,
        highlightOnHover=True,
        id=UnitsIds.TABLE,
    )


def _item(item: OverdueStep, language: str) -> html.Tr:
    return html.Tr(
        [
            html.Td(
                dcc.Link(
                    f"{item.project_code} {item.project_name}",
                    href=f"/projects/{item.project_id}?step={item.step_id}",
                )
            ),
            html.Td(item.county),
            html.Td(item.step_name),
            html.Td(ui.day(item.due)),
            html.Td(t("units.days_over", language, days=item.days_over)),
            html.Td(" ".join(x for x in (item.contact_person, item.contact_phone) if x)),
        ]
    )


def overdue_items(rows: Sequence[UnitRow], language: str) -> list[Any]:
    """Per unit with overdue steps, the steps, the most overdue first (超时倒查)."""
    out: list[Any] = []
    head = [
        "units.project",
        "units.county",
        "units.step",
        "units.due",
        "units.over",
        "units.contact",
    ]
    for row in rows:
        if not row.overdue_items:
            continue
        out.append(
            ui.section(
                t("units.overdue_of", language, unit=row.approving_unit, n=len(row.overdue_items)),
                dmc.Table(
                    [
                        html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
                        html.Tbody([_item(i, language) for i in row.overdue_items]),
                    ],
                    striped=True,
                ),
                right=ui.light_badge(row.light, language, size="sm"),
                mt="md",
            )
        )
    return out


def page(rows: Sequence[UnitRow], language: str) -> html.Div:
    return html.Div(
        [
            ui.page_title(t("units.title", language), t("units.subtitle", language)),
            ui.section(t("units.table", language), units_table(rows, language)),
            html.Div(overdue_items(rows, language), id=UnitsIds.ITEMS),
        ],
        className="page page-approving-units",
    )
