"""管理 (the office only): users, light thresholds, reschedule approval, the project list."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.messages import render
from tracker.domain.places import PLACES
from tracker.domain.rules import RULES, Thresholds
from tracker.i18n import t
from tracker.services.auth import ROLES
from tracker.services.errors import InvalidInput
from tracker.services.import_jobs import JobView
from tracker.services.milestones import PendingReschedule
from tracker.services.sessions import ActiveSession
from tracker.services.users import UserView
from tracker.web import ui
from tracker.web.views.timefmt import local_time

# (Thresholds field, label key, edit step): each rule's amber and red edge, from the rule
# table, then the milestone 'due soon' window.
THRESHOLD_FIELDS: tuple[tuple[str, str, float], ...] = (
    *(
        (getattr(rule, edge), f"rule.col.{edge}", rule.step)
        for rule in RULES
        for edge in ("amber", "red")
    ),
    ("due_soon_days", "th.due_soon_days.label", 1),
)


class AdminIds:
    TABS = "ad-tabs"
    # users
    USERS_GRID = "ad-users-grid"
    USERS_REFRESH = "ad-users-refresh"
    ADD_USERNAME = "ad-add-username"
    ADD_NAME = "ad-add-name"
    ADD_ROLE = "ad-add-role"
    ADD_COUNTY = "ad-add-county"
    ADD_UNIT = "ad-add-unit"
    ADD_PASSWORD = "ad-add-password"
    ADD_SAVE = "ad-add-save"
    SELECTED = "ad-selected"
    TOGGLE = "ad-toggle"
    RESET = "ad-reset"
    NEW_PASSWORD = "ad-new-password"
    SCOPE_ROLE = "ad-scope-role"
    SCOPE_COUNTY = "ad-scope-county"
    SCOPE_UNIT = "ad-scope-unit"
    SCOPE_SAVE = "ad-scope-save"
    SESSIONS = "ad-sessions"  # the selected user's active sessions (#12)
    SIGN_OUT = "ad-sign-out"  # end them all
    # thresholds
    TH_PREFIX = "ad-th-"
    TH_VERSION = "ad-th-version"
    TH_SAVE = "ad-th-save"
    RULE_TABLE = "ad-rule-table"
    # reschedule approval
    APPROVAL = "ad-approval"
    APPROVAL_VERSION = "ad-approval-version"
    APPROVAL_SAVE = "ad-approval-save"
    PENDING = "ad-pending"
    PENDING_REFRESH = "ad-pending-refresh"
    APPROVE = "ad-approve"  # pattern: {"type": APPROVE, "index": milestone id, "v": version}
    REJECT = "ad-reject"  # pattern: {"type": REJECT, "index": milestone id, "v": version}
    # project list
    UPLOAD = "ad-upload"
    JOB = "ad-job"
    TIMER = "ad-timer"
    STATUS = "ad-status"
    CONFIRM = "ad-confirm"
    MAP = "ad-map"  # pattern: {"type": MAP, "index": the column's mapping key}
    MAP_YEAR = "ad-map-year"
    REMAP = "ad-remap"
    EXPORT = "ad-export"
    EXPORT_FILE = "ad-export-file"
    # what the panels draw inside themselves
    SESSION_TABLE = "ad-session-table"
    RULE_PREFIX = "rule-"  # one row per light rule: RULE_PREFIX + the rule's code
    RULE_GROUP = "rule-group"
    PENDING_EMPTY = "ad-pending-empty"
    IMPORT_OFF = "ad-import-off"
    PROGRESS = "ad-progress"
    IMPORT_DONE = "ad-import-done"
    MAPPING_ALERT = "ad-mapping-alert"
    YEAR_USED = "ad-year-used"
    WARNINGS = "ad-warnings"
    MAPPING_TABLE = "ad-mapping-table"
    MAPPING = "ad-mapping"
    CHANGES = "ad-changes"
    UNUSED = "ad-unused"

    @staticmethod
    def rule(code: str) -> str:
        return AdminIds.RULE_PREFIX + code

    @staticmethod
    def threshold(name: str) -> str:
        return AdminIds.TH_PREFIX + name


# --- users ---------------------------------------------------------------------------------


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
                    dmc.Select(
                        id=AdminIds.ADD_ROLE,
                        label=t("user.role", language),
                        data=_role_data(language),
                        value="county",
                        w=170,
                    ),
                    dmc.Select(
                        id=AdminIds.ADD_COUNTY,
                        label=t("user.county", language),
                        data=list(PLACES),
                        clearable=True,
                        w=120,
                    ),
                    dmc.Autocomplete(
                        id=AdminIds.ADD_UNIT,
                        label=t("user.lead_unit", language),
                        data=list(lead_units),
                        w=170,
                    ),
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
                    dmc.Select(
                        id=AdminIds.SCOPE_ROLE,
                        label=t("user.role", language),
                        data=_role_data(language),
                        w=170,
                    ),
                    dmc.Select(
                        id=AdminIds.SCOPE_COUNTY,
                        label=t("user.county", language),
                        data=list(PLACES),
                        clearable=True,
                        w=120,
                    ),
                    dmc.Autocomplete(
                        id=AdminIds.SCOPE_UNIT,
                        label=t("user.lead_unit", language),
                        data=list(lead_units),
                        w=170,
                    ),
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


# --- thresholds and approval ------------------------------------------------------------------


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
                                t("approval.approve", language),
                                id={
                                    "type": AdminIds.APPROVE,
                                    "index": p.milestone_id,
                                    "v": p.version,
                                },
                                size="xs",
                                color="green",
                                variant="light",
                            ),
                            dmc.Button(
                                t("approval.reject", language),
                                id={
                                    "type": AdminIds.REJECT,
                                    "index": p.milestone_id,
                                    "v": p.version,
                                },
                                size="xs",
                                color="red",
                                variant="light",
                            ),
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


# --- the project list in and out ------------------------------------------------------------


def list_panel(available: bool, max_mb: int, language: str) -> dmc.Stack:
    if not available:
        upload: Any = dmc.Alert(
            t("import.not_enabled", language), color="gray", variant="light", id=AdminIds.IMPORT_OFF
        )
    else:
        upload = dcc.Upload(
            html.Div(
                [
                    html.Div(t("import.drop", language), className="upload-title"),
                    html.Div(t("import.limits", language, mb=max_mb), className="upload-sub"),
                ]
            ),
            id=AdminIds.UPLOAD,
            accept=".xlsx,.xls,.ods,.xlsm",
            max_size=max_mb * 1024 * 1024,
            multiple=False,
            className="upload-box",
        )
    return dmc.Stack(
        [
            dmc.Paper(
                [
                    dmc.Title(t("import.title", language), order=5, mb="xs"),
                    dmc.Text(t("import.help", language), size="sm", c="dimmed", mb="sm"),
                    upload,
                    html.Div(id=AdminIds.STATUS, className="import-status"),
                    dmc.Button(
                        t("import.confirm", language),
                        id=AdminIds.CONFIRM,
                        disabled=True,
                        mt="sm",
                        color="green",
                    ),
                    dcc.Store(id=AdminIds.JOB),
                    dcc.Interval(id=AdminIds.TIMER, interval=700, disabled=True),
                ],
                withBorder=True,
                p="md",
            ),
            dmc.Paper(
                [
                    dmc.Title(t("export.title", language), order=5, mb="xs"),
                    dmc.Text(t("export.help", language), size="sm", c="dimmed", mb="sm"),
                    dmc.Button(
                        t("export.button", language),
                        id=AdminIds.EXPORT,
                        variant="light",
                        disabled=not available,
                    ),
                    dcc.Download(id=AdminIds.EXPORT_FILE),
                ],
                withBorder=True,
                p="md",
            ),
        ]
    )


def decode_upload(contents: str | None) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL."""
    if not isinstance(contents, str) or "," not in contents:
        raise InvalidInput("import_job.no_file")
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("import_job.unreadable") from exc


