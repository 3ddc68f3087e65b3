"""问题台账: the problems and coordination items raised by monthly reports, with filters,
ageing colours, and the item panel (edit, 销号 with a note, reopen, the 督办单)."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import html

from tracker import palette
from tracker.domain.duban import CAUSES
from tracker.domain.places import PLACES
from tracker.domain.rules import Light
from tracker.i18n import t
from tracker.services.ledger import KINDS, LEVELS, LedgerLine
from tracker.web import ui

AGE_ORDER = {Light.RED: 0, Light.AMBER: 1, Light.GREEN: 2}
ANY = ""  # the filters' "all" choice


class LedgerIds:
    STATUS = "lg-status"
    KIND = "lg-kind"
    LEVEL = "lg-level"
    COUNTY = "lg-county"
    COUNT = "lg-count"
    GRID = "lg-grid"
    REFRESH = "lg-refresh"  # Store: bumped after a change
    PANEL = "lg-panel"
    ITEM = "lg-item"  # Store: {"id", "version"} of the selected item
    OWNER = "lg-owner"
    DUE = "lg-due"
    LEVEL_EDIT = "lg-level-edit"
    TEXT = "lg-text"
    SAVE = "lg-save"
    NOTE = "lg-note"
    CLOSE = "lg-close"
    REOPEN = "lg-reopen"
    ITEM_TEXT = "lg-item-text"
    PROJECT_LEDGER = "pj-ledger"
    CAUSE = "lg-cause"  # the cause filter
    CAUSE_EDIT = "lg-cause-edit"
    DUBAN_DOCX = "lg-duban-docx"
    DUBAN_PDF = "lg-duban-pdf"
    DOWNLOAD = "lg-download"


def _choices(prefix: str, values: Sequence[str], language: str, all_key: str) -> list[dict]:
    return [{"value": ANY, "label": t(all_key, language)}] + [
        {"value": v, "label": t(f"{prefix}.{v}", language)} for v in values
    ]


def filter_bar(language: str, *, county: str | None, count: str = "") -> dmc.Group:
    return dmc.Group(
        [
            dmc.SegmentedControl(
                id=LedgerIds.STATUS,
                data=_choices("ledger.status", ("open", "closed"), language, "ledger.all"),
                value="open",
            ),
            dmc.Select(
                id=LedgerIds.KIND,
                data=_choices("ledger.kind", KINDS, language, "ledger.all_kinds"),
                value=ANY,
                w=150,
                allowDeselect=False,
            ),
            dmc.Select(
                id=LedgerIds.LEVEL,
                data=_choices("ledger.level", LEVELS, language, "ledger.all_levels"),
                value=ANY,
                w=150,
                allowDeselect=False,
            ),
            dmc.Select(
                id=LedgerIds.CAUSE,
                data=_choices("ledger.cause", CAUSES, language, "ledger.all_causes"),
                value=ANY,
                w=150,
                allowDeselect=False,
            ),
            dmc.Select(
                id=LedgerIds.COUNTY,
                data=[{"value": ANY, "label": t("filter.all_counties", language)}]
                + [{"value": p, "label": p} for p in PLACES],
                value=county or ANY,
                w=150,
                allowDeselect=False,
            ),
            dmc.Text(count, id=LedgerIds.COUNT, size="sm", c="dimmed"),
        ],
        gap="sm",
        mb="sm",
    )


def filters(
    status: Any, kind: Any, level: Any, county: Any, cause: Any = None
) -> dict[str, str | None]:
    """The service's keyword filters from the controls (blank or unknown means all)."""
    return {
        "status": status if status in ("open", "closed") else None,
        "kind": kind if kind in KINDS else None,
        "level": level if level in LEVELS else None,
        "county": county if county in PLACES else None,
        "cause": cause if cause in CAUSES else None,
    }


def owner_label(owner: str, language: str) -> str:
    """The responsible unit, or 待明确 while nobody is named (the office must name one)."""
    return owner or t("ledger.owner_unknown", language)


