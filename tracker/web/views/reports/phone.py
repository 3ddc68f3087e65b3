"""月报 on a phone (#18): the month's projects as cards, and a form for one project where
the grid cannot fit. The cards and the form read the grid's rows (the grid stays on the
page, hidden below the "sm" breakpoint), and a save sends that one row the way the grid
does (``rows.inputs_of``), so the service checks the same things."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.domain.reports import FIELDS, TEXT_FIELDS, field_label
from tracker.i18n import t
from tracker.web.payload import as_id
from tracker.web.plain import dcc, dmc, html
from tracker.web.views.reports.grid import STATUS_COLORS
from tracker.web.views.reports.ids import ReportsIds as Ids

_LIGHT_DOT = {"red": "light-dot-red", "amber": "light-dot-amber", "green": "light-dot-green"}
_LONG = {"progress_text", "milestone_status", "problems", "next_steps", "coordination"}


def _card(r: dict[str, Any], language: str) -> Any:
    pid = as_id(r.get("project_id"))
    editable = bool(r.get("editable"))
    card = dmc.Paper(
        [
            html.Div(
                [
                    html.Span(className=f"light-dot {_LIGHT_DOT.get(str(r.get('light')), '')}"),
                    html.Span(str(r.get("code") or ""), className="rp-card-code"),
                    dmc.Badge(
                        str(r.get("status_label") or ""),
                        color=STATUS_COLORS.get(str(r.get("state")), "gray"),
                        variant="light",
                        className="rp-card-status",
                    ),
                ],
                className="rp-card-head",
            ),
            html.Div(str(r.get("name") or ""), className="rp-card-name"),
            html.Div(str(r.get("message") or ""), className="rp-card-message")
            if r.get("message")
            else None,
            dmc.Button(
                t("phone.report_open" if editable else "phone.report_view", language),
                id={"type": Ids.PHONE_OPEN, "index": pid},
                variant="filled" if editable else "light",
                fullWidth=True,
                mt="xs",
                className="rp-card-open",
            ),
        ],
        withBorder=True,
        p="sm",
        className="rp-card",
    )
    # a data-* prop: the plain builders take none (Dash sends it after the named props)
    if isinstance(card, dict):
        card["props"]["data-project"] = str(pid)
    else:
        setattr(card, "data-project", str(pid))
    return card


def cards(row_data: Sequence[dict[str, Any]] | None, language: str) -> Any:
    """One card per project of the month: code, light, status, name, the last check."""
    rows = [r for r in row_data if isinstance(r, dict)] if isinstance(row_data, list) else []
    if not rows:
        return dmc.Text(t("phone.no_rows", language), c="dimmed")
    return [_card(r, language) for r in rows]


def _field(name: str, language: str) -> Any:
    label = field_label(name).render(language)
    label = label[:1].upper() + label[1:]  # "Investment this month" as a form's label
    pattern = {"type": Ids.PHONE_FIELD, "index": name}
    if name in _LONG:
        return dmc.Textarea(id=pattern, label=label, autosize=True, minRows=2, maxRows=8)
    if name in TEXT_FIELDS:
        return dmc.TextInput(id=pattern, label=label)
    return dmc.TextInput(  # read by the same value rules as the grid (full-width digits ...)
        id=pattern, label=label, inputProps={"inputMode": "decimal"}, autoComplete="off"
    )


def form_modal(language: str) -> Any:
    """The form for one project, the whole screen on a phone."""
    return dmc.Modal(
        [
            dcc.Store(id=Ids.PHONE_TARGET),
            dmc.Text(id=Ids.PHONE_NOTE, size="sm", c="dimmed", mb="xs"),
            dmc.Stack([_field(name, language) for name in FIELDS], gap="sm"),
            dmc.Text(t("phone.report_help", language), size="xs", c="dimmed", mt="xs"),
            dmc.Group(
                [
                    dmc.Button(
                        t("reports.save_draft", language), id=Ids.PHONE_SAVE, variant="light"
                    ),
                    dmc.Button(t("phone.submit", language), id=Ids.PHONE_SUBMIT, color="green"),
                ],
                grow=True,
                mt="md",
            ),
        ],
        id=Ids.PHONE_MODAL,
        opened=False,
        fullScreen=True,
        className="rp-phone-form",
    )


def find_row(row_data: Any, project_id: Any) -> dict[str, Any] | None:
    pid = as_id(project_id)
    if pid is None or not isinstance(row_data, list):
        return None
    return next(
        (r for r in row_data if isinstance(r, dict) and as_id(r.get("project_id")) == pid), None
    )


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_values(r: dict[str, Any]) -> list[str]:
    """The row's values in the form's order (``FIELDS``)."""
    return [_shown(r.get(name)) for name in FIELDS]


def form_note(r: dict[str, Any], language: str) -> str:
    """What the form says above its fields: locked, the office's reason, the last check."""
    if not r.get("editable"):
        return t("phone.report_locked", language)
    parts = [
        str(r.get("status_label") or ""),
        t(
            "phone.carried",
            language,
            ytd=f"{float(r.get('carried_ytd') or 0):,.2f}",
            plan=f"{float(r.get('annual_plan') or 0):,.2f}",
        ),
        str(r.get("return_comment") or ""),
        str(r.get("message") or ""),
    ]
    return " · ".join(p for p in parts if p)


def edited(r: dict[str, Any], names: Sequence[Any], values: Sequence[Any]) -> dict[str, Any]:
    """The row with what the form holds (fields by name; anything else is ignored)."""
    typed = {
        n: v
        for n, v in zip(names, values, strict=False)
        if isinstance(n, str) and n in FIELDS and (v is None or isinstance(v, str | int | float))
    }
    return {**r, **typed}
