"""前期手续 use cases (#17): a project's approval steps and their links, the schedule of its
chain (critical path and float to 开工 and 竣工), the start-at-risk light reason, and the
approving units' view.

Editing follows milestones (tracker/services/milestones.py): the county lead of the
project's county (or its lead unit, or the office) edits; every save names the version it
was based on and is one ``UPDATE … WHERE id = :id AND version = :seen`` (a stale save is
refused with ``ConflictError("approval.stale")``); every change writes an audit row
(entity ``projectstep`` / ``steplink``) in the same transaction.

Node keys: ``"step:<id>"`` and ``"milestone:<id>"`` (tracker.domain.approvals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from tracker.domain.approvals import StepStatus
from tracker.domain.messages import Message
from tracker.domain.rules import Light, Thresholds
from tracker.services.auth import Actor

# --- what the services return ----------------------------------------------------------------


@dataclass(frozen=True)
class StepTypeView:
    """A standard step of the catalogue."""

    id: int
    code: str
    name: str
    approving_unit: str
    time_limit_days: int


@dataclass(frozen=True)
class TemplateView:
    id: int
    name: str
    nature: str  # 新建 | 续建 | "" (any)
    steps: tuple[str, ...]  # step names, in order


@dataclass(frozen=True)
class NodeSchedule:
    """A node's place in its project's schedule (working days on the Chinese calendar).

    ``early_*``: as soon as the links allow (actual dates where the step has them);
    ``late_*``: the latest that still keeps the planned 开工 (for nodes that lead to it; else
    the planned 竣工); ``total_float``: working days between them (negative: already late).
    """

    key: str
    early_start: date | None
    early_finish: date | None
    late_start: date | None
    late_finish: date | None
    total_float: int | None
    critical: bool  # on the critical path to 开工
    critical_to_finish: bool  # on the critical path to 竣工


@dataclass(frozen=True)
class StepView:
    """One approval step of a project, as the page, the map and the exports show it."""

    id: int
    key: str  # "step:<id>"
    project_id: int
    seq: int
    name: str
    approving_unit: str
    time_limit_days: int
    planned_start: date | None
    planned_finish: date | None
    actual_start: date | None
    actual_finish: date | None
    document_number: str
    contact_person: str
    contact_phone: str
    note: str
    status: StepStatus
    version: int
    schedule: NodeSchedule | None  # None when the chain cannot be scheduled (a cycle)


@dataclass(frozen=True)
class MilestoneNode:
    """A milestone as a node of the chain (zero duration)."""

    id: int
    key: str  # "milestone:<id>"
    name: str
    planned_date: date
    actual_date: date | None
    schedule: NodeSchedule | None


@dataclass(frozen=True)
class LinkView:
    id: int
    project_id: int
    source: str  # node key of the predecessor
    target: str  # node key of the successor
    kind: str  # FS | SS
    lag_days: int  # working days
    version: int
    critical: bool  # both ends on the critical path to 开工 (or to 竣工) and the link drives


@dataclass(frozen=True)
class TargetView:
    """开工 or 竣工 of a project as its chain sees it."""

    key: str  # the milestone's node key
    name: str
    planned: date | None  # the planned date the latest dates keep
    forecast: date | None  # the earliest the chain allows
    float_days: int | None  # working days planned - forecast (negative: the chain is late)
    path: tuple[str, ...]  # node keys of the critical path, first to last


@dataclass(frozen=True)
class StartRisk:
    """The light reason "start at risk": the unfinished step whose latest date that keeps
    the planned start passed longest ago."""

    project_id: int
    step_id: int
    step_name: str
    latest_finish: date
    days_past: int  # working days since ``latest_finish``


@dataclass(frozen=True)
class ProjectChain:
    project_id: int
    code: str
    name: str
    county: str
    planned_start: date | None
    steps: tuple[StepView, ...]
    milestones: tuple[MilestoneNode, ...]
    links: tuple[LinkView, ...]
    start: TargetView | None  # to 开工 (None: no 开工建设 milestone linked)
    finish: TargetView | None  # to 竣工
    risk: StartRisk | None
    problem: Message | None  # why the chain has no schedule (a cycle, named)
    may_edit: bool  # the actor may edit this project's steps and links


@dataclass(frozen=True)
class OverdueStep:
    project_id: int
    project_code: str
    project_name: str
    county: str
    step_id: int
    step_name: str
    approving_unit: str
    due: date  # the planned finish or the committed limit's end, whichever passed first
    days_over: int  # working days past ``due``
    contact_person: str
    contact_phone: str


@dataclass(frozen=True)
class UnitRow:
    """One approving unit (审批部门) on the units' view and in the bulletin's annex."""

    approving_unit: str
    steps: int
    not_started: int
    in_progress: int  # submitted, not approved, within time (办理中)
    overdue: int  # 超时
    done: int
    average_days: float | None  # working days from submission to approval, done steps
    limit_days: float | None  # the committed limit averaged over the same steps
    light: Light
    overdue_items: tuple[OverdueStep, ...]  # the most overdue first


@dataclass(frozen=True)
class StepSaveResult:
    step_id: int
    project_id: int
    version: int


@dataclass(frozen=True)
class LinkSaveResult:
    link_id: int
    project_id: int
    version: int


@dataclass(frozen=True)
class ApplyResult:
    project_id: int
    template: str
    steps: int
    links: int


# --- reading -----------------------------------------------------------------------------------


def catalogue(session: Session) -> list[StepTypeView]:
    """The standard steps, in their order."""
    raise NotImplementedError


def templates(session: Session) -> list[TemplateView]:
    """The chain templates, in their order."""
    raise NotImplementedError


def project_chain(session: Session, *, actor: Actor, project_id: Any, today: date) -> ProjectChain:
    """One project's steps, milestones, links and schedule (``NotFound`` when missing)."""
    raise NotImplementedError