def subject(data: dict[str, Any]) -> SimpleNamespace:
    """What the permission check reads of a row's project: its county and lead unit."""
    return SimpleNamespace(county=data.get("county"), lead_unit=data.get("lead_unit"))


def age_label(line: LedgerLine, language: str) -> str:
    if line.item.status == "closed":
        return t("ledger.status.closed", language)
    return t(f"ledger.age.{line.ageing.value}", language)


def row(line: LedgerLine, language: str) -> dict[str, Any]:
    item = line.item
    return {
        "row_id": str(line.id),
        "item_id": line.id,
        "version": item.version,
        "id": item.project_id,  # the project link uses the project's id
        "code": line.project_code,
        "name": line.project_name,
        "county": line.county,
        "lead_unit": line.lead_unit,
        "kind": item.kind,
        "kind_label": t(f"ledger.kind.{item.kind}", language),
        "text": item.text,
        "owner": item.owner,
        "owner_label": owner_label(item.owner, language),
        "cause": item.cause,
        "cause_label": t(f"ledger.cause.{item.cause}", language),
        "duban_number": item.duban_number,
        "level": item.level,
        "level_label": t(f"ledger.level.{item.level}", language),
        "status": item.status,
        "status_label": t(f"ledger.status.{item.status}", language),
        "raised_on": ui.day(item.raised_on),
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "days_open": line.days_open,
        "age": line.ageing.value,
        "age_order": AGE_ORDER[line.ageing],
        "age_label": age_label(line, language),
        "closed_on": item.closed_on.isoformat() if item.closed_on else None,
        "close_note": item.close_note,
    }


def rows(lines: Sequence[LedgerLine], language: str) -> list[dict[str, Any]]:
    return [row(x, language) for x in lines]


def count_label(lines: Sequence[LedgerLine], language: str) -> str:
    red = sum(1 for x in lines if x.item.status == "open" and x.ageing is Light.RED)
    return t("ledger.count", language, n=len(lines), red=red)


COLUMNS = (
    ("age_label", "ledger.col.age", 100),
    ("code", "col.code", 100),
    ("name", "col.name", 200),
    ("county", "col.county", 90),
    ("kind_label", "ledger.col.kind", 110),
    ("text", "ledger.col.text", 300),
    ("cause_label", "ledger.col.cause", 100),
    ("owner_label", "ledger.col.owner", 140),
    ("level_label", "ledger.col.level", 110),
    ("raised_on", "ledger.col.raised_on", 110),
    ("due_date", "ledger.col.due_date", 110),
    ("days_open", "ledger.col.days_open", 90),
    ("status_label", "ledger.col.status", 90),
    ("close_note", "ledger.col.close_note", 220),
)


# #19 clipping: a coded column is as wide as its longest label in the language shown
CODED = {
    "kind_label": ("ledger.kind.problem", "ledger.kind.coordination"),
    "level_label": tuple(f"ledger.level.{v}" for v in LEVELS),
    "cause_label": tuple(f"ledger.cause.{c}" for c in CAUSES),
    "status_label": ("ledger.status.open", "ledger.status.closed"),
}
CELL_PADDING = 36  # a grid cell's padding and border (px)


def column_defs(language: str) -> list[dict[str, Any]]:
    defs = []
    for field, label, base in COLUMNS:
        width = base
        if field in CODED:
            longest = max(ui.fits(t(key, language)) for key in CODED[field])
            width = max(base, longest + CELL_PADDING, ui.fits(t(label, language)) + CELL_PADDING)
        d: dict[str, Any] = {
            "field": field,
            "colId": field,
            "headerName": t(label, language),
            "width": width,
            "sortable": True,
            "resizable": True,
            "tooltipField": field if field in {"text", "close_note", "name"} else None,
        }
        if field == "age_label":
            d["cellClassRules"] = {
                "lg-age-red": "params.data.status == 'open' && params.data.age == 'red'",
                "lg-age-amber": "params.data.status == 'open' && params.data.age == 'amber'",
                "lg-age-green": "params.data.status == 'closed' || params.data.age == 'green'",
            }
            d["sortable"] = False
            d["pinned"] = "left"
        if field == "name":
            d["cellRenderer"] = "ProjectLink"
        if field == "owner_label":  # 待明确: the office has to name the unit
            d["cellClassRules"] = {"lg-owner-missing": "!params.data.owner"}
        if field == "days_open":
            d["type"] = "rightAligned"
        defs.append({k: v for k, v in d.items() if v is not None})
    return defs


