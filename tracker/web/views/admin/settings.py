"""The thresholds tab (the rule table and its edges) and the reschedule approvals tab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import dash_mantine_components as dmc
from dash import dcc

from tracker.domain.rules import RULES, Thresholds
from tracker.i18n import t
from tracker.services.milestones import PendingReschedule
from tracker.web import ui
from tracker.web.views.admin.ids import AdminIds


def _edge_input(name: str, value: float, step: float, unit: str, language: str):
    return dmc.NumberInput(
        id=AdminIds.threshold(name),
        value=value,
        step=step,
        min=step if step < 1 else 1,
        allowDecimal=step < 1,
        w=120,
        size="sm",
        rightSection=dmc.Text(t(f"rule.unit.{unit}", language), size="xs", c="dimmed"),
        rightSectionWidth=54,
        **{"aria-label": name},
    )


def rule_table(current: Thresholds, language: str) -> dmc.Table:
    """The light rules as the office reads them: each rule, what it measures, its amber and
    red edges (editable), and which projects it applies to."""
    values = asdict(current)
    head = dmc.TableThead(
        dmc.TableTr(
            [
                dmc.TableTh(t(f"rule.col.{c}", language))
                for c in ("name", "measure", "amber", "red", "applies")
            ]
        )
    )
    body = dmc.TableTbody(
        [
            dmc.TableTr(
                [
                    dmc.TableTd(dmc.Text(t(f"rule.{rule.code}.name", language), fw=600)),
                    dmc.TableTd(t(f"rule.{rule.code}.measure", language), className="rule-text"),
                    dmc.TableTd(
                        _edge_input(rule.amber, values[rule.amber], rule.step, rule.unit, language)
                    ),
                    dmc.TableTd(
                        _edge_input(rule.red, values[rule.red], rule.step, rule.unit, language)
                    ),
                    dmc.TableTd(t(f"rule.{rule.code}.applies", language), className="rule-text"),
                ],
                id=AdminIds.rule(rule.code),
            )
            for rule in RULES
        ]
    )
    return dmc.Table(
        [head, body],
        striped=True,
        withTableBorder=True,
        verticalSpacing="sm",
        id=AdminIds.RULE_TABLE,
        className="rule-table",
    )


def thresholds_form(current: Thresholds, version: int, language: str) -> dmc.Paper:
    values = asdict(current)
    return dmc.Paper(
        [
            dmc.Title(t("rule.table_title", language), order=4, mb="xs"),
            dmc.Text(t("rule.how", language), size="sm", mb="sm"),
            rule_table(current, language),
            dmc.Text(
                t("rule.group", language), size="sm", c="dimmed", mt="sm", id=AdminIds.RULE_GROUP
            ),
            dmc.Group(
                [
                    dmc.Text(t("th.due_soon_days.label", language), size="sm"),
                    _edge_input("due_soon_days", values["due_soon_days"], 1, "days", language),
                ],
                mt="md",
                gap="sm",
            ),
            dmc.Text(t("th.help", language), size="sm", c="dimmed", mt="sm"),
            dcc.Store(id=AdminIds.TH_VERSION, data=version),
            dmc.Button(t("th.save", language), id=AdminIds.TH_SAVE, mt="md"),
        ],
        withBorder=True,
        p="md",
    )


def approval_form(needs: bool, version: int, language: str) -> dmc.Paper:
    return dmc.Paper(
        [
            dmc.Group(
                [
                    dmc.Switch(
                        id=AdminIds.APPROVAL,
                        checked=needs,
                        label=t("approval.switch", language),
                        size="md",
                    ),
                    dmc.Button(
                        t("approval.save", language), id=AdminIds.APPROVAL_SAVE, variant="light"
                    ),
                ],
                justify="space-between",
            ),
            dmc.Text(t("approval.help", language), size="sm", c="dimmed", mt="xs"),
            dcc.Store(id=AdminIds.APPROVAL_VERSION, data=version),
        ],
        withBorder=True,
        p="md",
    )


# the office's two answers to a reschedule request: (label key, button type, colour)
DECISIONS = (
    ("approval.approve", AdminIds.APPROVE, "green"),
    ("approval.reject", AdminIds.REJECT, "red"),
)


def pending_table(items: Sequence[PendingReschedule], language: str) -> Any:
    if not items:
        return dmc.Text(t("approval.none", language), c="dimmed", id=AdminIds.PENDING_EMPTY)
    head = [
        "col.code",
        "col.name",
        "col.county",
        "col.milestone",
        "col.planned",
        "approval.to",
        "form.reason",
        "approval.by",
        "col.actions",
    ]
    rows = [
        dmc.TableTr(
            [
                dmc.TableTd(p.project_code),
                dmc.TableTd(dcc.Link(p.project_name, href=f"/projects/{p.project_id}")),
                dmc.TableTd(p.county),
                dmc.TableTd(p.name),
                dmc.TableTd(ui.day(p.planned_date)),
                dmc.TableTd(ui.day(p.pending_date)),
                dmc.TableTd(p.pending_reason, className="text-cell"),
                dmc.TableTd(p.requested_by),
                dmc.TableTd(
                    dmc.Group(
                        [
                            dmc.Button(
                                t(key, language),
                                id={"type": kind, "index": p.milestone_id, "v": p.version},
                                size="xs",
                                color=color,
                                variant="light",
                            )
                            for key, kind, color in DECISIONS
                        ],
                        gap=4,
                        wrap="nowrap",
                    )
                ),
            ]
        )
        for p in items
    ]
    return dmc.Table(
        [
            dmc.TableThead(dmc.TableTr([dmc.TableTh(t(k, language)) for k in head])),
            dmc.TableTbody(rows),
        ],
        verticalSpacing=4,
        highlightOnHover=True,
    )