def job_status(job: JobView, language: str, *, now_seconds: float) -> Any:
    """Progress while reading, then the dry run's outcome."""
    if job.size >= 1048576:
        size = f"{job.size / 1048576:.1f} MB"
    elif job.size >= 1024:
        size = f"{job.size / 1024:.0f} KB"
    else:
        size = f"{job.size} B"
    head = dmc.Text(
        t("import.file", language, name=job.filename, size=size), size="sm", fw=500, mt="sm"
    )
    if job.active:
        elapsed = max(0, int(now_seconds - job.created_at.timestamp()))
        known = job.progress > 0
        return html.Div(
            [
                head,
                dmc.Progress(
                    value=round(job.progress * 100) if known else 100,
                    animated=True,
                    striped=True,
                    size="lg",
                    mt="xs",
                    id=AdminIds.PROGRESS,
                ),
                dmc.Text(
                    t(
                        "import.stage",
                        language,
                        stage=t(f"import.stage.{job.stage or 'queued'}", language),
                        seconds=elapsed,
                    )
                    + (f" · {job.progress * 100:.0f}%" if known else ""),
                    size="sm",
                    c="dimmed",
                ),
            ]
        )
    parts: list[Any] = [head]
    if job.status == "failed":
        parts.append(dmc.Alert(render(job.error, language), color="red", variant="light", mt="xs"))
    applied = job.status == "applied"
    if applied:  # what was done, in the reader's language (the preview's wording is gone)
        detail = (  # the importer's own line (areas, measures, milestones) is in Chinese
            dmc.Text(job.summary, size="xs", c="dimmed", mt=4)
            if language == "zh" and job.summary.startswith("已导入")
            else None
        )
        parts.append(
            dmc.Alert(
                [
                    t(
                        "import.done_summary",
                        language,
                        created=len(job.created),
                        updated=len(job.updated),
                        unchanged=job.unchanged,
                    ),
                    detail,
                ],
                color="green",
                variant="light",
                mt="xs",
                title=t("import.applied", language),
                id=AdminIds.IMPORT_DONE,
            )
        )
    if job.status == "ready":
        parts.append(
            dmc.Alert(
                job.summary or t("import.checked", language),
                color="blue" if not job.errors else "orange",
                variant="light",
                mt="xs",
                title=t("import.dry_run", language),
            )
        )
    if job.status == "mapping":
        parts.append(
            dmc.Alert(
                job.summary,
                color="orange",
                variant="light",
                mt="xs",
                title=t("import.mapping_title", language),
                id=AdminIds.MAPPING_ALERT,
            )
        )
        parts.append(mapping_form(job, language, open_=True))
        return html.Div(parts)
    if job.year is not None and job.status in {"ready", "applied"}:
        parts.append(
            dmc.Text(
                f"{t('import.year_used', language)}{'：' if language == 'zh' else ': '}{job.year}"
                + ui.paren(str(job.year_source), language),
                size="sm",
                mt="xs",
                id=AdminIds.YEAR_USED,
            )
        )
    if job.status in {"ready", "failed", "applied"} and (
        job.created or job.updated or job.unchanged
    ):
        parts.append(
            dmc.SimpleGrid(
                [
                    _name_list(
                        t(
                            "import.done_created" if applied else "import.created",
                            language,
                            n=len(job.created),
                        ),
                        job.created,
                    ),
                    _name_list(
                        t(
                            "import.done_updated" if applied else "import.updated",
                            language,
                            n=len(job.updated),
                        ),
                        job.updated,
                    ),
                    dmc.Text(t("import.unchanged", language, n=job.unchanged), size="sm"),
                ],
                cols=3,
                mt="xs",
            )
        )
    if job.changes:
        parts.append(_changes(job.changes, language, applied=applied))
    if job.status in {"ready", "applied"} and job.columns:
        parts.append(_unused(job.unused, language))
    if job.warnings and job.status in {"ready", "applied"}:
        parts.append(
            html.Details(
                [
                    html.Summary(t("import.warnings", language, n=len(job.warnings))),
                    html.Ul([html.Li(w) for w in job.warnings[:500]], className="name-list"),
                ],
                open=True,
                className="import-warnings",
                id=AdminIds.WARNINGS,
            )
        )
    if job.errors:
        parts.append(
            html.Div(
                [
                    dmc.Text(
                        t("import.errors", language, n=len(job.errors)), c="red", fw=500, size="sm"
                    ),
                    html.Ul([html.Li(e) for e in job.errors[:500]], className="error-list"),
                ],
                className="import-errors",
            )
        )
    if job.status == "ready" and job.columns:
        parts.append(mapping_form(job, language, open_=False))
    return html.Div(parts)