def grid(row_data: list[dict[str, Any]], language: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=LedgerIds.GRID,
        rowData=row_data,
        columnDefs=column_defs(language),
        getRowId="params.data.row_id",
        dashGridOptions={
            "rowSelection": {
                "mode": "singleRow",
                "enableClickSelection": True,
                "checkboxes": False,
            },
            "rowHeight": 36,
            "animateRows": False,
            "suppressColumnVirtualisation": True,
            "tooltipShowDelay": 300,
            "localeText": {"noRowsToShow": t("ledger.none", language)},
        },
        className="ag-theme-quartz lg-grid",
        style={"height": "460px", "width": "100%"},
    )


def panel(
    data: dict[str, Any] | None,
    language: str,
    *,
    can_edit: bool,
    can_close: bool,
    can_issue: bool = False,
) -> Any:
    """The selected item: its facts, then what the user may do with it."""
    if not data:
        return dmc.Text(t("ledger.select_hint", language), c="dimmed", size="sm")
    closed = data.get("status") == "closed"
    owner = str(data.get("owner") or "")
    facts = dmc.Stack(
        [
            dmc.Group(
                [
                    dmc.Badge(str(data.get("kind_label", "")), variant="light"),
                    dmc.Badge(str(data.get("level_label", "")), variant="outline", color="gray"),
                    dmc.Badge(str(data.get("cause_label", "")), variant="outline", color="gray"),
                    dmc.Badge(
                        str(data.get("age_label", "")),
                        color=palette.light_colour(str(data.get("age")) if not closed else "green"),
                        autoContrast=True,
                        variant="filled",
                    ),
                ],
                gap=6,
            ),
            dmc.Text(f"{data.get('code', '')} {data.get('name', '')}", fw=600, size="sm"),
            dmc.Text(
                str(data.get("text", "")), size="sm", className="lg-text", id=LedgerIds.ITEM_TEXT
            ),
            dmc.Text(
                f"{t('ledger.col.owner', language)}：{owner_label(owner, language)}"
                + (f"（{t('ledger.owner_hint', language)}）" if not owner and not closed else ""),
                size="sm",
                **({"c": "orange"} if not owner else {}),
            ),
            dmc.Text(
                t(
                    "ledger.facts",
                    language,
                    raised=data.get("raised_on") or "—",
                    due=data.get("due_date") or "—",
                    days=data.get("days_open", 0),
                ),
                size="xs",
                c="dimmed",
            ),
            dmc.Text(str(data.get("close_note") or ""), size="sm", c="dimmed", className="lg-text")
            if data.get("close_note")
            else None,
        ],
        gap=6,
    )
    controls: list[Any] = []
    if can_edit and not closed:
        due = data.get("due_date")
        controls.append(
            dmc.Stack(
                [
                    dmc.Textarea(
                        id=LedgerIds.TEXT,
                        inputProps={"maxLength": 4000},
                        label=t("ledger.col.text", language),
                        value=str(data.get("text", "")),
                        autosize=True,
                        minRows=2,
                    ),
                    dmc.Group(
                        [
                            dmc.TextInput(
                                id=LedgerIds.OWNER,
                                inputProps={"maxLength": 100},
                                label=t("ledger.col.owner", language),
                                value=owner,
                                placeholder=t("ledger.owner_unknown", language),
                                error=not owner,
                                w=200,
                            ),
                            dmc.Select(
                                id=LedgerIds.CAUSE_EDIT,
                                label=t("ledger.col.cause", language),
                                data=[
                                    {"value": c, "label": t(f"ledger.cause.{c}", language)}
                                    for c in CAUSES
                                ],
                                value=data.get("cause"),
                                allowDeselect=False,
                                w=130,
                            ),
                            dmc.DateInput(
                                id=LedgerIds.DUE,
                                label=t("ledger.col.due_date", language),
                                value=due,
                                valueFormat="YYYY-MM-DD",
                                w=160,
                            ),
                            dmc.Select(
                                id=LedgerIds.LEVEL_EDIT,
                                label=t("ledger.col.level", language),
                                data=[
                                    {"value": v, "label": t(f"ledger.level.{v}", language)}
                                    for v in LEVELS
                                ],
                                value=data.get("level"),
                                disabled=not can_close,
                                allowDeselect=False,
                                w=180,
                            ),
                        ],
                        gap="sm",
                        align="flex-end",
                    ),
                    dmc.Group(
                        dmc.Button(t("ledger.save", language), id=LedgerIds.SAVE, variant="light"),
                        justify="flex-end",
                    ),
                ],
                gap="xs",
                mt="sm",
            )
        )
    if can_close:
        controls.append(
            dmc.Stack(
                [
                    dmc.Textarea(
                        id=LedgerIds.NOTE,
                        inputProps={"maxLength": 2000},
                        label=t("ledger.reopen_note" if closed else "ledger.close_note", language),
                        placeholder=t("ledger.note_placeholder", language),
                        autosize=True,
                        minRows=2,
                    ),
                    dmc.Group(
                        dmc.Button(
                            t("ledger.reopen" if closed else "ledger.close", language),
                            id=LedgerIds.REOPEN if closed else LedgerIds.CLOSE,
                            color="orange" if closed else "green",
                        ),
                        justify="flex-end",
                    ),
                ],
                gap="xs",
                mt="sm",
            )
        )
    if can_issue and not closed:
        controls.append(duban_buttons(data, language))
    if not controls:
        controls.append(dmc.Text(t("ledger.read_only", language), size="xs", c="dimmed", mt="sm"))
    return html.Div([facts, *controls])


