"""前期手续: the standard approval steps, a step's status, node keys of a project's chain, and
the approving units' light — pure rules, no database (#17).

A project's chain is a small network: its approval steps and its milestones are the nodes,
``StepLink`` rows the edges. A node is named by a key, ``"step:<id>"`` or
``"milestone:<id>"`` (``step_key`` / ``milestone_key``); the critical path
(``tracker.domain.critical_path``) works on those keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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
