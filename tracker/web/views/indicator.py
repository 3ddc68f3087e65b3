"""An indicator's page (#16): its light and reasons, what it is, its trend against target,
the values entered and their review, the projects it is linked to; the entry form for the
unit responsible and the review controls for the office."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.indicators import Frequency
from tracker.i18n import describe_reason, t
from tracker.services.indicators import IndicatorDetail, ValueRow
from tracker.web import figures, ui
from tracker.web.views.timefmt import local_time


class IndicatorIds:
    BODY = "ix-body"
    INDICATOR = "ix-indicator"  # Store: the indicator's id
    REFRESH = "ix-refresh"  # Store: bumped after a change
    LIGHT = "ix-light"
    TREND = "ix-trend"
    VALUES = "ix-values"
    PROJECTS = "ix-projects"
    # entry (the responsible unit, the office)
    ENTRY = "ix-entry"
    PERIOD = "ix-period"
    VALUE = "ix-value"
    SOURCE = "ix-source"
    NOTE = "ix-note"
    REASON = "ix-reason"
    EVIDENCE = "ix-evidence"
    EVIDENCE_NAME = "ix-evidence-name"
    SUBMIT = "ix-submit"
    ENTRY_ERROR = "ix-entry-error"
    # review (the office)
    REVIEW = "ix-review"
    REVIEW_PICK = "ix-review-pick"  # which submitted value: "<value id>:<version>"
    NAME = "ix-name"
    EVIDENCE_GET = "ix-evidence-get"  # pattern: {"type": EVIDENCE_GET, "index": value id}
    EVIDENCE_FILE = "ix-evidence-file"  # the download
    REASONS = "ix-reasons"
    STORED = "ix-stored"  # Store: the values entered, by period (what the form fills in)
    COMMENT = "ix-comment"
    ACCEPT = "ix-accept"
    RETURN = "ix-return"


def facts_table(rows: Sequence[tuple[str, Any]]) -> html.Table:
    """(label, value) lines of what the indicator is."""
    return html.Table(
        html.Tbody([html.Tr([html.Th(label), html.Td(value)]) for label, value in rows]),
        className="ind-facts",
    )


def trend(fig: figures.Figure) -> dcc.Graph:
    return dcc.Graph(
        id=IndicatorIds.TREND,
        figure=fig,
        config=figures.CONFIG,
        responsive=True,
        style={"height": figures.height(fig)},
        className="chart",
    )


def entry_form(
    periods: Sequence[tuple[str, str]],
    chosen: str | None,
    language: str,
    filled: dict[str, Any] | None = None,
) -> dmc.Paper:
    """The unit's form: a period (value, label), the value, its source and note, a reason
    when an accepted value is changed, evidence. The office reviews what is submitted."""
    return ui.section(
        t("indv.entry", language),
        dmc.Text(t("indv.entry_hint", language), size="xs", c="dimmed", mb="xs"),
        dmc.Stack(
            [
                dmc.Group(
                    [
                        dmc.Select(
                            id=IndicatorIds.PERIOD,
                            label=t("indv.period", language),
                            data=[{"value": v, "label": label} for v, label in periods],
                            value=chosen,
                            w=160,
                            allowDeselect=False,
                        ),
                        dmc.TextInput(
                            id=IndicatorIds.VALUE,
                            value=(filled or {}).get("value", ""),
                            label=t("indv.value", language),
                            w=160,
                            inputProps={"maxLength": 40, "inputMode": "decimal"},
                        ),
                        dmc.TextInput(
                            id=IndicatorIds.SOURCE,
                            value=(filled or {}).get("source", ""),
                            label=t("indv.value_source", language),
                            w=260,
                            inputProps={"maxLength": 200},
                        ),
                    ],
                    gap="sm",
                    align="flex-end",
                ),
                dmc.Textarea(
                    id=IndicatorIds.NOTE,
                    value=(filled or {}).get("note", ""),
                    label=t("indv.note", language),
                    autosize=True,
                    minRows=2,
                    inputProps={"maxLength": 2000},
                ),
                dmc.TextInput(
                    id=IndicatorIds.REASON,
                    label=t("indv.reason", language),
                    inputProps={"maxLength": 2000},
                ),
                dmc.Group(
                    [
                        dcc.Upload(
                            dmc.Button(
                                t("indv.evidence_pick", language), variant="default", size="sm"
                            ),
                            id=IndicatorIds.EVIDENCE,
                            multiple=False,
                        ),
                        dmc.Text(id=IndicatorIds.EVIDENCE_NAME, size="sm", c="dimmed"),
                    ],
                    gap="sm",
                ),
                dmc.Text(id=IndicatorIds.ENTRY_ERROR, c="red", size="sm"),
                dmc.Button(t("indv.submit", language), id=IndicatorIds.SUBMIT, w=120),
            ],
            gap="xs",
        ),
        id=IndicatorIds.ENTRY,
    )


def review_panel(pending: Sequence[tuple[str, str]], language: str) -> dmc.Paper:
    """The office's controls: which submitted value ("<id>:<version>", label), a comment,
    accept or return."""
    first = pending[0][0] if pending else None
    return ui.section(
        t("indv.review", language),
        dmc.Stack(
            [
                dmc.Select(
                    id=IndicatorIds.REVIEW_PICK,
                    data=[{"value": v, "label": label} for v, label in pending],
                    value=first,
                    allowDeselect=False,
                    w=320,
                ),
                dmc.Textarea(
                    id=IndicatorIds.COMMENT,
                    label=t("indv.return_comment", language),
                    autosize=True,
                    minRows=2,
                    inputProps={"maxLength": 2000},
                ),
                dmc.Group(
                    [
                        dmc.Button(
                            t("indv.accept", language), id=IndicatorIds.ACCEPT, color="teal"
                        ),
                        dmc.Button(
                            t("indv.return", language),
                            id=IndicatorIds.RETURN,
                            color="red",
                            variant="light",
                        ),
                    ],
                    gap="sm",
                ),
            ],
            gap="xs",
        ),
        id=IndicatorIds.REVIEW,
    )


def table(head: Sequence[str], body: Sequence[Sequence[Any]], table_id: str) -> dmc.Table:
    return dmc.Table(
        [
            dmc.TableThead(dmc.TableTr([dmc.TableTh(h) for h in head])),
            dmc.TableTbody([dmc.TableTr([dmc.TableTd(c) for c in line]) for line in body]),
        ],
        id=table_id,
        striped=True,
        highlightOnHover=True,
        fz="sm",
    )


# --- the page's body ---------------------------------------------------------------------


def period_label(frequency: str, period: date, language: str) -> str:
    """A period as people write it: 2024年, 2024年第3季度, 2024年7月 (Q3 2024 … in English)."""
    freq = Frequency(frequency) if frequency in Frequency._value2member_map_ else Frequency.ANNUAL
    return t(
        f"indicator.period.{freq.value}",
        language,
        year=period.year,
        quarter=(period.month - 1) // 3 + 1,
        month=period.month,
    )


def number(value: float | None) -> str:
    """A value as written in the tables: no trailing zeros, thousands separated."""
    if value is None:
        return "—"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _status(row: ValueRow, language: str) -> Any:
    colors = {"accepted": "teal", "submitted": "yellow", "returned": "red", "draft": "gray"}
    return dmc.Badge(
        t(f"indicator.status.{row.status}", language),
        color=colors.get(row.status, "gray"),
        variant="light",
        size="sm",
        className=f"value-status value-{row.status}",
    )


def _comment(row: ValueRow) -> str:
    return "；".join(x for x in (row.return_reason, row.revision_reason, row.note) if x)


def _evidence(row: ValueRow) -> Any:
    """The value's evidence as a link that downloads it (its file name), or a dash."""
    if not row.attachment:
        return "—"
    return html.A(
        row.attachment,
        id={"type": IndicatorIds.EVIDENCE_GET, "index": row.id},
        className="evidence-link",
        href="#",
    )