def duban_buttons(data: dict[str, Any], language: str) -> Any:
    """The office prints the item's 督办单 (its 文号 is given on the first download)."""
    number = str(data.get("duban_number") or "")
    return dmc.Group(
        [
            dmc.Text(number, size="xs", c="dimmed") if number else None,
            dmc.Button(
                t("ledger.duban.docx", language),
                id=LedgerIds.DUBAN_DOCX,
                variant="outline",
                size="xs",
            ),
            dmc.Button(
                t("ledger.duban.pdf", language),
                id=LedgerIds.DUBAN_PDF,
                variant="outline",
                size="xs",
            ),
        ],
        justify="flex-end",
        gap="xs",
        mt="sm",
    )


def open_items_table(lines: Sequence[LedgerLine], language: str) -> Any:
    """A project's open items (the project page)."""
    if not lines:
        return dmc.Text(t("ledger.project_none", language), c="dimmed", size="sm")
    head = ["ledger.col.age", "ledger.col.kind", "ledger.col.text", "ledger.col.owner"]
    head += ["ledger.col.level", "ledger.col.raised_on", "ledger.col.due_date"]
    return dmc.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(
                                dmc.Badge(
                                    age_label(x, language),
                                    color=ui.LIGHT_MANTINE[x.ageing],
                                    variant="light",
                                )
                            ),
                            html.Td(t(f"ledger.kind.{x.item.kind}", language)),
                            html.Td(x.item.text, className="lg-text"),
                            html.Td(owner_label(x.item.owner, language)),
                            html.Td(t(f"ledger.level.{x.item.level}", language)),
                            html.Td(ui.day(x.item.raised_on)),
                            html.Td(ui.day(x.item.due_date)),
                        ]
                    )
                    for x in lines
                ]
            ),
        ],
        striped=True,
        withTableBorder=True,
        fz="sm",
        id=LedgerIds.PROJECT_LEDGER,
        className="lg-items",
    )
