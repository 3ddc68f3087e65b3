"""管理 (the office only): users, light thresholds, reschedule approval, the project list —
one module per tab (``users``, ``settings``, ``imports``), the ids in ``ids``; the tabs
themselves here."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc

from tracker.i18n import t
from tracker.web.views.admin.ids import THRESHOLD_FIELDS, AdminIds
from tracker.web.views.admin.imports import (
    changed_mapping,
    decode_upload,
    job_status,
    list_panel,
    mapping_form,
    mapping_key_of,
)
from tracker.web.views.admin.settings import (
    approval_form,
    pending_table,
    rule_table,
    thresholds_form,
)
from tracker.web.views.admin.users import (
    add_user_form,
    selected_panel,
    selected_text,
    session_table,
    user_rows,
    users_grid,
)

__all__ = [
    "THRESHOLD_FIELDS",
    "AdminIds",
    "add_user_form",
    "approval_form",
    "changed_mapping",
    "decode_upload",
    "job_status",
    "list_panel",
    "mapping_form",
    "mapping_key_of",
    "pending_table",
    "rule_table",
    "selected_panel",
    "selected_text",
    "session_table",
    "tabs",
    "thresholds_form",
    "two_columns",
    "user_rows",
    "users_grid",
]


def two_columns(children: list) -> dmc.SimpleGrid:
    return dmc.SimpleGrid(children, cols={"base": 1, "lg": 2}, spacing="md", mt="md")


TAB_VALUES = ("users", "thresholds", "approval", "list")


def tabs(
    language: str, users: Any, rules: Any, approvals: Any, lists: Any, *, tab: Any = None
) -> dmc.Tabs:
    """The admin tabs; ``tab`` (from ``?tab=list``) opens one of them (the import's link)."""
    return dmc.Tabs(
        [
            dmc.TabsList(
                [
                    dmc.TabsTab(t("admin.users", language), value="users"),
                    dmc.TabsTab(t("admin.thresholds", language), value="thresholds"),
                    dmc.TabsTab(t("admin.approval", language), value="approval"),
                    dmc.TabsTab(t("admin.list", language), value="list"),
                ]
            ),
            dmc.TabsPanel(users, value="users", pt="md"),
            dmc.TabsPanel(rules, value="thresholds", pt="md"),
            dmc.TabsPanel(approvals, value="approval", pt="md"),
            dmc.TabsPanel(lists, value="list", pt="md"),
        ],
        id=AdminIds.TABS,
        value=tab if tab in TAB_VALUES else "users",
        keepMounted=True,
    )
