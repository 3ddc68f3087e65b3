"""前期手续: the standard approval steps, a step's status, node keys of a project's chain, and
the approving units' light — pure rules, no database (#17).

A project's chain is a small network: its approval steps and its milestones are the nodes,
``StepLink`` rows the edges. A node is named by a key, ``"step:<id>"`` or
``"milestone:<id>"`` (``step_key`` / ``milestone_key``); the critical path
(``tracker.domain.critical_path``) works on those keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tracker.domain import critical_path as cp
from tracker.domain import workdays
from tracker.domain.rules import RULES_BY_CODE, Light, Thresholds, grade

START_MILESTONE = "开工建设"  # the milestone a chain leads to (the target 开工)
FINISH_MILESTONE = "竣工验收"  # the target 竣工
LINK_KINDS = ("FS", "SS")
MILESTONE_REF = "milestone:"  # a template's link end naming a milestone by its name


class StepStatus(StrEnum):
    """未启动 / 办理中 / 已办结 / 超时 (catalogue: ``approval.status.<value>``)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"


def step_key(step_id: int) -> str:
    return f"step:{step_id}"


def milestone_key(milestone_id: int) -> str:
    return f"milestone:{milestone_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    """("step" | "milestone", id) from a node key; None when it is not one."""
    kind, _, number = str(key).partition(":")
    if kind not in ("step", "milestone") or not number.isdigit():
        return None
    return kind, int(number)


@dataclass(frozen=True)
class StepType:
    """A standard step of the catalogue: its code, name, approving unit and time limit."""

    code: str
    name: str
    approving_unit: str
    time_limit_days: int


@dataclass(frozen=True)
class TemplateLink:
    """A link of a template: ends are step codes or ``"milestone:<name>"``."""

    source: str
    target: str
    kind: str = "FS"
    lag: int = 0


@dataclass(frozen=True)
class Template:
    name: str
    nature: str  # 新建 | 续建 | "" (any)
    steps: tuple[str, ...]
    links: tuple[TemplateLink, ...]


NDRC = "市发展和改革委员会"
LAND = "市自然资源和规划局"
ENV = "市生态环境局"
WATER = "市水务局"
FOREST = "市林业和草原局"
HOUSING = "市住房和城乡建设局"

# The standard steps in the order a chain usually runs (time limits: working days, as the
# units' published service commitments give them).
STANDARD_STEPS: tuple[StepType, ...] = (
    StepType("proposal", "项目建议书批复", NDRC, 10),
    StepType("site", "用地预审与选址意见书", LAND, 20),
    StepType("feasibility", "可行性研究报告批复", NDRC, 20),
    StepType("eia", "环境影响评价批复", ENV, 30),
    StepType("energy", "节能审查（能评）", NDRC, 15),
    StepType("soil", "水土保持方案批复", WATER, 20),
    StepType("forest", "使用林地审核", FOREST, 20),
    StepType("land", "用地批复", LAND, 40),
    StepType("planning", "建设工程规划许可证", LAND, 20),
    StepType("drawing", "施工图审查", HOUSING, 15),
    StepType("permit", "施工许可证", HOUSING, 7),
)
STEPS_BY_CODE: dict[str, StepType] = {step.code: step for step in STANDARD_STEPS}

_START = MILESTONE_REF + START_MILESTONE
STANDARD_TEMPLATES: tuple[Template, ...] = (
    Template(
        "新建项目（全流程）",
        "新建",
        tuple(step.code for step in STANDARD_STEPS),
        (
            TemplateLink("proposal", "site"),
            TemplateLink("site", "feasibility"),
            # the parallel procedures start with the feasibility study (并联审批)
            TemplateLink("feasibility", "eia", "SS", 5),
            TemplateLink("feasibility", "energy", "SS", 5),
            TemplateLink("feasibility", "soil", "SS", 5),
            TemplateLink("feasibility", "forest", "SS", 5),
            TemplateLink("feasibility", "land"),
            TemplateLink("forest", "land"),
            TemplateLink("land", "planning"),
            TemplateLink("planning", "drawing"),
            TemplateLink("drawing", "permit"),
            TemplateLink("eia", "permit"),
            TemplateLink("energy", "permit"),
            TemplateLink("soil", "permit"),
            TemplateLink("permit", _START, "FS", 5),
        ),
    ),
    Template(
        "续建及改扩建项目（简化）",
        "",
        ("feasibility", "eia", "land", "planning", "permit"),
        (
            TemplateLink("feasibility", "eia", "SS", 5),
            TemplateLink("feasibility", "land"),
            TemplateLink("land", "planning"),
            TemplateLink("planning", "permit"),
            TemplateLink("eia", "permit"),
            TemplateLink("permit", _START, "FS", 5),
        ),
    ),
)


def step_status(
    *,
    planned_finish: date | None,
    actual_start: date | None,
    actual_finish: date | None,
    limit_due: date | None,
    today: date,
) -> StepStatus:
    """已办结 when approved (on or before today), 超时 when past its planned finish or (once
    submitted) past the unit's committed limit ``limit_due``, 办理中 once submitted, else
    未启动. ``limit_due``: the working day the limit ends, counted from ``actual_start``."""
    if actual_finish is not None and actual_finish <= today:
        return StepStatus.DONE
    if planned_finish is not None and planned_finish < today:
        return StepStatus.OVERDUE
    if actual_start is not None and actual_start <= today:
        if limit_due is not None and limit_due < today:
            return StepStatus.OVERDUE
        return StepStatus.IN_PROGRESS
    return StepStatus.NOT_STARTED


def unit_light(overdue: int, thresholds: Thresholds) -> Light:
    """An approving unit's light by its overdue steps (rule ``approval_unit_overdue``)."""
    return grade(overdue, RULES_BY_CODE["approval_unit_overdue"], thresholds) or Light.GREEN