def chains(
    session: Session, *, actor: Actor, today: date, project_ids: Sequence[int] | None = None
) -> dict[int, ProjectChain]:
    """The chains of many projects at once (the battle map, the exports): a few queries,
    whatever the number of projects. ``None``: every project."""
    raise NotImplementedError


def start_risks(
    session: Session, *, today: date, project_ids: Sequence[int] | None = None
) -> dict[int, StartRisk]:
    """Projects whose start is at risk (the light reason), by project id; no actor: the
    statuses read it like milestones."""
    raise NotImplementedError


def approving_units(
    session: Session, *, actor: Actor, today: date, thresholds: Thresholds
) -> list[UnitRow]:
    """Per 审批部门: steps in progress, overdue, average working days against the limit and
    a light by overdue items; the reddest and most overdue first."""
    raise NotImplementedError


# --- writing -----------------------------------------------------------------------------------


def apply_template(
    session: Session, *, actor: Actor, project_id: Any, template_id: Any = None, today: date
) -> ApplyResult:
    """Give a project without steps the steps and links of a template (the one for its
    nature when ``template_id`` is None), planned back from its planned start."""
    raise NotImplementedError


def save_step(
    session: Session,
    *,
    actor: Actor,
    project_id: Any,
    step_id: Any = None,
    seen_version: Any = None,
    today: date,
    name: Any = None,
    approving_unit: Any = None,
    time_limit_days: Any = None,
    planned_start: Any = None,
    planned_finish: Any = None,
    actual_start: Any = None,
    actual_finish: Any = None,
    document_number: Any = None,
    contact_person: Any = None,
    contact_phone: Any = None,
    note: Any = None,
    step_type_id: Any = None,
) -> StepSaveResult:
    """Add a step (``step_id`` None) or save the whole form of one (values as the dialog
    sends them: texts, ISO dates, "" for none); refused when stale, out of scope or bad."""
    raise NotImplementedError


def delete_step(session: Session, *, actor: Actor, step_id: Any, seen_version: Any) -> int:
    """Remove a step and its links; returns the project id."""
    raise NotImplementedError


def save_link(
    session: Session,
    *,
    actor: Actor,
    project_id: Any,
    source: Any,
    target: Any,
    kind: Any = "FS",
    lag_days: Any = 0,
    link_id: Any = None,
    seen_version: Any = None,
) -> LinkSaveResult:
    """Add or change a link between two nodes of the project; refused when it would close a
    cycle (the steps named), joins another project's node, or repeats a link."""
    raise NotImplementedError


def delete_link(session: Session, *, actor: Actor, link_id: Any, seen_version: Any) -> int:
    """Remove a link; returns the project id."""
    raise NotImplementedError


def seed_catalogue(session: Session) -> None:
    """Write the standard steps and templates when the catalogue is empty (init, demo)."""
    raise NotImplementedError
