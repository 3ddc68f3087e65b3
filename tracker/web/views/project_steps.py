"""The project page's 前期手续 section (#17): the steps with their schedule (float, latest
finish, critical to 开工), the links between steps and milestones, and the forms that edit
them for those who may (``ProjectChain.may_edit``; the services check it again).

A link such as /projects/5?step=12 (a click on the battle map) opens step 12's form at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.i18n import t
from tracker.services.approvals import LinkView, ProjectChain, StepView
from tracker.web import ui
from tracker.web.plain import Plain, dcc, dmc, html


class StepIds:
    SECTION = "ps-section"  # the section's body, re-rendered after a save
    REFRESH = "ps-refresh"  # Store: bumped after a save
    PROJECT = "ps-project"  # Store: the project id
    NOTICE = "ps-notice"  # a refusal of an action outside the form (a link, a template)
    EDIT = "ps-edit"  # pattern: {"type": EDIT, "index": step id}
    ADD = "ps-add"  # pattern: {"type": ADD, "index": 0} (there only for who may edit)
    APPLY = "ps-apply"  # give a project without steps its template's chain
    MODAL = "ps-modal"
    FORM = "ps-form"  # Store: {"step_id", "version"} the form was opened at (no id: a new one)
    FORM_ERROR = "ps-form-error"
    SAVE = "ps-save"
    DELETE = "ps-delete"
    NAME = "ps-name"
    UNIT = "ps-unit"
    LIMIT = "ps-limit"
    PLANNED_START = "ps-planned-start"
    PLANNED_FINISH = "ps-planned-finish"
    ACTUAL_START = "ps-actual-start"
    ACTUAL_FINISH = "ps-actual-finish"
    DOCUMENT = "ps-document"
    CONTACT = "ps-contact"
    PHONE = "ps-phone"
    NOTE = "ps-note"
    LINK_SOURCE = "ps-link-source"
    LINK_TARGET = "ps-link-target"
    LINK_KIND = "ps-link-kind"
    LINK_LAG = "ps-link-lag"
    LINK_ADD = "ps-link-add"
    LINK_DELETE = "ps-link-delete"  # pattern: {"type": LINK_DELETE, "index": "<id>:<version>"}
    STEP_ROW = "ps-step-row"  # a step's row: STEP_ROW-<step id> (see ``row``)

    @staticmethod
    def row(step_id: int) -> str:
        return f"{StepIds.STEP_ROW}-{step_id}"


# the form's fields: component id -> (the service's keyword, the component's property)
FIELDS: dict[str, tuple[str, str]] = {
    StepIds.NAME: ("name", "value"),
    StepIds.UNIT: ("approving_unit", "value"),
    StepIds.LIMIT: ("time_limit_days", "value"),
    StepIds.PLANNED_START: ("planned_start", "value"),
    StepIds.PLANNED_FINISH: ("planned_finish", "value"),
    StepIds.ACTUAL_START: ("actual_start", "value"),
    StepIds.ACTUAL_FINISH: ("actual_finish", "value"),
    StepIds.DOCUMENT: ("document_number", "value"),
    StepIds.CONTACT: ("contact_person", "value"),
    StepIds.PHONE: ("contact_phone", "value"),
    StepIds.NOTE: ("note", "value"),
}
STATUS_COLOURS = {"not_started": "gray", "in_progress": "blue", "done": "teal", "overdue": "red"}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def form_values(step: StepView | None) -> dict[str, Any]:
    """What the opened form shows: a step's values, or empty ones for a new step."""
    if step is None:
        values: dict[str, Any] = {key: "" for key in FIELDS}
        values.update({StepIds.LIMIT: 20, StepIds.FORM: {}})
        for key in (StepIds.PLANNED_START, StepIds.PLANNED_FINISH):
            values[key] = None
        values[StepIds.ACTUAL_START] = values[StepIds.ACTUAL_FINISH] = None
        return values
    return {
        StepIds.NAME: step.name,
        StepIds.UNIT: step.approving_unit,
        StepIds.LIMIT: step.time_limit_days,
        StepIds.PLANNED_START: _iso(step.planned_start),
        StepIds.PLANNED_FINISH: _iso(step.planned_finish),
        StepIds.ACTUAL_START: _iso(step.actual_start),
        StepIds.ACTUAL_FINISH: _iso(step.actual_finish),
        StepIds.DOCUMENT: step.document_number,
        StepIds.CONTACT: step.contact_person,
        StepIds.PHONE: step.contact_phone,
        StepIds.NOTE: step.note,
        StepIds.FORM: {"step_id": step.id, "version": step.version},
    }


def _node_names(chain: ProjectChain) -> dict[str, str]:
    names = {s.key: s.name for s in chain.steps}
    names.update({m.key: f"◆ {m.name}" for m in chain.milestones})
    return names


def _float_cell(step: StepView, language: str) -> Any:
    plan = step.schedule
    if plan is None or plan.total_float is None:
        return "–"
    text = t("steps.float_days", language, days=plan.total_float)
    return html.Span(text, className="float-late" if plan.total_float < 0 else None)


