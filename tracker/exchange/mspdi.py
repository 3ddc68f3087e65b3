"""MS Project XML (MSPDI) of a plain plan, and back.

Writing: one summary task per project (outline level 1), its steps and milestones beneath
(level 2), links as ``PredecessorLink`` (FS = type 1, SS = type 3, lag in working days),
a calendar of Chinese working days (holidays and 调休 days as exceptions) so that MS
Project counts durations the way we do (8-hour days). Our codes travel in the task field
Text1 (alias 编码) and the kind (step / milestone / project) in Text2 (alias 类型), so a file
edited in MS Project or another tool still matches by code when it comes back.

Reading (defusedxml): the same shape back into a ``Plan``; anything that does not fit is
refused naming the task (its UID and name) and the element. Dates are days (the time of day
is dropped); a duration is recomputed from the dates on our calendar.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # writing only; reading goes through defusedxml
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from defusedxml import ElementTree as SafeET

from tracker.domain import workdays
from tracker.domain.critical_path import LinkType
from tracker.exchange import ExchangeError

NS = "http://schemas.microsoft.com/project"
CODE_FIELD = ("188743731", "Text1", "编码")
KIND_FIELD = ("188743734", "Text2", "类型")
MINUTES_PER_DAY = 480
_LINK_TYPES = {LinkType.FS: "1", LinkType.SS: "3"}
_LINK_NAMES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}


class TaskKind(StrEnum):
    STEP = "step"
    MILESTONE = "milestone"


@dataclass(frozen=True)
class PlanTask:
    """A step (前期手续) or a milestone (节点) of a project."""

    code: str  # unique in the plan: the key an import matches on
    name: str
    kind: TaskKind
    start: date  # planned start (a milestone: its planned day)
    finish: date  # planned finish, the last day worked (a milestone: its planned day)
    actual_start: date | None = None
    actual_finish: date | None = None  # a milestone reached: its actual day
    notes: str = ""  # free text (审批部门, 批复文号, contact ...)


@dataclass(frozen=True)
class PlanProject:
    code: str  # the project's code (unique)
    name: str
    tasks: tuple[PlanTask, ...]


@dataclass(frozen=True)
class PlanLink:
    predecessor: str  # a task's code
    successor: str  # a task's code
    type: LinkType = LinkType.FS
    lag: int = 0  # working days


@dataclass(frozen=True)
class Plan:
    projects: tuple[PlanProject, ...]
    links: tuple[PlanLink, ...]
    title: str = ""

    def task_count(self) -> int:
        """Tasks in the file: one summary per project plus its steps and milestones."""
        return sum(1 + len(p.tasks) for p in self.projects)


# --- writing ------------------------------------------------------------------------------


def write_mspdi(plan: Plan, *, created: datetime) -> bytes:
    """The plan as MSPDI bytes (UTF-8). ``created`` is written as the file's creation date."""
    root = ET.Element("Project", xmlns=NS)
    days = [d for p in plan.projects for t in p.tasks for d in (t.start, t.finish)]
    first, last = (min(days), max(days)) if days else (created.date(), created.date())
    _text(root, "SaveVersion", "14")
    _text(root, "Name", plan.title or "plan")
    _text(root, "Title", plan.title)
    _text(root, "CreationDate", created.strftime("%Y-%m-%dT%H:%M:%S"))
    _text(root, "ScheduleFromStart", "1")
    _text(root, "StartDate", _at(first, "08:00"))
    _text(root, "FinishDate", _at(last, "17:00"))
    _text(root, "CalendarUID", "1")
    _text(root, "DefaultStartTime", "08:00:00")
    _text(root, "DefaultFinishTime", "17:00:00")
    _text(root, "MinutesPerDay", str(MINUTES_PER_DAY))
    _text(root, "MinutesPerWeek", str(MINUTES_PER_DAY * 5))
    _text(root, "DaysPerMonth", "20")
    attributes = ET.SubElement(root, "ExtendedAttributes")
    for field_id, field_name, alias in (CODE_FIELD, KIND_FIELD):
        attribute = ET.SubElement(attributes, "ExtendedAttribute")
        _text(attribute, "FieldID", field_id)
        _text(attribute, "FieldName", field_name)
        _text(attribute, "Alias", alias)
    _write_calendar(ET.SubElement(root, "Calendars"), first, last)
    _write_tasks(ET.SubElement(root, "Tasks"), plan)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element