# --- a project's chain as a network (tracker.domain.critical_path) ----------------------------


@dataclass(frozen=True)
class StepFacts:
    """What the schedule needs of a step."""

    id: int
    name: str
    time_limit_days: int
    planned_start: date | None = None
    planned_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None


@dataclass(frozen=True)
class MilestoneFacts:
    id: int
    name: str
    planned_date: date
    actual_date: date | None = None


@dataclass(frozen=True)
class LinkFacts:
    source: str  # node key
    target: str
    kind: str = "FS"
    lag: int = 0


@dataclass(frozen=True)
class NodeSchedule:
    """A node's place in its project's schedule (working days on the Chinese calendar).

    ``early_*``: as soon as the links allow from today (actual dates where there are);
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
class TargetView:
    """开工 or 竣工 of a project as its chain sees it."""

    key: str  # the milestone's node key
    name: str
    planned: date | None  # the planned date the latest dates keep
    forecast: date | None  # the earliest the chain allows
    float_days: int | None  # working days planned - forecast (negative: the chain is late)
    path: tuple[str, ...]  # node keys of the critical path, first to last


@dataclass(frozen=True)
class LateStep:
    """The unfinished step whose latest date that keeps the planned start passed longest
    ago: ``latest`` is its latest start when not submitted yet, else its latest finish."""

    step_id: int
    name: str
    latest: date
    days_past: int  # working days after ``latest`` up to today


@dataclass(frozen=True)
class ChainSchedule:
    nodes: dict[str, NodeSchedule]
    start: TargetView | None
    finish: TargetView | None
    late_step: LateStep | None  # the start at risk (None when not, or already started)


def step_duration(step: StepFacts) -> int:
    """Working days a step takes: its planned span when both planned dates are set, else
    the approving unit's committed limit (at least one day)."""
    if step.planned_start and step.planned_finish and step.planned_finish >= step.planned_start:
        return max(1, workdays.count_workdays(step.planned_start, step.planned_finish))
    return max(1, step.time_limit_days)