HOW_KEYS = ("header", "values", "mapping", "ignored", "dropped", "unknown")


def mapping_key_of(column: dict[str, Any], sheets: int) -> str:
    """What a column's choice is keyed by: its heading, or 工作表!列 when it has none."""
    header = str(column.get("header") or "")
    if header:
        return header
    return f"{column.get('sheet', '')}!{column.get('letter', '')}"


def changed_mapping(job: JobView, ids: Sequence[Any], values: Sequence[Any]) -> dict[str, str]:
    """The choices that differ from how the columns are read now (only those are sent and
    remembered: a column the rules already read right is left to the rules)."""
    sheets = len({c.get("sheet") for c in job.columns})
    current = {}
    for column in job.columns:
        field_name = "ignore" if column.get("how") == "ignored" else column.get("field")
        current[mapping_key_of(column, sheets)] = field_name
    chosen: dict[str, str] = {}
    for ident, value in zip(ids, values, strict=False):
        if not isinstance(ident, dict) or not isinstance(value, str) or not value:
            continue
        key = str(ident.get("index", ""))[:200]
        if key and current.get(key) != value:
            chosen[key] = value
    return chosen


def mapping_form(job: JobView, language: str, *, open_: bool) -> Any:
    """A select per filled column, with its samples: the mapping step."""
    from tracker.excel.recognize import MAPPABLE

    options = [
        {"value": field.name, "label": t(f"import.field.{field.name}", language)}
        for field in MAPPABLE
    ] + [{"value": "ignore", "label": t("import.ignore", language)}]
    sheets = len({c.get("sheet") for c in job.columns})
    rows = []
    for column in job.columns:
        how = str(column.get("how", ""))
        field_name = column.get("field")
        value = field_name if field_name in {o["value"] for o in options} else None
        if how == "ignored":
            value = "ignore"
        unknown = how == "unknown"
        where = str(column.get("letter", ""))
        if sheets > 1:
            where = f"{column.get('sheet', '')} {where}"
        note = t(f"import.how.{how}", language) if how in HOW_KEYS else how
        if column.get("note"):
            note = note + ui.paren(str(column["note"]), language)
        candidates = [str(c) for c in column.get("candidates") or []]
        ordered = [o for c in candidates for o in options if o["value"] == c] or options
        data = ordered + [o for o in options if o not in ordered]
        rows.append(
            dmc.TableTr(
                [
                    dmc.TableTd(where),
                    dmc.TableTd(column.get("header") or t("import.no_header", language)),
                    dmc.TableTd(" | ".join(column.get("samples") or []), className="text-cell"),
                    dmc.TableTd(
                        dmc.Select(
                            id={"type": AdminIds.MAP, "index": mapping_key_of(column, sheets)},
                            data=data,
                            value=value,
                            searchable=True,
                            allowDeselect=False,
                            size="xs",
                            w=190,
                            error=unknown and not value,
                            comboboxProps={"withinPortal": True},
                        )
                    ),
                    dmc.TableTd(note, c="red" if unknown else "dimmed", fz="xs"),
                ],
                className="map-unknown" if unknown else None,
            )
        )
    head = ("import.col_column", "import.col_header", "import.col_samples")
    head += ("import.col_field", "import.col_how")
    table = dmc.Table(
        [
            dmc.TableThead(dmc.TableTr([dmc.TableTh(t(k, language)) for k in head])),
            dmc.TableTbody(rows),
        ],
        verticalSpacing=4,
        fz="sm",
        id=AdminIds.MAPPING_TABLE,
    )
    year_value = job.given_year or job.year
    body: list[Any] = []
    if job.missing:
        body.append(
            dmc.Alert(
                html.Ul([html.Li(m) for m in job.missing]),
                title=t("import.missing", language),
                color="red",
                variant="light",
                mb="xs",
            )
        )
    if open_:
        body.append(dmc.Text(t("import.mapping_help", language), size="sm", c="dimmed", mb="xs"))
    body += [
        table,
        dmc.Group(
            [
                dmc.NumberInput(
                    id=AdminIds.MAP_YEAR,
                    label=t("import.year", language),
                    description=t("import.year_needed", language) if job.year_needed else None,
                    value=year_value,
                    min=1990,
                    max=2100,
                    allowDecimal=False,
                    w=320 if job.year_needed else 160,
                    error=job.year_needed and year_value is None,
                ),
                dmc.Button(t("import.remap", language), id=AdminIds.REMAP, variant="filled"),
            ],
            align="flex-end",
            mt="sm",
        ),
    ]
    return html.Details(
        [
            html.Summary(
                t("import.mapping_title" if open_ else "import.mapping_adjust", language),
                className="mapping-summary",
            ),
            html.Div(body, className="mapping-body"),
        ],
        open=open_,
        id=AdminIds.MAPPING,
        className="import-mapping",
    )