def _at(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}:00"


def _working_times(parent: ET.Element) -> None:
    times = ET.SubElement(parent, "WorkingTimes")
    for start, finish in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
        period = ET.SubElement(times, "WorkingTime")
        _text(period, "FromTime", start)
        _text(period, "ToTime", finish)


def _write_calendar(calendars: ET.Element, first: date, last: date) -> None:
    calendar = ET.SubElement(calendars, "Calendar")
    _text(calendar, "UID", "1")
    _text(calendar, "Name", "中国工作日")
    _text(calendar, "IsBaseCalendar", "1")
    week = ET.SubElement(calendar, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday … 7 = Saturday
        weekday = ET.SubElement(week, "WeekDay")
        _text(weekday, "DayType", str(day_type))
        working = day_type not in (1, 7)
        _text(weekday, "DayWorking", "1" if working else "0")
        if working:
            _working_times(weekday)
    off, worked = workdays.exceptions(date(first.year, 1, 1), date(last.year, 12, 31))
    for day, working in sorted([(d, False) for d in off] + [(d, True) for d in worked]):
        exception = ET.SubElement(week, "WeekDay")
        _text(exception, "DayType", "0")
        _text(exception, "DayWorking", "1" if working else "0")
        period = ET.SubElement(exception, "TimePeriod")
        _text(period, "FromDate", _at(day, "00:00"))
        _text(period, "ToDate", _at(day, "23:59"))
        if working:
            _working_times(exception)


def _duration(days: int) -> str:
    return f"PT{days * MINUTES_PER_DAY // 60}H0M0S"


def _write_tasks(tasks: ET.Element, plan: Plan) -> None:
    uids: dict[str, int] = {}
    predecessors: dict[str, list[PlanLink]] = {}
    for link in plan.links:
        predecessors.setdefault(link.successor, []).append(link)
    uid = 0
    rows: list[tuple[int, int, PlanProject | PlanTask, int]] = []
    for p_number, project in enumerate(plan.projects, start=1):
        uid += 1
        rows.append((uid, 1, project, p_number))
        for t_number, task in enumerate(project.tasks, start=1):
            uid += 1
            uids[task.code] = uid
            rows.append((uid, 2, task, t_number))
    outline = ""
    for uid, level, item, number in rows:
        outline = str(number) if level == 1 else f"{outline.split('.')[0]}.{number}"
        element = ET.SubElement(tasks, "Task")
        if isinstance(item, PlanProject):
            _write_summary(element, uid, item, outline)
        else:
            _write_task(element, uid, item, outline, predecessors.get(item.code, []), uids)


def _write_summary(element: ET.Element, uid: int, project: PlanProject, outline: str) -> None:
    starts = [t.start for t in project.tasks]
    finishes = [t.finish for t in project.tasks]
    _text(element, "UID", str(uid))
    _text(element, "ID", str(uid))
    _text(element, "Name", project.name)
    _text(element, "Type", "1")
    _text(element, "IsNull", "0")
    _text(element, "WBS", outline)
    _text(element, "OutlineNumber", outline)
    _text(element, "OutlineLevel", "1")
    if starts:
        _text(element, "Start", _at(min(starts), "08:00"))
        _text(element, "Finish", _at(max(finishes), "17:00"))
        _text(element, "Duration", _duration(workdays.count_workdays(min(starts), max(finishes))))
    _text(element, "DurationFormat", "7")
    _text(element, "Milestone", "0")
    _text(element, "Summary", "1")
    _extended(element, project.code, "project")


def _write_task(
    element: ET.Element,
    uid: int,
    task: PlanTask,
    outline: str,
    links: list[PlanLink],
    uids: dict[str, int],
) -> None:
    milestone = task.kind == TaskKind.MILESTONE
    days = 0 if milestone else workdays.count_workdays(task.start, task.finish)
    _text(element, "UID", str(uid))
    _text(element, "ID", str(uid))
    _text(element, "Name", task.name)
    _text(element, "Type", "1")  # fixed duration
    _text(element, "IsNull", "0")
    _text(element, "WBS", outline)
    _text(element, "OutlineNumber", outline)
    _text(element, "OutlineLevel", "2")
    _text(element, "Start", _at(task.start, "08:00"))
    _text(element, "Finish", _at(task.finish, "08:00" if milestone else "17:00"))
    _text(element, "Duration", _duration(days))
    _text(element, "DurationFormat", "7")
    _text(element, "Milestone", "1" if milestone else "0")
    _text(element, "Summary", "0")
    done = task.actual_finish is not None
    _text(element, "PercentComplete", "100" if done else "0")
    if task.actual_start is not None:
        _text(element, "ActualStart", _at(task.actual_start, "08:00"))
    if task.actual_finish is not None:
        _text(element, "ActualFinish", _at(task.actual_finish, "08:00" if milestone else "17:00"))
    _text(element, "ConstraintType", "4")  # start no earlier than: MS Project keeps our dates
    _text(element, "ConstraintDate", _at(task.start, "08:00"))
    if task.notes:
        _text(element, "Notes", task.notes)
    for link in links:
        predecessor = ET.SubElement(element, "PredecessorLink")
        if link.predecessor not in uids:
            raise ExchangeError(
                "exchange.unknown_predecessor", task=task.name, predecessor=link.predecessor
            )
        _text(predecessor, "PredecessorUID", str(uids[link.predecessor]))
        _text(predecessor, "Type", _LINK_TYPES[LinkType(link.type)])
        _text(predecessor, "CrossProject", "0")
        _text(predecessor, "LinkLag", str(link.lag * MINUTES_PER_DAY * 10))  # tenths of minutes
        _text(predecessor, "LagFormat", "7")  # days
    _extended(element, task.code, task.kind.value)


def _extended(element: ET.Element, code: str, kind: str) -> None:
    for (field_id, _, _), value in ((CODE_FIELD, code), (KIND_FIELD, kind)):
        attribute = ET.SubElement(element, "ExtendedAttribute")
        _text(attribute, "FieldID", field_id)
        _text(attribute, "Value", value)


# --- reading ------------------------------------------------------------------------------


@dataclass
class _Read:
    uid: str
    name: str
    level: int
    code: str
    kind: str
    element: ET.Element


def read_mspdi(data: bytes) -> Plan:
    """The plan in an MSPDI file; ``ExchangeError`` naming the task and element otherwise."""
    try:
        root = SafeET.fromstring(data)
    except Exception as error:  # defusedxml refusals and parse errors alike
        raise ExchangeError("exchange.not_xml", detail=str(error)) from error
    if _local(root.tag) != "Project":
        raise ExchangeError("exchange.not_mspdi", root=_local(root.tag))
    tasks = list(_tasks(root))
    codes = {t.uid: t.code for t in tasks}
    projects: list[PlanProject] = []
    current: tuple[_Read, list[PlanTask]] | None = None
    links: list[PlanLink] = []
    seen: set[str] = set()
    for task in tasks:
        if task.code in seen:
            raise ExchangeError("exchange.duplicate_code", code=task.code, task=task.name)
        seen.add(task.code)
        if task.level == 1:
            if current is not None:
                projects.append(_project(*current))
            current = (task, [])
            continue
        if current is None:
            raise ExchangeError("exchange.outside_project", task=task.name, uid=task.uid)
        current[1].append(_task(task))
        links.extend(_links(task, codes))
    if current is not None:
        projects.append(_project(*current))
    title = _child_text(root, "Title") or ""
    return Plan(tuple(projects), tuple(links), title)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, tag: str) -> ET.Element | None:
    for child in element:
        if _local(child.tag) == tag:
            return child
    return None