def limit_due(actual_start: date | None, time_limit_days: int) -> date | None:
    """The last working day of the committed limit counted from the submission."""
    if actual_start is None:
        return None
    return workdays.add_workdays(workdays.next_workday(actual_start), max(1, time_limit_days) - 1)


def workdays_after(day: date, today: date) -> int:
    """Working days after ``day`` up to and including ``today`` (0 when not after)."""
    return workdays.count_workdays(day + timedelta(days=1), today)


_KINDS = {kind.value: kind for kind in cp.LinkType}


def _target(milestones: Sequence[MilestoneFacts], name: str, linked: set[str]) -> str | None:
    for m in milestones:
        if m.name.strip() == name and milestone_key(m.id) in linked:
            return milestone_key(m.id)
    return None


def chain_schedule(
    steps: Sequence[StepFacts],
    milestones: Sequence[MilestoneFacts],
    links: Sequence[LinkFacts],
    *,
    today: date,
    started: bool = False,
    detail: bool = True,
) -> ChainSchedule:
    """The chain's schedule to 开工 (the milestone 开工建设) and 竣工 (竣工验收), each when a
    link leads to it; the nodes are the steps and the milestones the links name. Raises
    ``critical_path.NetworkError`` for a cycle (its steps named). ``started``: the project
    has started, so nothing holds its start any more. ``detail`` False: only the target
    开工 and the late step (the light), without each node's dates."""
    targets_of = {m.id: m for m in milestones}
    linked = {key for link in links for key in (link.source, link.target)}
    incoming = {link.target for link in links}
    activities = [
        cp.Activity(
            step_key(s.id),
            step_duration(s),
            s.name,
            actual_start=s.actual_start,
            actual_finish=s.actual_finish,
        )
        for s in steps
    ]
    for key in sorted(linked):
        parsed = parse_key(key)
        if parsed and parsed[0] == "milestone" and parsed[1] in targets_of:
            m = targets_of[parsed[1]]
            activities.append(cp.Activity(key, 0, m.name, actual_finish=m.actual_date))
    start_key = _target(milestones, START_MILESTONE, incoming)
    finish_key = _target(milestones, FINISH_MILESTONE, incoming)
    planned = {milestone_key(m.id): m.planned_date for m in milestones}
    keys = (start_key, finish_key) if detail else (start_key,)
    wanted = {k: planned[k] for k in keys if k is not None}
    result = cp.schedule(
        activities,
        [cp.Link(x.source, x.target, _KINDS[x.kind], x.lag) for x in links],
        today=today,
        targets=wanted,
    )
    start = result.targets.get(start_key) if start_key else None
    finish = result.targets.get(finish_key) if finish_key else None
    nodes = (
        {a.id: _node(a.id, result.early[a.id], start, finish) for a in activities} if detail else {}
    )
    names = {a.id: a.name for a in activities}
    late = None if started or start is None else _late_step(start, steps, today)
    return ChainSchedule(
        nodes,
        _target_view(start, names) if start else None,
        _target_view(finish, names) if finish else None,
        late,
    )


def _node(
    key: str,
    early: tuple[date, date],
    start: cp.TargetPath | None,
    finish: cp.TargetPath | None,
) -> NodeSchedule:
    own = start.timings.get(key) if start else None
    to_finish = finish.timings.get(key) if finish else None
    timing = own or to_finish
    return NodeSchedule(
        key,
        early[0],
        early[1],
        timing.late_start if timing else None,
        timing.late_finish if timing else None,
        timing.total_float if timing else None,
        bool(own and own.critical),
        bool(to_finish and to_finish.critical),
    )


def _target_view(path: cp.TargetPath, names: dict[str, str]) -> TargetView:
    return TargetView(
        path.target,
        names.get(path.target, ""),
        path.deadline,
        path.early_date,
        path.total_float,
        path.path,
    )