def values_table(detail: IndicatorDetail, language: str) -> Any:
    freq = detail.row.frequency
    if not detail.values:
        return dmc.Text(t("indv.no_values", language), c="dimmed", id=IndicatorIds.VALUES)
    head = [
        t("indv.period", language),
        t("indv.value", language),
        t("indv.col.status", language),
        t("indv.value_source", language),
        t("indicator.field.province_rank", language),
        t("indv.col.entered_by", language),
        t("indv.col.entered_at", language),
        t("indv.col.comment", language),
        t("indv.evidence", language),
    ]
    body = [
        [
            period_label(freq, v.period, language),
            number(v.value),
            _status(v, language),
            v.source,
            "—" if v.province_rank is None else str(v.province_rank),
            v.entered_by,
            local_time(v.submitted_at),
            _comment(v),
            _evidence(v),
        ]
        for v in detail.values
    ]
    return table(head, body, IndicatorIds.VALUES)


def trend_figure(detail: IndicatorDetail, language: str) -> figures.Figure:
    years = [p.year for p in detail.trend]
    pending: dict[int, float] = {}
    for v in sorted(detail.values, key=lambda v: v.period):
        if v.status == "submitted" and v.value is not None:
            pending[v.period.year] = v.value
    extra = sorted(set(pending) - set(years))
    axis = years + extra
    return figures.indicator_trend(
        [str(y) for y in axis],
        [p.actual for p in detail.trend] + [None] * len(extra),
        [p.expected for p in detail.trend] + [None] * len(extra),
        [p.target for p in detail.trend] + [None] * len(extra),
        [pending.get(y) for y in axis],
        detail.row.unit,
        language,
    )


