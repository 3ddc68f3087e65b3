"""Factories for battle-map rows: sensible defaults, override only what a test is about."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import count
from typing import Any

from tracker.gantt.rows import GanttMilestone, GanttProject

AS_OF = date(2022, 5, 31)
_ids = count(1)


def make_milestone(**overrides: Any) -> GanttMilestone:
    values: dict[str, Any] = {
        "name": "主体工程完工",
        "baseline": date(2022, 9, 30),
        "planned": date(2022, 9, 30),
        "actual": None,
        "state": "future",
    }
    values.update(overrides)
    return GanttMilestone(**values)


def make_project(**overrides: Any) -> GanttProject:
    pid = overrides.pop("id", None) or next(_ids)
    values: dict[str, Any] = {
        "id": pid,
        "code": f"LC-{pid:04d}",
        "name": f"临翔区示范项目{pid}号",
        "area": "绿色低碳发展",
        "measure": "发展清洁能源",
        "county": "临翔区",
        "lead_unit": "市发展和改革委员会",
        "light": "green",
        "light_reasons": (),
        "baseline_start": date(2022, 1, 1),
        "baseline_finish": date(2022, 12, 31),
        "planned_start": date(2022, 1, 1),
        "planned_finish": date(2022, 12, 31),
        "actual_start": None,
        "actual_finish": None,
        "progress": 0.0,
        "weight": 1000.0,
        "milestones": (),
        "open_problems": 0,
    }
    values.update(overrides)
    return GanttProject(**values)


def with_changes(project: GanttProject, **changes: Any) -> GanttProject:
    return replace(project, **changes)