def _late_step(path: cp.TargetPath, steps: Sequence[StepFacts], today: date) -> LateStep | None:
    by_key = {step_key(s.id): s for s in steps}
    for key in path.late:
        step = by_key.get(key)
        timing = path.timings.get(key)
        if step is None or timing is None or timing.late_start is None:
            continue
        latest = timing.late_start if step.actual_start is None else timing.late_finish
        assert latest is not None
        return LateStep(step.id, step.name, latest, max(1, workdays_after(latest, today)))
    return None


# --- the approving units (审批部门) -------------------------------------------------------------


@dataclass(frozen=True)
class UnitStep:
    """A step as the approving units' view counts it."""

    approving_unit: str
    time_limit_days: int
    planned_finish: date | None
    actual_start: date | None
    actual_finish: date | None


@dataclass(frozen=True)
class UnitCount:
    approving_unit: str
    steps: int
    not_started: int
    in_progress: int
    overdue: int  # submitted, not approved, past the committed limit (the unit's own delay)
    late_to_submit: int  # not submitted, past the planned approval (the project's delay)
    done: int
    average_days: float | None
    limit_days: float | None
    light: Light


def status_of(step: UnitStep, today: date) -> StepStatus:
    return step_status(
        planned_finish=step.planned_finish,
        actual_start=step.actual_start,
        actual_finish=step.actual_finish,
        limit_due=limit_due(step.actual_start, step.time_limit_days),
        today=today,
    )


def over_limit(step: UnitStep, today: date) -> int:
    """Working days a submitted, unapproved step is past the unit's committed limit (0: not
    past, or not in the unit's hands)."""
    if step.actual_finish is not None and step.actual_finish <= today:
        return 0
    due = limit_due(step.actual_start, step.time_limit_days)
    if due is None or step.actual_start is None or step.actual_start > today or due >= today:
        return 0
    return workdays_after(due, today)


def unit_counts(
    steps: Sequence[UnitStep], *, today: date, thresholds: Thresholds
) -> list[UnitCount]:
    """Per approving unit: how many steps in each state, the average working days from
    submission to approval of the approved ones against their committed limits, and the
    unit's light by its overdue steps; the most overdue units first."""
    groups: dict[str, list[UnitStep]] = {}
    for step in steps:
        groups.setdefault(step.approving_unit, []).append(step)
    rows = [_unit_count(unit, items, today, thresholds) for unit, items in groups.items()]
    rows.sort(key=lambda r: (-r.light.rank, -r.overdue, -r.in_progress, r.approving_unit))
    return rows


def _unit_count(
    unit: str, items: Sequence[UnitStep], today: date, thresholds: Thresholds
) -> UnitCount:
    states = [status_of(s, today) for s in items]
    overdue = sum(1 for s in items if over_limit(s, today) > 0)
    late = sum(
        1
        for s, state in zip(items, states, strict=True)
        if state is StepStatus.OVERDUE
        and over_limit(s, today) == 0
        and (s.actual_start is None or s.actual_start > today)
    )
    done = [
        s
        for s, state in zip(items, states, strict=True)
        if state is StepStatus.DONE and s.actual_start is not None and s.actual_finish is not None
    ]
    took = [workdays.count_workdays(s.actual_start, s.actual_finish) for s in done]  # type: ignore[arg-type]
    return UnitCount(
        unit,
        len(items),
        sum(1 for state in states if state is StepStatus.NOT_STARTED),
        sum(
            1
            for s, state in zip(items, states, strict=True)
            if s.actual_start is not None
            and s.actual_start <= today
            and state is not StepStatus.DONE
            and over_limit(s, today) == 0
        ),
        overdue,
        late,
        sum(1 for state in states if state is StepStatus.DONE),
        round(sum(took) / len(took), 1) if took else None,
        round(sum(s.time_limit_days for s in done) / len(done), 1) if done else None,
        unit_light(overdue, thresholds),
    )