def _children(element: ET.Element, tag: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == tag)


def _child_text(element: ET.Element, tag: str) -> str | None:
    child = _child(element, tag)
    return None if child is None or child.text is None else child.text.strip()


def _tasks(root: ET.Element) -> Iterator[_Read]:
    container = _child(root, "Tasks")
    if container is None:
        return
    for element in _children(container, "Task"):
        uid = _child_text(element, "UID") or "?"
        name = _child_text(element, "Name") or ""
        level_text = _child_text(element, "OutlineLevel") or "1"
        if level_text == "0" or _child_text(element, "IsNull") == "1":
            continue  # the file's own summary task (UID 0) and blank rows
        values = {
            _child_text(a, "FieldID"): _child_text(a, "Value") or ""
            for a in _children(element, "ExtendedAttribute")
        }
        code = values.get(CODE_FIELD[0], "")
        if not code:
            raise ExchangeError("exchange.code_missing", task=name, uid=uid, field=CODE_FIELD[2])
        if level_text not in ("1", "2"):
            raise ExchangeError("exchange.outline", task=name, uid=uid, level=level_text)
        kind = values.get(KIND_FIELD[0], "")
        if not kind:
            kind = "project" if level_text == "1" else _milestone_or_step(element)
        if (kind == "project") != (level_text == "1"):
            raise ExchangeError("exchange.outline", task=name, uid=uid, level=level_text)
        yield _Read(uid, name, int(level_text), code, kind, element)