def _step_row(step: StepView, language: str, *, opened: int | None, may_edit: bool) -> Plain:
    plan = step.schedule
    critical = bool(plan and plan.critical)
    name: list[Any] = [step.name]
    if critical:
        name.append(
            dmc.Badge(t("gantt.chain.critical_path", language), color="grape", size="xs", ml=6)
        )
    classes = " ".join(
        c
        for c in ("step-critical" if critical else "", "step-opened" if step.id == opened else "")
        if c
    )
    return html.Tr(
        [
            html.Td(name),
            html.Td(step.approving_unit),
            html.Td(f"{ui.day(step.planned_start)} → {ui.day(step.planned_finish)}"),
            html.Td(f"{ui.day(step.actual_start)} → {ui.day(step.actual_finish)}"),
            html.Td(
                dmc.Badge(
                    t(f"approval.status.{step.status.value}", language),
                    color=STATUS_COLOURS[step.status.value],
                    variant="light",
                )
            ),
            html.Td(_float_cell(step, language)),
            html.Td(ui.day(plan.late_finish if plan else None)),
            html.Td(step.document_number),
            html.Td(" ".join(x for x in (step.contact_person, step.contact_phone) if x)),
            html.Td(
                dmc.Button(
                    t("steps.edit" if may_edit else "steps.open", language),
                    id={"type": StepIds.EDIT, "index": step.id},
                    size="compact-xs",
                    variant="light",
                )
            ),
        ],
        className=classes or None,
        id=StepIds.row(step.id),
    )


def _steps_table(chain: ProjectChain, language: str, opened: int | None) -> Any:
    if not chain.steps:
        return dmc.Text(t("steps.none", language), c="dimmed", size="sm")
    head = [
        "label.step.name",
        "label.step.approving_unit",
        "steps.planned",
        "steps.actual",
        "steps.status",
        "steps.float",
        "steps.latest",
        "label.step.document_number",
        "label.step.contact_person",
        "steps.actions",
    ]
    return dmc.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
            html.Tbody(
                [
                    _step_row(s, language, opened=opened, may_edit=chain.may_edit)
                    for s in chain.steps
                ]
            ),
        ],
        striped=True,
        highlightOnHover=True,
        className="steps-table",
    )


def _link_row(link: LinkView, names: dict[str, str], language: str, may_edit: bool) -> Plain:
    lag = t("steps.lag", language, days=link.lag_days) if link.lag_days else ""
    return html.Tr(
        [
            html.Td(names.get(link.source, link.source)),
            html.Td("→"),
            html.Td(names.get(link.target, link.target)),
            html.Td(t(f"approval.kind.{link.kind}", language) + (f" · {lag}" if lag else "")),
            html.Td(t("gantt.chain.critical_path", language) if link.critical else ""),
            html.Td(
                dmc.Button(
                    t("steps.delete_link", language),
                    id={"type": StepIds.LINK_DELETE, "index": f"{link.id}:{link.version}"},
                    size="compact-xs",
                    variant="subtle",
                    color="red",
                )
                if may_edit
                else None
            ),
        ],
        className="link-critical" if link.critical else None,
    )


def _link_form(chain: ProjectChain, language: str) -> Plain:
    options = [{"value": key, "label": name} for key, name in _node_names(chain).items()]
    return dmc.Group(
        [
            dmc.Select(
                id=StepIds.LINK_SOURCE, data=options, label=t("steps.link_from", language), w=220
            ),
            dmc.Select(
                id=StepIds.LINK_TARGET, data=options, label=t("steps.link_to", language), w=220
            ),
            dmc.SegmentedControl(
                id=StepIds.LINK_KIND,
                data=[
                    {"value": k, "label": t(f"approval.kind.{k}", language)} for k in ("FS", "SS")
                ],
                value="FS",
            ),
            dmc.NumberInput(
                id=StepIds.LINK_LAG, label=t("label.link.lag_days", language), value=0, w=120
            ),
            dmc.Button(t("steps.add_link", language), id=StepIds.LINK_ADD, variant="light"),
        ],
        align="flex-end",
        gap="sm",
        mt="sm",
    )


def _summary(chain: ProjectChain, language: str) -> list[Any]:
    out: list[Any] = []
    if chain.problem is not None:
        out.append(ui.denied(chain.problem.render(language)))
    if chain.risk is not None:
        out.append(
            dmc.Alert(
                t(
                    "reason.start_at_risk",
                    language,
                    step=chain.risk.step_name,
                    latest=chain.risk.latest,
                    days=chain.risk.days_past,
                ),
                color="red",
                variant="light",
                className="steps-risk",
            )
        )
    target = chain.start
    if target is not None:
        out.append(
            dmc.Text(
                t(
                    "steps.target",
                    language,
                    name=target.name,
                    planned=ui.day(target.planned),
                    forecast=ui.day(target.forecast),
                    days="–" if target.float_days is None else target.float_days,
                ),
                size="sm",
                className="steps-target",
            )
        )
    return out