def _changes(changes: Sequence[dict[str, Any]], language: str, *, applied: bool = False) -> Any:
    items = []
    for change in changes[:300]:
        rows = [
            html.Tr([html.Td(label), html.Td(old, className="old"), html.Td("→"), html.Td(new)])
            for label, old, new in change.get("fields", [])
        ]
        items.append(
            html.Details(
                [html.Summary(change.get("label", "")), html.Table(rows, className="diff-table")],
                className="change",
            )
        )
    return html.Div(
        [
            dmc.Text(
                t("import.done_changes" if applied else "import.changes", language),
                size="sm",
                fw=500,
                mt="xs",
            ),
            *items,
        ],
        id=AdminIds.CHANGES,
        className="import-changes",
    )


def _unused(columns: Sequence[dict[str, Any]], language: str) -> Any:
    if not columns:
        return dmc.Text(
            t("import.unused_none", language), size="sm", c="dimmed", mt="xs", id=AdminIds.UNUSED
        )
    rows = [
        html.Tr(
            [
                html.Td(f"{c.get('sheet', '')} {c.get('letter', '')}"),
                html.Td(c.get("header") or t("import.no_header", language)),
                html.Td(" | ".join(c.get("samples") or [])),
                html.Td(c.get("note", "")),
            ]
        )
        for c in columns
    ]
    return html.Div(
        [
            dmc.Text(t("import.unused", language, n=len(columns)), size="sm", fw=500, mt="xs"),
            html.Table(rows, className="unused-table"),
        ],
        id=AdminIds.UNUSED,
    )


def _name_list(title: str, names: Sequence[str]) -> html.Div:
    return html.Div(
        [
            dmc.Text(title, size="sm", fw=500),
            html.Ul([html.Li(n) for n in names[:200]], className="name-list"),
        ]
    )


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