def _milestone_or_step(element: ET.Element) -> str:
    return TaskKind.MILESTONE.value if _child_text(element, "Milestone") == "1" else "step"


def _project(summary: _Read, tasks: list[PlanTask]) -> PlanProject:
    return PlanProject(summary.code, summary.name, tuple(tasks))


def _day(task: _Read, tag: str, *, required: bool) -> date | None:
    text = _child_text(task.element, tag)
    if not text:
        if required:
            raise ExchangeError("exchange.missing", task=task.name, uid=task.uid, element=tag)
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError as error:
        raise ExchangeError(
            "exchange.bad_value", task=task.name, uid=task.uid, element=tag, value=text
        ) from error


def _task(task: _Read) -> PlanTask:
    try:
        kind = TaskKind(task.kind)
    except ValueError as error:
        raise ExchangeError(
            "exchange.bad_value",
            task=task.name,
            uid=task.uid,
            element=KIND_FIELD[2],
            value=task.kind,
        ) from error
    start = _day(task, "Start", required=True)
    finish = _day(task, "Finish", required=True)
    assert start is not None and finish is not None
    return PlanTask(
        code=task.code,
        name=task.name,
        kind=kind,
        start=start,
        finish=finish,
        actual_start=_day(task, "ActualStart", required=False),
        actual_finish=_day(task, "ActualFinish", required=False),
        notes=_child_text(task.element, "Notes") or "",
    )


def _links(task: _Read, codes: dict[str, str]) -> Iterator[PlanLink]:
    for link in _children(task.element, "PredecessorLink"):
        uid = _child_text(link, "PredecessorUID") or ""
        if uid not in codes:
            raise ExchangeError("exchange.unknown_predecessor", task=task.name, predecessor=uid)
        type_code = _child_text(link, "Type") or "1"
        if type_code not in ("1", "3"):
            raise ExchangeError(
                "exchange.link_type",
                task=task.name,
                uid=task.uid,
                type=_LINK_NAMES.get(type_code, type_code),
            )
        lag_text = _child_text(link, "LinkLag") or "0"
        try:
            lag = round(int(lag_text) / (MINUTES_PER_DAY * 10))
        except ValueError as error:
            raise ExchangeError(
                "exchange.bad_value",
                task=task.name,
                uid=task.uid,
                element="LinkLag",
                value=lag_text,
            ) from error
        kind = LinkType.FS if type_code == "1" else LinkType.SS
        yield PlanLink(codes[uid], task.code, kind, lag)