def _targets(detail: IndicatorDetail, language: str) -> str:
    if detail.row.direction == "band":
        low, high = detail.band_low, detail.band_high
        return f"{number(low)} ～ {number(high)}"
    if not detail.targets:
        return t("indicator.no_target", language)
    sep = "；" if language == "zh" else "; "
    return sep.join(
        f"{t('indicator.field.target_year', language, year=x.year)} {number(x.value)}"
        for x in detail.targets
    )


def facts(detail: IndicatorDetail, language: str) -> html.Table:
    r = detail.row
    baseline = (
        number(r.baseline_value) + ui.paren(str(r.baseline_year), language)
        if r.baseline_year is not None
        else number(r.baseline_value)
    )
    goals = [
        t(f"sdg.goal.{g.goal}", language) + (f" · {g.sdg_target}" if g.sdg_target else "")
        for g in detail.goal_refs
    ]
    lines = [
        (t("indicator.field.system", language), r.system_name),
        (t("indicator.field.definition", language), detail.definition or "—"),
        (t("indicator.field.unit", language), r.unit or "—"),
        (
            t("indicator.field.direction", language),
            t(f"indicator.direction.{r.direction}", language),
        ),
        (t("indicator.field.baseline_value", language), baseline),
        (t("indv.targets", language), _targets(detail, language)),
        (t("indicator.field.lead_unit", language), r.lead_unit or "—"),
        (t("indicator.field.data_source", language), detail.data_source or "—"),
        (
            t("indicator.field.frequency", language),
            t(f"indicator.frequency.{r.frequency}", language),
        ),
        (t("indicator.field.goals", language), html.Div([html.Div(g) for g in goals] or "—")),
        (
            t("indicator.field.province_rank", language),
            "—" if r.province_rank is None else str(r.province_rank),
        ),
    ]
    return facts_table(lines)


def projects_list(detail: IndicatorDetail, language: str) -> Any:
    colon = "：" if language == "zh" else ": "
    if not detail.projects and not detail.measures:
        return dmc.Text(t("indv.no_projects", language), c="dimmed", id=IndicatorIds.PROJECTS)
    items: list[Any] = [
        html.Li(
            [
                dcc.Link(f"{p.code} {p.name}", href=f"/projects/{p.id}"),
                html.Span(f" · {p.county} · {p.lead_unit}", className="dimmed"),
            ]
        )
        for p in detail.projects
    ]
    measures = [
        html.Li(f"{t('indv.measures', language)}{colon}{m.area} · {m.name}")
        for m in detail.measures
    ]
    return html.Ul(items + measures, id=IndicatorIds.PROJECTS, className="linked-list")


def header(detail: IndicatorDetail, language: str) -> html.Div:
    r = detail.row
    reasons = [describe_reason(x, language) for x in r.reasons] or [t("reason.none", language)]
    return html.Div(
        [
            dmc.Breadcrumbs(
                [
                    dcc.Link(t("nav.indicators", language), href="/indicators"),
                    dcc.Link(r.system_name, href=f"/indicators?system={r.system_code}"),
                    html.Span(r.code),
                ],
                separator="›",
                className="crumbs",
            ),
            dmc.Group(
                [
                    dmc.Title(r.name, order=2, className="page-title", id=IndicatorIds.NAME),
                    html.Span(ui.light_badge(r.light, language), id=IndicatorIds.LIGHT),
                ],
                gap="sm",
            ),
            html.Ul(
                [html.Li(x) for x in reasons], id=IndicatorIds.REASONS, className="reason-list"
            ),
        ]
    )


