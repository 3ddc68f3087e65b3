"""The demo office's 前期手续 (#17): every project gets the chain of its template, planned at
the latest dates that keep its planned 开工, and what happened to it by the demo's day.

- Started projects finished every step before their start (some approving units took
  longer than they committed, so the units' averages differ from their limits).
- Some projects started this year began work while a parallel procedure (环评, 能评, 水保,
  林地) was still with its unit (容缺受理); at the slow units some of those are past the
  committed limit (超时), which colours those units amber or red.
- Projects not started yet are mid-chain: steps approved in order, the current ones
  submitted, and one step that stalls (never submitted) past its latest date: their start
  is now at risk (the light reason names the step).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import Session, col, select

from tracker.domain import workdays
from tracker.models import Project, ProjectStep, StepLink
from tracker.services import approvals

SLOW_UNITS = ("市自然资源和规划局", "市生态环境局")
PARALLEL = ("环境影响评价批复", "节能审查（能评）", "水土保持方案批复", "使用林地审核")
STALLS = (
    "用地预审与选址意见书",
    "用地批复",
    "环境影响评价批复",
)  # steps that stall in practice  # the units whose steps run over in the demo
CONTACTS = ("赵丽", "钱军", "孙红梅", "周涛", "吴敏", "郑凯", "冯雪", "陈亮")


def add_demo_chains(session: Session, *, as_of: date, seed: int = 2021) -> None:
    """Chains for every project of the demo (after its projects and milestones exist)."""
    approvals.seed_catalogue(session)
    projects = session.exec(select(Project).order_by(col(Project.sort_order))).all()
    for project in projects:
        template = approvals.template_for(session, project)
        steps, links = approvals.build_chain(session, project, template, today=as_of)
        events = random.Random(f"{seed}:approvals:{project.code}")
        if _started(project, as_of):
            _all_done(steps, project, events)
            _pending_in_parallel(steps, project, as_of, events)
        else:
            _mid_chain(steps, links, as_of, events)
        for step in steps:
            step.contact_person = events.choice(CONTACTS)
            step.contact_phone = f"0883-21{events.randint(10000, 99999)}"
            session.add(step)
    session.flush()


def _started(project: Project, as_of: date) -> bool:
    return project.actual_start is not None and project.actual_start <= as_of


def _document_number(step: ProjectStep, day: date, rng: random.Random) -> str:
    prefix = {
        "市发展和改革委员会": "临发改投资",
        "市自然资源和规划局": "临自然资规",
        "市生态环境局": "临环审",
        "市水务局": "临水保",
        "市林业和草原局": "临林地审",
        "市住房和城乡建设局": "临住建施",
    }.get(step.approving_unit, "临审")
    return f"{prefix}〔{day.year}〕{rng.randint(3, 180)}号"


def _took(step: ProjectStep, rng: random.Random) -> int:
    """Working days the unit took: mostly within its limit, the slow units often over it."""
    factor = rng.uniform(0.9, 1.6) if step.approving_unit in SLOW_UNITS else rng.uniform(0.5, 1.05)
    return max(1, round(step.time_limit_days * factor))


def _all_done(steps: list[ProjectStep], project: Project, rng: random.Random) -> None:
    """Every step approved before the project started, in the order planned."""
    start = project.actual_start
    assert start is not None
    for step in steps:
        finish = step.planned_finish or start - timedelta(days=10)
        finish = min(finish + timedelta(days=rng.randint(-8, 4)), start - timedelta(days=1))
        began = workdays.add_workdays(finish, -(_took(step, rng) - 1))
        step.actual_start = workdays.next_workday(began)
        step.actual_finish = max(workdays.previous_workday(finish), step.actual_start)
        step.document_number = _document_number(step, step.actual_finish, rng)


def _pending_in_parallel(
    steps: list[ProjectStep], project: Project, as_of: date, rng: random.Random
) -> None:
    """容缺受理: a project started this year may begin work while a parallel procedure (环评,
    能评, 水保, 林地) is still with its unit; some of those are past the unit's limit."""
    start = project.actual_start
    parallel = [s for s in steps if s.step_type_id is not None and s.name in PARALLEL]
    if not parallel or start is None or start < date(as_of.year, 3, 1) or rng.random() < 0.55:
        return
    step = rng.choice(parallel)
    submitted = workdays.previous_workday(as_of - timedelta(days=rng.randint(3, 60)))
    step.actual_start, step.actual_finish, step.document_number = submitted, None, ""


def _mid_chain(
    steps: list[ProjectStep], links: list[StepLink], as_of: date, rng: random.Random
) -> None:
    """A project not started yet: each step submitted once what it waits for is done (its
    planned date at the earliest), approved after the time its unit takes. The first step
    due on the way to 开工 was never submitted: its latest date has passed, so the start is
    at risk."""
    by_id = {s.id: s for s in steps}
    waits: dict[int, list[tuple[ProjectStep, str]]] = {s.id or 0: [] for s in steps}
    for link in links:
        if link.from_step_id in by_id and link.to_step_id in by_id:
            waits[link.to_step_id or 0].append((by_id[link.from_step_id], link.kind))
    stalled = False
    for step in steps:  # the template's order: every step after those it waits for
        begin = _may_begin(step, waits[step.id or 0])
        if begin is None or begin > as_of:
            continue
        if not stalled and begin < as_of - timedelta(days=20) and step.name in STALLS:
            stalled = True  # never submitted: the documents are not ready
            continue
        submitted = workdays.next_workday(begin + timedelta(days=rng.randint(0, 5)))
        if submitted > as_of:
            continue
        step.actual_start = submitted
        finish = workdays.add_workdays(submitted, _took(step, rng) - 1)
        if finish < as_of:
            step.actual_finish = finish
            step.document_number = _document_number(step, finish, rng)


def _may_begin(step: ProjectStep, waits: list[tuple[ProjectStep, str]]) -> date | None:
    """The day the step may be submitted: its planned start, once every step it waits for
    has been approved (FS) or submitted (SS); None while one has not."""
    day = step.planned_start
    for before, kind in waits:
        reached = before.actual_start if kind == "SS" else before.actual_finish
        if reached is None:
            return None
        day = max(day or reached, reached + timedelta(days=1))
    return day
