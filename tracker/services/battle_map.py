"""挂图作战: the rows of the battle map for a set of filters, and the view state in the URL.

``battle_map`` reads ``status.project_statuses`` (so its lights agree with the overview, the
list and the project page) and the ledger's open problem counts, and returns plain
``GanttProject`` rows for ``tracker.gantt``. ``ViewState`` is everything that decides what
the page shows (filters, grouping, collapsed groups, zoom, page, meeting mode); it travels
in the URL's query string, so a link in a meeting invitation reopens the same view. The
codec and the state changes are pure and never raise on bad input: a value that does not
parse is dropped and its default used.
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlencode

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from tracker import data_version
from tracker.config import Settings
from tracker.domain.inputs import MAX_DATE, MIN_DATE, usable_date
from tracker.domain.periods import add_months, month_end, month_start, time_progress
from tracker.domain.places import PLACES
from tracker.domain.rules import Light, Thresholds
from tracker.gantt.grouping import GROUP_BYS
from tracker.gantt.rows import (
    MILESTONE_NODE,
    GanttChain,
    GanttLink,
    GanttMilestone,
    GanttProject,
    GanttStep,
    OutsideDate,
    fit_to_range,
)
from tracker.i18n import describe_reason, t
from tracker.models import Area, Measure, Milestone, Project
from tracker.services import kept
from tracker.services.approvals import ProjectChain, StepView
from tracker.services.approvals import chains as approval_chains
from tracker.services.auth import Actor
from tracker.services.landing import has_project_list
from tracker.services.ledger import open_counts
from tracker.services.permissions import require, scope_field
from tracker.services.policy import current_thresholds
from tracker.services.projects import FilterOptions, ProjectFilter, filter_options
from tracker.services.status import ProjectStatus, project_statuses, reference_period

ZOOMS: tuple[str, ...] = ("plan", "year", "quarter", "custom")
DEFAULT_GROUP_BY = "measure"
DEFAULT_ZOOM = "plan"
DEFAULT_INTERVAL = 20  # seconds per screen in meeting mode
MIN_INTERVAL, MAX_INTERVAL = 5, 3600
MAX_COLLAPSED = 500  # more group keys than any plan has; caps what a crafted URL can ask
MAX_KEY_LENGTH = 400
CACHED_ROWS = 20_000  # battle-map rows a worker keeps (tracker.data_version)
_GROUP_KEY = re.compile(r"^(area|measure|county|lead_unit|light|stage):.+")
_FILTER_NAMES = ("county", "area", "measure", "lead_unit", "light", "stage", "q")


# --- the view state and its URL ---------------------------------------------------------


def _values(query: str | Mapping[str, Any] | None) -> dict[str, list[str]]:
    """A query string (with or without ``?``) or a mapping of str / list values, as lists."""
    if isinstance(query, str):
        return parse_qs(query.lstrip("?"), keep_blank_values=True)
    if not isinstance(query, Mapping):  # None, or whatever a forged request sent
        return {}
    out: dict[str, list[str]] = {}
    for key, value in query.items():
        items = value if isinstance(value, list | tuple) else [value]
        out[str(key)] = [str(v) for v in items if v is not None]
    return out


def _first(values: dict[str, list[str]], name: str, limit: int = 200) -> str | None:
    items = values.get(name) or []
    if not items:
        return None
    text = items[0].strip()[:limit]
    return text or None


def _int(text: str | None, low: int, high: int) -> int | None:
    if text is None or not re.fullmatch(r"[+-]?\d{1,9}", text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def _day(text: str | None) -> date | None:
    """A date from the URL, within 1990–2100 (the input value rules), else None."""
    if text is None:
        return None
    try:
        return usable_date(date.fromisoformat(text[:10]))
    except ValueError:
        return None


@dataclass(frozen=True)
class ViewState:
    """What the battle map shows; ``from_query`` / ``to_query`` carry it in the URL."""

    group_by: str = DEFAULT_GROUP_BY  # one of tracker.gantt.grouping.GROUP_BYS
    collapsed: frozenset[str] = frozenset()  # group keys (tracker.gantt.grouping.group_key)
    county: str | None = None
    area: str | None = None
    measure: str | None = None
    lead_unit: str | None = None
    light: str | None = None
    stage: str | None = None  # 前期 / 新开工 / 续建 / 竣工 / 已竣工 (Stage values)
    q: str = ""
    zoom: str = DEFAULT_ZOOM  # plan | year | quarter | custom
    x_range: tuple[date, date] | None = None  # only with zoom == "custom"
    page: int = 0  # 0-based here, 1-based in the URL
    meeting: bool = False
    interval: int = DEFAULT_INTERVAL  # seconds per screen in meeting mode
    chains: bool = False  # #17: each project's 前期 chain, links and critical path

    @classmethod
    def from_query(cls, query: str | Mapping[str, Any] | None) -> ViewState:
        """Read a URL query; a value that does not parse is ignored (its default is used)."""
        values = _values(query)
        filters = ProjectFilter.from_query({k: _first(values, k) for k in _FILTER_NAMES})
        group_by = _first(values, "group")
        zoom = _first(values, "zoom")
        start, end = _day(_first(values, "from")), _day(_first(values, "to"))
        x_range = (start, end) if start and end and start < end else None
        if zoom not in ZOOMS or (zoom == "custom" and x_range is None):
            zoom = "custom" if x_range is not None and zoom is None else DEFAULT_ZOOM
        if zoom != "custom":
            x_range = None
        folded = [
            k.strip()
            for k in values.get("fold", [])[:MAX_COLLAPSED]
            if len(k) <= MAX_KEY_LENGTH and _GROUP_KEY.match(k.strip())
        ]
        page = _int(_first(values, "page"), 1, 1_000_000)
        interval = _int(_first(values, "every"), MIN_INTERVAL, MAX_INTERVAL)
        return cls(
            group_by=group_by if group_by in GROUP_BYS else DEFAULT_GROUP_BY,
            collapsed=frozenset(folded),
            county=filters.county,
            area=filters.area,
            measure=filters.measure,
            lead_unit=filters.lead_unit,
            light=filters.light,
            stage=filters.stage,
            q=filters.q,
            zoom=zoom,
            x_range=x_range,
            page=(page - 1) if page else 0,
            meeting=_first(values, "meeting") in {"1", "true"},
            interval=interval or DEFAULT_INTERVAL,
            chains=_first(values, "chains") in {"1", "true"},
        )

    def to_query(self) -> str:
        """The URL query (without ``?``); defaults are left out, so the plain view is ``""``."""
        pairs: list[tuple[str, str]] = []
        if self.group_by != DEFAULT_GROUP_BY:
            pairs.append(("group", self.group_by))
        for name in _FILTER_NAMES:
            value = getattr(self, name)
            if value:
                pairs.append((name, str(value)))
        if self.zoom != DEFAULT_ZOOM:
            pairs.append(("zoom", self.zoom))
        if self.zoom == "custom" and self.x_range:
            pairs += [("from", self.x_range[0].isoformat()), ("to", self.x_range[1].isoformat())]
        pairs += [("fold", key) for key in sorted(self.collapsed)]
        if self.page:
            pairs.append(("page", str(self.page + 1)))
        if self.meeting:
            pairs.append(("meeting", "1"))
        if self.interval != DEFAULT_INTERVAL:
            pairs.append(("every", str(self.interval)))
        if self.chains:
            pairs.append(("chains", "1"))
        return urlencode(pairs)

    @property
    def filters(self) -> ProjectFilter:
        return ProjectFilter(
            county=self.county,
            area=self.area,
            measure=self.measure,
            lead_unit=self.lead_unit,
            light=self.light,
            stage=self.stage,
            q=self.q,
        )

    # --- changes (each returns a new state) ------------------------------------------------

    def with_filters(self, **values: str | None) -> ViewState:
        """New filters (county, area, measure, lead_unit, light, stage, q); back to page 1."""
        query = {name: getattr(self, name) for name in _FILTER_NAMES}
        query.update({k: v for k, v in values.items() if k in _FILTER_NAMES})
        f = ProjectFilter.from_query(query)
        changed = replace(
            self,
            county=f.county,
            area=f.area,
            measure=f.measure,
            lead_unit=f.lead_unit,
            light=f.light,
            stage=f.stage,
            q=f.q,
        )
        return changed if changed.filters == self.filters else replace(changed, page=0)

    def grouped_by(self, group_by: str | None) -> ViewState:
        """Another grouping: collapsed groups of the old one mean nothing there."""
        chosen = group_by if group_by in GROUP_BYS else DEFAULT_GROUP_BY
        if chosen == self.group_by:
            return self
        return replace(self, group_by=chosen, collapsed=frozenset(), page=0)

    def toggled(self, key: object) -> ViewState:
        """Collapse an expanded group, or expand a collapsed one."""
        if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH or not _GROUP_KEY.match(key):
            return self
        if key in self.collapsed:
            return replace(self, collapsed=self.collapsed - {key})
        if len(self.collapsed) >= MAX_COLLAPSED:
            return self
        return replace(self, collapsed=self.collapsed | {key})

    def zoomed(self, zoom: str | None) -> ViewState:
        """A preset window (plan, year, quarter); ``custom`` needs ``ranged``."""
        if zoom not in ZOOMS or zoom == "custom":
            return self
        return replace(self, zoom=zoom, x_range=None)

    def ranged(self, start: date | None, end: date | None) -> ViewState:
        """A window the user chose (slider, or dragging on the chart)."""
        if start is None or end is None or not start < end:
            return self
        return replace(self, zoom="custom", x_range=(start, end))

    def paged(self, page: object, page_count: int | None = None) -> ViewState:
        """Page ``page`` (0-based), clamped to the pages there are when that is known."""
        if isinstance(page, bool) or not isinstance(page, int):
            return self
        last = max((page_count or 1_000_000) - 1, 0)
        return replace(self, page=min(max(page, 0), last))

    def in_meeting(self, meeting: bool, areas: Sequence[str] = ()) -> ViewState:
        """Meeting mode on (starting with the first area unless one is chosen) or off."""
        if not meeting:
            return replace(self, meeting=False)
        area = self.area if self.area in areas or not areas else areas[0]
        page = self.page if area == self.area else 0
        return replace(self, meeting=True, area=area, page=page)

    def with_chains(self, chains: object) -> ViewState:
        """The 前期 chains shown or hidden (#17)."""
        return replace(self, chains=chains is True)

    def advanced(self, areas: Sequence[str], page_count: int) -> ViewState:
        """The next screen of a meeting: the next page, else the first page of the next area."""
        if self.page + 1 < page_count:
            return replace(self, page=self.page + 1)
        if not areas:
            return replace(self, page=0)
        at = areas.index(self.area) if self.area in areas else -1
        return replace(self, area=areas[(at + 1) % len(areas)], page=0)

    def window(
        self, as_of: date, span: tuple[date, date] | None = None
    ) -> tuple[date, date] | None:
        """The dates on the time axis: None lets the chart fit the whole (filtered) plan."""
        if self.zoom == "custom" and self.x_range:
            return self.x_range
        if self.zoom == "year":
            return date(as_of.year, 1, 1), date(as_of.year, 12, 31)
        if self.zoom == "quarter":
            first = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
            return first, month_end(add_months(first, 2))
        return None


# --- the rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BattleMap:
    """Everything the battle map page draws for one view."""

    view: ViewState  # the view shown: meeting mode picks an area when the URL names none
    as_of: date
    period: date  # the reporting month the lights read
    time_progress: float  # 序时进度 at the end of ``period``
    projects: list[GanttProject]  # the drawable projects that pass the filters, plan order
    undated: int  # projects that pass the filters but have no planned dates (not drawn)
    total: int  # projects in the plan
    span: tuple[date, date]  # first month to last month of the whole plan (and today)
    options: FilterOptions = field(repr=False)
    # dates not drawn because they lie outside the plan's range (a legacy 9999-12-31)
    outside: list[OutsideDate] = field(default_factory=list)
    drawn: tuple[date, date] | None = None  # the range dates must fall in to be drawn
    thresholds: Thresholds = field(default_factory=Thresholds, repr=False)  # group colours
    has_list: bool = True  # False: the office has no project list yet (#19)
    # (the rows' serial, what the rows depend on, the view, the plan's areas) when they were
    # read under a data version: the same token means the same BattleMap, so what is drawn
    # from it may be kept with it (tracker.web.views.battle_map.drawn); the rows are kept
    # across versions while equal (``_battle_map``); None when no cache may be used
    token: tuple[Any, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def areas(self) -> list[str]:
        """Areas of the plan in order (meeting mode goes through them)."""
        return self.options.areas


def _milestones(status: ProjectStatus) -> tuple[GanttMilestone, ...]:
    return tuple(
        GanttMilestone(
            name=m.name,
            baseline=m.baseline_date,
            planned=m.planned_date,
            actual=m.actual_date,
            state=s.state.value,
        )
        for m, s in status.milestones
    )


# rows already made from a status: statuses are frozen and a worker keeps them across data
# versions (only the projects a write touched are computed again: status._patched), so
# after a save the map's rows are remade for those projects only. Keyed by the status
# object's id, with a weak reference that must still be that object (an id is reused only
# once its object is gone); the statuses' own cache decides how long they live.
_ROWS_MADE: dict[tuple[int, int, str], tuple[weakref.ref[ProjectStatus], GanttProject]] = {}
ROWS_MADE_KEPT = 40_000  # rows (a few kB each): whole plans of 10,000 in both languages


def _row_of(status: ProjectStatus, open_problems: int, language: str) -> GanttProject:
    key = (id(status), open_problems, language)
    made = _ROWS_MADE.get(key)
    if made is not None and made[0]() is status:
        return made[1]
    if len(_ROWS_MADE) >= ROWS_MADE_KEPT:
        _ROWS_MADE.clear()
    row = gantt_project(status, open_problems=open_problems, language=language)
    _ROWS_MADE[key] = (weakref.ref(status), row)
    return row


def gantt_project(status: ProjectStatus, *, open_problems: int, language: str) -> GanttProject:
    """A status as a battle-map row (the caller has checked it has planned dates)."""
    p = status.project
    assert p.planned_start and p.planned_finish
    return GanttProject(
        id=p.id or 0,
        code=p.code,
        name=p.name,
        area=status.area,
        measure=status.measure,
        county=p.county,
        lead_unit=p.lead_unit,
        light=status.light.value,
        light_reasons=tuple(describe_reason(r, language) for r in status.reasons)
        + ((t("light.returned", language),) if status.returned else ()),
        baseline_start=p.baseline_start or p.planned_start,
        baseline_finish=p.baseline_finish or p.planned_finish,
        planned_start=p.planned_start,
        planned_finish=max(p.planned_finish, p.planned_start),
        actual_start=p.actual_start,
        actual_finish=p.actual_finish,
        progress=min(max(status.progress, 0.0), 1.0),
        weight=float(p.total_investment or 0),
        milestones=_milestones(status),
        open_problems=open_problems,
        annual_plan=float(status.annual_plan),
        completed_ytd=float(status.completed_ytd),
        due_amount=float(status.due_amount),
        stage=status.stage.value,
        returned=status.returned,
    )


def _plan_span(session: Session, as_of: date) -> tuple[tuple[date, date], int]:
    """First to last month of the whole plan (and today): the range slider's ends; and how
    many projects the plan has (one statement). Dates outside 1990–2100 (a legacy row) are
    not the plan's."""
    start, finish = col(Project.planned_start), col(Project.planned_finish)
    first, last, total = session.exec(
        select(
            func.min(case((start.between(MIN_DATE, MAX_DATE), start))),
            func.max(case((finish.between(MIN_DATE, MAX_DATE), finish))),
            func.count(col(Project.id)),
        )
    ).one()
    first = min(first or as_of, as_of)
    last = max(last or as_of, as_of)
    return (month_start(first), month_end(last)), total


DRAWN_MARGIN_MONTHS = 12  # a slipped milestone a year past the plan's end is still drawn


def drawn_range(span: tuple[date, date]) -> tuple[date, date]:
    """The dates the battle map draws: the plan's range and a year on either side."""
    first = add_months(span[0], -DRAWN_MARGIN_MONTHS) if span[0].year > MIN_DATE.year else MIN_DATE
    last = (
        month_end(add_months(span[1], DRAWN_MARGIN_MONTHS))
        if span[1].year < MAX_DATE.year
        else MAX_DATE
    )
    return max(first, MIN_DATE), min(last, MAX_DATE)


def _candidates(session: Session, filters: ProjectFilter) -> tuple[int, ...] | None:
    """Ids of the projects the filter's plain columns allow (None: no such filter), so that
    a county or an area of a big plan does not cost the statuses of the whole plan.
    ``ProjectFilter.matches`` still decides; this only narrows what it is asked about."""
    if not (filters.county or filters.area or filters.measure or filters.lead_unit):
        return None
    query = (
        select(Project.id)
        .join(Area, col(Project.area_id) == Area.id)
        .join(Measure, col(Project.measure_id) == Measure.id)
    )
    if filters.county:
        query = query.where(Project.county == filters.county)
    if filters.lead_unit:
        query = query.where(Project.lead_unit == filters.lead_unit)
    if filters.area:
        query = query.where(Area.name == filters.area)
    if filters.measure:
        query = query.where(Measure.name == filters.measure)
    return tuple(pid for pid in session.exec(query) if pid is not None)


_PLACE_ORDER = {place: index for index, place in enumerate(PLACES)}


def battle_map(
    session: Session,
    *,
    actor: Actor,
    as_of: date,
    thresholds: Thresholds,
    view: ViewState,
    language: str = "zh",
    settings: Settings | None = None,
) -> BattleMap:
    """The projects of the battle map for ``view``'s filters, with open problem counts.

    A meeting goes through the plan area by area: meeting mode without an area (or with
    one the plan does not have) shows the first area.
    """
    require(actor, "project.view")
    # the data version, read before the data; at most CACHED_ROWS rows kept per worker
    cache = data_version.reading(session, "battle_map", CACHED_ROWS)
    return _battle_map(
        session,
        cache,
        kept.Changes(session, cache.version) if cache else None,
        actor=actor,
        as_of=as_of,
        thresholds=thresholds,
        view=view,
        language=language,
        settings=settings,
    )


@dataclass(frozen=True)
class _Frame:
    """What every battle map of one data version and day reads besides its rows (kept per
    data version: the filter choices and the reporting month)."""

    settings: Settings | None  # the settings it was read with (the key holds their id)
    options: FilterOptions
    period: date


def _frame(
    session: Session,
    cache: data_version.Reading | None,
    changes: kept.Changes | None,
    as_of: date,
    settings: Settings | None,
) -> _Frame:
    def read() -> _Frame:
        options = filter_options(session)
        return _Frame(
            settings=settings,
            # shared by the requests of this version: lists that refuse changes
            options=replace(
                options,
                counties=data_version.FrozenList(options.counties),
                areas=data_version.FrozenList(options.areas),
                lead_units=data_version.FrozenList(options.lead_units),
                measures={k: data_version.FrozenList(v) for k, v in options.measures.items()},
            ),
            period=reference_period(session, as_of=as_of, settings=settings),
        )

    return kept.value(
        cache,
        changes,
        ("frame", as_of, id(settings)),
        FRAME_READS,
        read,
        lambda frame: frame.settings is settings,
    )


def _battle_map(
    session: Session,
    cache: data_version.Reading | None,
    changes: kept.Changes | None,
    *,
    actor: Actor,
    as_of: date,
    thresholds: Thresholds,
    view: ViewState,
    language: str,
    settings: Settings | None,
) -> BattleMap:
    """``battle_map`` under the data version ``cache`` reads (None: nothing cached), which
    the caller read before any of the data."""
    frame = _frame(session, cache, changes, as_of, settings)
    options, period = frame.options, frame.period
    if view.meeting and view.area not in options.areas:
        view = view.in_meeting(True, options.areas)
    # what the rows depend on (the page does not: a page change is served from the cache)
    scope = (scope_field(actor), getattr(actor, scope_field(actor) or "", None))
    key = (as_of, period, thresholds, language, view.filters, view.group_by, scope, view.chains)
    rows = _kept_rows(session, cache, changes, key) if cache and changes else None
    if rows is None:
        rows = _rows(
            session,
            cache,
            changes,
            actor=actor,
            as_of=as_of,
            thresholds=thresholds,
            view=view,
            language=language,
            period=period,
        )
        if cache:
            rows = kept.keep(
                cache, key, _same_as_before(cache, key, rows), max(1, len(rows.projects))
            )
    return BattleMap(
        view=view,
        as_of=as_of,
        period=period,
        time_progress=time_progress(month_end(period)),
        projects=list(rows.projects),
        undated=rows.undated,
        total=rows.total,
        span=rows.span,
        options=options,
        outside=list(rows.outside),
        drawn=rows.drawn,
        thresholds=thresholds,
        token=(rows.serial, key, view, tuple(options.areas)) if cache else None,
    )


@dataclass(frozen=True)
class _Rows:
    """The part of a battle map read from the data (kept per data version)."""

    projects: tuple[GanttProject, ...]
    undated: int
    total: int
    span: tuple[date, date]
    outside: tuple[OutsideDate, ...]
    drawn: tuple[date, date]
    # the projects the view's plain filters allow (``_candidates``; None: the whole plan):
    # the rows read nothing of other projects but the plan's span and count
    candidates: frozenset[int] | None
    # the milestones each project's row was made from (its status's ``milestones``: (row,
    # state) pairs), by project id: a later write to a project's milestones that changed none of the columns the
    # map reads (a note) leaves its row as it is (``_unchanged_milestones``)
    milestones: Mapping[int, Sequence[Any]] = field(default_factory=dict, compare=False)
    # names this object in this worker (never reused, unlike an id): the same serial means
    # these very rows, whichever data versions they were kept under
    serial: int = field(default_factory=lambda: next(_SERIALS), compare=False)


_SERIALS = itertools.count(1)

# What a battle map reads is kept beyond its data version (tracker.services.kept): the
# page's and frame's values while the tables they read are not written, a filtered view's
# rows while only other projects' rows of ROWS_PER_PROJECT are. Rows equal to the ones made
# before are those very rows, so what was drawn from them is not drawn again (the token
# names them).
PAGE_READS = frozenset({"appsetting", "project"})
# what the rows read besides the statuses and the chains: the projects a view's plain
# filters allow, the ledger's open counts, the plan's range and size
CANDIDATES_READS = frozenset({"area", "measure", "project"})
OPEN_COUNTS_READS = frozenset({"problemitem"})
PLAN_READS = frozenset({"project"})  # the thresholds, whether there is a list
FRAME_READS = frozenset({"area", "measure", "project", "reportingperiod"})
# tables whose writes name their projects and which a map's rows read only for those
# projects: a write to them for projects outside a filtered view's leaves its rows as they are
ROWS_PER_PROJECT = frozenset(
    {
        "milestone",
        "milestoneplanrecord",
        "investmentplan",
        "monthlyreport",
        "problemitem",
        "projectstep",
        "steplink",
        "auditlog",
    }
)


def _kept_rows(
    session: Session, cache: data_version.Reading, changes: kept.Changes, key: Hashable
) -> _Rows | None:
    """The rows of ``key`` under this version: kept under it, or kept under an older one
    when every write since was to a table of ROWS_PER_PROJECT, naming its projects, and
    changed nothing the rows read: for projects outside the view (a filtered view reads a
    known set of projects: a county's, an area's…), or, for projects in it, only what the
    map does not draw (a milestone's note: ``_unchanged_milestones``)."""
    found = cache.get(key)
    if found is not None:
        return found
    held = kept.latest(cache, key)
    if held is None:
        return None
    rows: _Rows = held[1]
    changed = changes.since(held[0])
    if changed is None:
        return None
    written: set[int] = set()  # projects of the view whose milestones were written
    for table, ids in changed.items():
        if table not in ROWS_PER_PROJECT or ids is None:
            return None
        inside = ids if rows.candidates is None else ids & rows.candidates
        if not inside or table in NOT_READ_BY_ROWS:
            continue
        if table != "milestone":
            return None
        written |= inside
    if len(written) > CHECKED_PROJECTS:  # a bulk write (an import): read the rows again
        return None
    if written and not _unchanged_milestones(session, rows, written):
        return None
    return kept.keep(cache, key, rows, max(1, len(rows.projects)))


CHECKED_PROJECTS = 200  # projects whose milestones a kept map checks; more: read again
# tables of ROWS_PER_PROJECT the rows do not read at all (a save writes them with the rows
# it changes: the audit trail, a milestone's month-end plan record)
NOT_READ_BY_ROWS = frozenset({"auditlog", "milestoneplanrecord"})
# the milestone columns the rows do not read (through the statuses, the filters and the
# chains): what a note's save changes, and nothing else
MILESTONE_NOT_DRAWN = frozenset({"note", "version", "updated_at"})
_MILESTONE_DRAWN = tuple(c for c in Milestone.__table__.c if c.name not in MILESTONE_NOT_DRAWN)


def _drawn_columns(rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(r, c.name) for c in _MILESTONE_DRAWN) for r in rows]


def _unchanged_milestones(session: Session, rows: _Rows, projects: set[int]) -> bool:
    """Whether the milestones of ``projects`` hold, in every column the rows read, what the
    rows were made from (one statement)."""
    if not projects.issubset(rows.milestones):
        return False
    query = (
        select(*_MILESTONE_DRAWN)
        .where(col(Milestone.project_id).in_(sorted(projects)))
        .order_by(Milestone.project_id, Milestone.seq, Milestone.id)
    )
    now: dict[int, list[tuple[Any, ...]]] = {pid: [] for pid in projects}
    for values in _drawn_columns(session.connection().execute(query)):
        now[values[_PROJECT_AT]].append(values)
    return all(
        now[pid] == _drawn_columns(sorted((m for m, _ in rows.milestones[pid]), key=_by_seq))
        for pid in projects
    )


_PROJECT_AT = [c.name for c in _MILESTONE_DRAWN].index("project_id")


def _by_seq(row: Any) -> tuple[int, int]:
    return row.seq, row.id


def _same_as_before(cache: data_version.Reading, key: Hashable, rows: _Rows) -> _Rows:
    """``rows``, or the equal rows made before for ``key`` (the same values, another object:
    kept with the milestones the new ones were made from, under the old rows' serial)."""
    held = kept.latest(cache, key)
    if held is None or held[1] != rows:
        return rows
    return replace(held[1], milestones=rows.milestones, serial=held[1].serial)


def _rows(
    session: Session,
    cache: data_version.Reading | None,
    changes: kept.Changes | None,
    *,
    actor: Actor,
    as_of: date,
    thresholds: Thresholds,
    view: ViewState,
    language: str,
    period: date,
) -> _Rows:
    filters = view.filters
    plain = (filters.county, filters.area, filters.measure, filters.lead_unit)
    ids = kept.value(
        cache,
        changes,
        ("candidates", plain),
        CANDIDATES_READS,
        lambda: _candidates(session, filters),
    )
    statuses = (
        project_statuses(
            session, as_of=as_of, thresholds=thresholds, period=period, project_ids=ids
        )
        if ids is None or ids
        else []
    )
    chosen = [s for s in statuses if filters.matches(s, actor)]
    dated = [s for s in chosen if s.project.planned_start and s.project.planned_finish]
    if view.group_by == "county":  # counties in the office's order, not first-seen
        dated.sort(key=lambda s: _PLACE_ORDER.get(s.project.county, len(PLACES)))
    # one grouped count over the open items (a list of thousands of ids would cost more)
    counts = (
        kept.value(cache, changes, "open counts", OPEN_COUNTS_READS, lambda: open_counts(session))
        if dated
        else {}
    )
    span, total = kept.value(
        cache, changes, ("span", as_of), PLAN_READS, lambda: _plan_span(session, as_of)
    )
    drawn = drawn_range(span)
    rows = (_row_of(s, counts.get(s.project.id or 0, 0), language) for s in dated)
    if view.chains and dated:  # #17: each project's 前期 chain (a few queries for all)
        found = approval_chains(
            session, actor=actor, today=as_of, project_ids=[s.project.id or 0 for s in dated]
        )
        rows = (_with_chain(row, found.get(row.id)) for row in rows)
    projects, outside = fit_to_range(rows, *drawn)
    return _Rows(
        projects=tuple(projects),
        undated=len(chosen) - len(dated),
        total=total,
        span=span,
        outside=tuple(outside),
        drawn=drawn,
        candidates=None if ids is None else frozenset(ids),
        milestones={s.project.id or 0: s.milestones for s in statuses},
    )


def _with_chain(row: GanttProject, chain: ProjectChain | None) -> GanttProject:
    drawn = gantt_chain(chain) if chain is not None else None
    return replace(row, chain=drawn) if drawn is not None else row


def _step_of(step: StepView) -> GanttStep | None:
    """A step as the map draws it: its actual dates where it has them, else the planned,
    else the schedule's earliest; None when it has no dates at all."""
    plan = step.schedule
    start = step.actual_start or step.planned_start or (plan.early_start if plan else None)
    finish = step.actual_finish or step.planned_finish or (plan.early_finish if plan else None)
    if start is None or finish is None:
        return None
    return GanttStep(
        key=step.key,
        id=step.id,
        name=step.name,
        unit=step.approving_unit,
        start=start,
        finish=max(finish, start),
        state=step.status.value,
        critical=bool(plan and plan.critical),
        float_days=plan.total_float if plan else None,
        latest_finish=plan.late_finish if plan else None,
    )


def gantt_chain(chain: ProjectChain) -> GanttChain | None:
    """A project's chain as the battle map draws it (#17): steps, links (a milestone end
    named by the milestone, as the map's rows know it) and the critical path to 开工."""
    steps = tuple(s for s in map(_step_of, chain.steps) if s is not None)
    if not steps:
        return None
    ends = {m.key: MILESTONE_NODE + m.name for m in chain.milestones}
    ends.update({s.key: s.key for s in steps})
    # a link between two milestones (开工 → 竣工) is the plan bar itself: not drawn again
    links = tuple(
        GanttLink(ends[k.source], ends[k.target], k.kind, k.lag_days, k.critical)
        for k in chain.links
        if k.source in ends and k.target in ends and "step:" in (k.source[:5], k.target[:5])
    )
    return GanttChain(steps=steps, links=links, target=chain.start.name if chain.start else "")


def battle_map_page(
    session: Session,
    *,
    actor: Actor,
    as_of: date,
    view: ViewState,
    language: str,
    settings: Settings,
) -> BattleMap:
    """The battle map page for ``view`` with the office's thresholds, and whether there is a
    project list at all (a use case: ``read(battle_map_page, ...)``)."""
    require(actor, "project.view")
    # one version read for the page: the thresholds and the list's presence are kept with it
    cache = data_version.reading(session, "battle_map", CACHED_ROWS)
    changes = kept.Changes(session, cache.version) if cache else None
    found = kept.value(
        cache,
        changes,
        ("page", id(settings)),
        PAGE_READS,
        lambda: (settings, current_thresholds(session, settings), has_project_list(session)),
        lambda held: held[0] is settings,
    )
    _, thresholds, has_list = found
    data = _battle_map(
        session,
        cache,
        changes,
        actor=actor,
        as_of=as_of,
        thresholds=thresholds,
        view=view,
        language=language,
        settings=settings,
    )
    return replace(data, has_list=has_list)


def light_counts(projects: Sequence[GanttProject]) -> dict[str, int]:
    """How many of the shown projects carry each light (worst first)."""
    counts = {light.value: 0 for light in (Light.RED, Light.AMBER, Light.GREEN)}
    for p in projects:
        counts[p.light] += 1
    return counts
