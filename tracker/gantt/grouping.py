"""Which rows the battle map shows, in which order: groups, projects, collapsing, paging.

Pure: no plotly, no reportlab. The interactive figure and the PDF both draw the
rows this module lists, so the two agree on order and rollups; a group's rollup is the
domain's (``tracker.domain.rollups.group_summary``), as the overview's are.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from tracker.domain.rollups import GroupSummary, group_summary
from tracker.domain.rules import Thresholds
from tracker.gantt.labels import resolve_labels
from tracker.gantt.rows import LIGHTS, GanttProject

__all__ = [
    "GROUP_BYS",
    "GroupSummary",
    "Row",
    "RowPage",
    "group_key",
    "project_key",
    "visible_rows",
]

GROUP_BYS: tuple[str, ...] = ("measure", "county", "lead_unit", "light", "stage")
STAGE_ORDER: tuple[str, ...] = ("preparing", "new", "continuing", "completed", "completed_before")


class Row(NamedTuple):  # a NamedTuple: thousands are made per build, and it is immutable
    key: str  # "project:<id>" or a group key such as "measure:绿色低碳发展/发展清洁能源"
    level: int  # 0 for the outermost group; projects sit one level below their group
    label: str  # raw text, not escaped
    project: GanttProject | None = None
    summary: GroupSummary | None = None
    collapsed: bool = False
    ancestors: tuple[str, ...] = ()  # group keys, outermost first

    @property
    def is_group(self) -> bool:
        return self.project is None


# Row._make without its length check: thousands of rows are made per build, and the
# project rows spell out project_key() inline for the same reason.
_make = partial(tuple.__new__, Row)


@dataclass(frozen=True)
class RowPage:
    rows: tuple[Row, ...]
    page: int  # the page actually shown (a stale page number is clamped)
    page_count: int
    project_count: int  # projects not hidden by collapsing, over all pages


def _escape_part(part: str) -> str:
    return part.replace("%", "%25").replace("/", "%2F")


def group_key(kind: str, *parts: str) -> str:
    """A stable, unambiguous key for a group row; the web layer keeps these in the URL."""
    return f"{kind}:" + "/".join(_escape_part(p) for p in parts)


def project_key(project_id: int) -> str:
    return f"project:{project_id}"


@dataclass
class _Node:
    key: str
    label: str
    level: int
    children: dict[str, _Node]
    projects: list[GanttProject]


def _tree(
    projects: Iterable[GanttProject], group_by: str, labels: Mapping[str, str]
) -> list[_Node]:
    if group_by not in GROUP_BYS:
        raise ValueError(f"group_by must be one of {GROUP_BYS}, got {group_by!r}")
    roots: dict[str, _Node] = {}
    if group_by == "light":  # worst first, whatever order the projects came in
        for light in LIGHTS:
            key = group_key("light", light)
            roots[key] = _Node(key, labels[f"light.{light}"], 0, {}, [])
    if group_by == "stage":  # 前期, 新开工, 续建, 竣工, 已竣工
        for stage in STAGE_ORDER:
            key = group_key("stage", stage)
            roots[key] = _Node(key, labels[f"stage.{stage}"], 0, {}, [])
    if group_by == "measure":
        areas: dict[str, _Node] = {}
        measures: dict[tuple[str, str], _Node] = {}
        last_area = last_measure = ""
        area = node = None
        for p in projects:
            # Projects usually arrive sorted by measure: look the nodes up only on a change.
            if node is None or p.measure != last_measure or p.area != last_area:
                last_area, last_measure = p.area, p.measure
                area = areas.get(last_area)
                if area is None:
                    akey = group_key("area", last_area)
                    area = areas[last_area] = roots[akey] = _Node(akey, last_area, 0, {}, [])
                node = measures.get((last_area, last_measure))
                if node is None:
                    mkey = group_key("measure", last_area, last_measure)
                    node = measures[(last_area, last_measure)] = area.children[mkey] = _Node(
                        mkey, last_measure, 1, {}, []
                    )
            assert area is not None
            area.projects.append(p)
            node.projects.append(p)
        return [n for n in roots.values() if n.projects]
    nodes: dict[str, _Node] = {}  # by raw value, to skip building keys again
    for p in projects:
        value = p.light if group_by == "light" else getattr(p, group_by)
        if group_by == "stage" and value not in STAGE_ORDER:
            value = ""
        node = nodes.get(value)
        if node is None:
            key = group_key(group_by, value)
            node = roots.setdefault(key, _Node(key, value or labels["unassigned"], 0, {}, []))
            nodes[value] = node
        node.projects.append(p)
    return [n for n in roots.values() if n.projects]


def _flatten(
    nodes: Iterable[_Node],
    collapsed: frozenset[str],
    ancestors: tuple[str, ...],
    out: list[Row],
    thresholds: Thresholds | None = None,
) -> None:
    for node in nodes:
        folded = node.key in collapsed
        kind, _, value = node.key.partition(":")
        out.append(
            Row(
                key=node.key,
                level=node.level,
                label=node.label,
                summary=group_summary(
                    node.projects, thresholds, value if kind == "light" else None
                ),
                collapsed=folded,
                ancestors=ancestors,
            )
        )
        if folded:
            continue
        inner = (*ancestors, node.key)
        if node.children:
            _flatten(node.children.values(), collapsed, inner, out, thresholds)
        else:
            level = node.level + 1
            out.extend(
                [
                    _make(
                        (
                            f"project:{p.id}",
                            level,
                            f"{p.code} {p.name}".strip(),
                            p,
                            None,
                            False,
                            inner,
                        )
                    )
                    for p in node.projects
                ]
            )


def visible_rows(
    projects: Iterable[GanttProject],
    *,
    group_by: str | None = "measure",
    collapsed: frozenset[str] = frozenset(),
    page: int = 0,
    page_size: int | None = None,
    labels: Mapping[str, str] | None = None,
    thresholds: Thresholds | None = None,
    balanced: bool = False,
) -> RowPage:
    """The rows to draw, top to bottom.

    Groups keep the order in which their first project arrives (lights: red, amber,
    green; stages: 前期 to 已竣工); ``group_by=None`` lists the projects flat, in the order given. A collapsed group shows only its summary row. ``page_size`` counts
    project rows; each page repeats the headers of the groups its projects belong to.
    ``balanced`` spreads the projects evenly over the pages instead of filling each but the
    last (a meeting's screens: no half-empty last screen).
    """
    every: list[Row] = []
    if group_by is None:  # a flat list, in the order given
        every.extend(
            [
                _make((f"project:{p.id}", 0, f"{p.code} {p.name}".strip(), p, None, False, ()))
                for p in projects
            ]
        )
    else:
        _flatten(
            _tree(projects, group_by, resolve_labels(labels)), collapsed, (), every, thresholds
        )
    project_count = sum([1 for r in every if r.project is not None])
    if page_size is None:
        return RowPage(tuple(every), 0, 1, project_count)
    if page_size < 1:
        raise ValueError("page_size must be at least 1")

    page_count = max(1, -(-project_count // page_size))
    page = min(max(page, 0), page_count - 1)
    # Balanced: as many pages as page_size requires, the projects spread evenly over
    # them (27 rows at 18 a page are 14 + 13, not 18 and a half-empty 9).
    starts = [
        (i * project_count // page_count) if balanced else min(i * page_size, project_count)
        for i in range(page_count + 1)
    ]
    low, high = starts[page], starts[page + 1]

    def page_of(index: int) -> int:
        return min(bisect_right(starts, index) - 1, page_count - 1)

    # A row "sits" before the next project row; a group row that ends up with
    # nothing under it (collapsed) belongs to the page of the project that follows it.
    has_rows_below = {a for r in every for a in r.ancestors}
    chosen: set[str] = set()
    seen = 0
    for row in every:
        if not row.is_group:
            if low <= seen < high:
                chosen.add(row.key)
                chosen.update(row.ancestors)
            seen += 1
        elif row.key not in has_rows_below and page_of(seen) == page:
            chosen.add(row.key)
            chosen.update(row.ancestors)
    rows = tuple(r for r in every if r.key in chosen)
    return RowPage(rows, page, page_count, project_count)
