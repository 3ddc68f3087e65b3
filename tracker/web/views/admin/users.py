"""The accounts tab: the user list, the selected user and its sessions, the new-user form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import html

from tracker.domain.places import PLACES
from tracker.i18n import t
from tracker.services.auth import ROLES
from tracker.services.sessions import ActiveSession
from tracker.services.users import UserView
from tracker.web.views.admin.ids import AdminIds
from tracker.web.views.timefmt import local_time


def _role_data(language: str) -> list[dict[str, str]]:
    return [{"value": r, "label": t(f"role.{r}", language)} for r in ROLES]


def user_rows(users: Sequence[UserView], language: str) -> list[dict[str, Any]]:
    return [
        {
            "username": u.username,
            "display_name": u.display_name,
            "role": u.role,
            "role_label": t(f"role.{u.role}", language),
            "scope": u.county or u.lead_unit or "",
            "county": u.county,
            "lead_unit": u.lead_unit,
            "email": u.email,
            "active": u.active,
            "state": t("user.active" if u.active else "user.disabled", language),
            "version": u.version,
        }
        for u in users
    ]


def users_grid(users: Sequence[UserView], language: str) -> dag.AgGrid:
    columns = [
        ("username", "user.username", 130),
        ("display_name", "user.display_name", 160),
        ("role_label", "user.role", 150),
        ("scope", "user.scope", 160),
        ("state", "user.state", 90),
        ("email", "user.email", 220),
    ]
    return dag.AgGrid(
        id=AdminIds.USERS_GRID,
        rowData=user_rows(users, language),
        columnDefs=[
            {"field": f, "headerName": t(k, language), "width": w, "sortable": True, "filter": True}
            for f, k, w in columns
        ],
        getRowId="params.data.username",
        columnSize="responsiveSizeToFit",
        dashGridOptions={
            "rowSelection": {
                "mode": "singleRow",
                "enableClickSelection": True,
                "checkboxes": False,
            },
            "rowHeight": 36,
            "animateRows": False,
        },
        style={"height": "360px", "width": "100%"},
    )


# the role, county and lead-unit inputs: (role, county, unit) ids of the add form and of the
# selected user's scope
ADD_SCOPE = (AdminIds.ADD_ROLE, AdminIds.ADD_COUNTY, AdminIds.ADD_UNIT)
EDIT_SCOPE = (AdminIds.SCOPE_ROLE, AdminIds.SCOPE_COUNTY, AdminIds.SCOPE_UNIT)


def _scope_inputs(
    language: str, lead_units: Sequence[str], ids: tuple[str, str, str], **role: Any
) -> list:
    """A user's role, county and lead unit inputs (``role``: more of the role select's props)."""
    role_id, county_id, unit_id = ids
    return [
        dmc.Select(
            id=role_id, label=t("user.role", language), data=_role_data(language), w=170, **role
        ),
        dmc.Select(
            id=county_id,
            label=t("user.county", language),
            data=list(PLACES),
            clearable=True,
            w=120,
        ),
        dmc.Autocomplete(
            id=unit_id, label=t("user.lead_unit", language), data=list(lead_units), w=170
        ),
    ]


def add_user_form(language: str, lead_units: Sequence[str]) -> dmc.Paper:
    return dmc.Paper(
        [
            dmc.Title(t("user.add", language), order=5, mb="xs"),
            dmc.Group(
                [
                    dmc.TextInput(
                        id=AdminIds.ADD_USERNAME, label=t("user.username", language), w=150
                    ),
                    dmc.TextInput(
                        id=AdminIds.ADD_NAME, label=t("user.display_name", language), w=170
                    ),
                    *_scope_inputs(language, lead_units, ADD_SCOPE, value="county"),
                    dmc.PasswordInput(
                        id=AdminIds.ADD_PASSWORD,
                        label=t("user.password", language),
                        description=t("user.password_hint", language),
                        w=180,
                    ),
                    dmc.Button(t("user.add_button", language), id=AdminIds.ADD_SAVE),
                ],
                align="flex-end",
                gap="xs",
            ),
        ],
        withBorder=True,
        p="md",
    )


def selected_panel(language: str, lead_units: Sequence[str]) -> dmc.Paper:
    return dmc.Paper(
        [
            dmc.Title(t("user.selected", language), order=5, mb="xs"),
            html.Div(t("user.select_hint", language), id=AdminIds.SELECTED, className="dimmed"),
            dmc.Group(
                [
                    dmc.Button(
                        t("user.toggle", language),
                        id=AdminIds.TOGGLE,
                        variant="light",
                        color="orange",
                    ),
                    dmc.Button(
                        t("user.reset_password", language), id=AdminIds.RESET, variant="light"
                    ),
                    dmc.Code(id=AdminIds.NEW_PASSWORD, className="new-password"),
                ],
                gap="xs",
                my="sm",
            ),
            dmc.Group(
                [
                    *_scope_inputs(language, lead_units, EDIT_SCOPE),
                    dmc.Button(
                        t("user.save_scope", language), id=AdminIds.SCOPE_SAVE, variant="light"
                    ),
                ],
                align="flex-end",
                gap="xs",
            ),
            dmc.Group(
                [
                    dmc.Text(t("session.title", language), fw=500, size="sm"),
                    dmc.Button(
                        t("session.sign_out_all", language),
                        id=AdminIds.SIGN_OUT,
                        variant="light",
                        color="red",
                        size="xs",
                    ),
                ],
                justify="space-between",
                mt="md",
                mb=4,
            ),
            html.Div(id=AdminIds.SESSIONS, className="ad-sessions"),
        ],
        withBorder=True,
        p="md",
    )


def session_table(items: Sequence[ActiveSession] | None, language: str) -> Any:
    """The selected user's active sessions: since when, last seen, from where, in what."""
    if items is None:
        return None
    if not items:
        return dmc.Text(t("session.none", language), size="sm", c="dimmed")
    head = ("session.created", "session.last_seen", "session.ip", "session.agent")
    return dmc.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(local_time(x.created_at)),
                            html.Td(local_time(x.last_seen_at)),
                            html.Td(x.ip or "—"),
                            html.Td(x.user_agent or "—", className="ad-agent"),
                        ]
                    )
                    for x in items
                ]
            ),
        ],
        striped=True,
        withTableBorder=True,
        fz="xs",
        id=AdminIds.SESSION_TABLE,
    )


def selected_text(row: dict[str, Any] | None, language: str) -> str:
    if not row:
        return t("user.select_hint", language)
    return t(
        "user.selected_line",
        language,
        name=row.get("display_name") or row.get("username"),
        username=row.get("username"),
        role=row.get("role_label", ""),
        scope=row.get("scope") or "—",
        state=row.get("state", ""),
    )