def section_body(chain: ProjectChain, language: str, *, opened: int | None = None) -> Plain:
    """The section's content: summary, steps, links and (for who may) the link form."""
    names = _node_names(chain)
    actions: list[Any] = []
    if chain.may_edit:
        actions.append(
            dmc.Button(t("steps.add", language), id={"type": StepIds.ADD, "index": 0}, size="xs")
        )
        if not chain.steps:
            actions.append(
                dmc.Button(t("steps.apply", language), id=StepIds.APPLY, size="xs", variant="light")
            )
    links: list[Any] = [
        dmc.Title(t("steps.links", language), order=5, mt="md"),
        dmc.Table(
            html.Tbody([_link_row(x, names, language, chain.may_edit) for x in chain.links]),
            className="links-table",
        )
        if chain.links
        else dmc.Text(t("steps.no_links", language), c="dimmed", size="sm"),
    ]
    if chain.may_edit:
        links.append(_link_form(chain, language))
    return html.Div(
        [
            *_summary(chain, language),
            dmc.Group(actions, gap="xs", mb="xs") if actions else None,
            _steps_table(chain, language, opened),
            *links,
            dmc.Text(
                t("steps.can_edit" if chain.may_edit else "steps.read_only", language),
                size="xs",
                c="dimmed",
                mt="xs",
            ),
        ]
    )


def _date(component_id: str, key: str, language: str, values: dict[str, Any]) -> Plain:
    return dmc.DatePickerInput(
        id=component_id,
        label=t(key, language),
        valueFormat="YYYY-MM-DD",
        monthLabelFormat=t("form.month_label", language),
        clearable=True,
        w=200,
        value=values[component_id],
    )


def step_modal(
    language: str, *, values: dict[str, Any] | None = None, may_edit: bool = True
) -> Plain:
    """The step form; opened at once with ``values`` (a ?step= link)."""
    v = values or form_values(None)
    fields = [
        dmc.TextInput(id=StepIds.NAME, label=t("label.step.name", language), value=v[StepIds.NAME]),
        dmc.TextInput(
            id=StepIds.UNIT, label=t("label.step.approving_unit", language), value=v[StepIds.UNIT]
        ),
        dmc.NumberInput(
            id=StepIds.LIMIT,
            label=t("label.step.time_limit_days", language),
            value=v[StepIds.LIMIT],
            w=200,
        ),
    ]
    dates = dmc.SimpleGrid(
        [
            _date(StepIds.PLANNED_START, "label.step.planned_start", language, v),
            _date(StepIds.PLANNED_FINISH, "label.step.planned_finish", language, v),
            _date(StepIds.ACTUAL_START, "label.step.actual_start", language, v),
            _date(StepIds.ACTUAL_FINISH, "label.step.actual_finish", language, v),
        ],
        cols=2,
    )
    more = [
        dmc.TextInput(
            id=StepIds.DOCUMENT,
            label=t("label.step.document_number", language),
            value=v[StepIds.DOCUMENT],
        ),
        dmc.Group(
            [
                dmc.TextInput(
                    id=StepIds.CONTACT,
                    label=t("label.step.contact_person", language),
                    value=v[StepIds.CONTACT],
                ),
                dmc.TextInput(
                    id=StepIds.PHONE,
                    label=t("label.step.contact_phone", language),
                    value=v[StepIds.PHONE],
                ),
            ]
        ),
        dmc.Textarea(
            id=StepIds.NOTE,
            label=t("label.step.note", language),
            value=v[StepIds.NOTE],
            autosize=True,
        ),
    ]
    buttons = dmc.Group(
        [
            dmc.Button(t("steps.save", language), id=StepIds.SAVE, disabled=not may_edit),
            dmc.Button(
                t("steps.delete", language),
                id=StepIds.DELETE,
                color="red",
                variant="subtle",
                disabled=not may_edit,
            ),
        ],
        mt="md",
    )
    return dmc.Modal(
        [
            dmc.Stack([*fields, dates, *more], gap="xs"),
            buttons,
            html.Div(id=StepIds.FORM_ERROR, className="form-error", role="alert"),
            dcc.Store(id=StepIds.FORM, data=v[StepIds.FORM]),
        ],
        id=StepIds.MODAL,
        title=t("steps.form_title", language),
        size="lg",
        opened=values is not None,
    )


def section(
    chain: ProjectChain | None,
    language: str,
    *,
    opened: StepView | None = None,
    refusal: str = "",
) -> Plain:
    """The whole section with its stores and form (``opened``: the step a link opens)."""
    body = (
        section_body(chain, language, opened=opened.id if opened else None)
        if chain is not None
        else ui.denied(refusal)
    )
    return html.Div(
        [
            ui.section(
                t("steps.title", language),
                html.Div(id=StepIds.NOTICE, role="alert", className="form-error"),
                html.Div(body, id=StepIds.SECTION),
                right=dcc.Link(t("steps.units_link", language), href="/approvals"),
            ),
            step_modal(
                language,
                values=form_values(opened) if opened is not None else None,
                may_edit=bool(chain and chain.may_edit),
            ),
            dcc.Store(id=StepIds.REFRESH),
            dcc.Store(id=StepIds.PROJECT, data=chain.project_id if chain else None),
        ],
        className="project-steps",
    )