def stored_values(detail: IndicatorDetail) -> dict[str, dict[str, Any]]:
    """What the form fills in when a period is picked: the value stored for it."""
    return {
        v.period.isoformat(): {
            "id": v.id,
            "version": v.version,
            "status": v.status,
            "value": "" if v.value is None else number(v.value).replace(",", ""),
            "source": v.source,
            "note": v.note,
        }
        for v in detail.values
    }


def entry_periods(detail: IndicatorDetail, language: str) -> list[tuple[str, str]]:
    """The periods the form offers: the one a new value is most likely for, then those
    with a value (newest first) — a returned one to correct, an accepted one to revise."""
    periods = [detail.next_period] if detail.next_period else []
    periods += [v.period for v in detail.values if v.period not in periods]
    return [(p.isoformat(), period_label(detail.row.frequency, p, language)) for p in periods]


def pending_choices(detail: IndicatorDetail, language: str) -> list[tuple[str, str]]:
    return [
        (
            f"{v.id}:{v.version}",
            f"{period_label(detail.row.frequency, v.period, language)} · {number(v.value)}"
            f" {detail.row.unit} · {v.entered_by}",
        )
        for v in detail.values
        if v.status == "submitted"
    ]


def body(detail: IndicatorDetail, language: str) -> html.Div:
    """Everything on the page; the entry form only for who may enter values, the review
    controls only for who may review them (the services refuse everyone else anyway)."""
    controls: list[Any] = []
    if detail.can_enter:
        periods = entry_periods(detail, language)
        chosen = periods[0][0] if periods else None
        filled = stored_values(detail).get(chosen or "")
        controls.append(entry_form(periods, chosen, language, filled))
    pending = pending_choices(detail, language)
    if detail.can_review and pending:
        controls.append(review_panel(pending, language))
    return html.Div(
        [
            header(detail, language),
            dmc.Grid(
                [
                    dmc.GridCol(
                        dmc.Stack(
                            [
                                ui.section(
                                    t("indv.trend", language),
                                    trend(trend_figure(detail, language)),
                                ),
                                ui.section(
                                    t("indv.values", language), values_table(detail, language)
                                ),
                                *controls,
                            ],
                            gap="md",
                        ),
                        span={"base": 12, "lg": 8},
                    ),
                    dmc.GridCol(
                        dmc.Stack(
                            [
                                ui.section(t("indv.facts", language), facts(detail, language)),
                                ui.section(
                                    t("indv.projects", language), projects_list(detail, language)
                                ),
                            ],
                            gap="md",
                        ),
                        span={"base": 12, "lg": 4},
                    ),
                ],
                gutter="md",
            ),
            dcc.Store(id=IndicatorIds.STORED, data=stored_values(detail)),
        ]
    )


def not_found(message: str, language: str) -> html.Div:
    return html.Div(
        [ui.denied(message), dcc.Link(t("indv.back", language), href="/indicators")],
        className="page",
    )


def entry_fill(stored: Any, period: Any) -> tuple[str, str, str]:
    """The value, source and note stored for ``period`` ("" for a period with none)."""
    found = stored.get(period) if isinstance(stored, dict) and isinstance(period, str) else None
    if not isinstance(found, dict):
        return "", "", ""
    return (
        str(found.get("value") or ""),
        str(found.get("source") or ""),
        str(found.get("note") or ""),
    )


def entry_target(stored: Any, period: Any) -> tuple[int | None, int | None, bool]:
    """What the form's save changes for ``period``: the stored value's id and version (None
    for a new one) and whether it is accepted (then it is revised, with a reason)."""
    found = stored.get(period) if isinstance(stored, dict) and isinstance(period, str) else None
    if not isinstance(found, dict):
        return None, None, False
    return found.get("id"), found.get("version"), found.get("status") == "accepted"


def review_target(picked: Any) -> tuple[str | None, str | None]:
    """The value id and version of the review's choice ("<id>:<version>")."""
    if not isinstance(picked, str) or ":" not in picked:
        return None, None
    value_id, version = picked.split(":", 1)
    return value_id, version
