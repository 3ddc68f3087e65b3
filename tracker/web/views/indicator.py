"""An indicator's page (#16): its light and reasons, what it is, its trend against target,
the values entered and their review, the projects it is linked to; the entry form for the
unit responsible and the review controls for the office."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.i18n import t
from tracker.web import figures, ui


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
    periods: Sequence[tuple[str, str]], chosen: str | None, language: str
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
                            label=t("indv.value", language),
                            w=160,
                            inputProps={"maxLength": 40, "inputMode": "decimal"},
                        ),
                        dmc.TextInput(
                            id=IndicatorIds.SOURCE,
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
