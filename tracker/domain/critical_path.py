"""The critical path of a project's network of steps and milestones, on working days.

A network is activities (前期 steps, milestones such as 开工建设 and 竣工) and links between
them: finish-to-start (the successor starts after the predecessor finished, ``lag`` working
days later) or start-to-start (the successor starts ``lag`` working days after the
predecessor started: parallel procedures). Durations and lags count working days on the
Chinese calendar (``tracker.domain.workdays``).

Time runs on working-day indices, end-exclusive: an activity of ``duration`` d that starts
on working day s occupies days s … s+d-1 and finishes at s+d; a milestone (d = 0) happens at
the start of its day. So a milestone after a step that finishes on a Friday falls on the next
working day (the day the work may begin), and a step after it starts that day.

- Forward pass: nothing unstarted starts before ``today`` (nor before its ``not_before``);
  an actual start or finish replaces the computed one; work started but not finished
  finishes today at the earliest.
- Backward pass, per target (开工, 竣工): from the target's planned date (``deadline``) when
  given, else from its earliest date. Only the activities that lead to the target get late
  dates. Total float = latest finish - earliest finish in working days (negative: the
  planned date cannot be kept).
- The critical path: the activities whose float is the target's own float (the chain that
  drives the target's date), in order. ``late``: the unfinished activities whose latest start
  (not started) or latest finish (started) is already past — the steps that now hold the
  target beyond its planned date.

A cycle among the links is refused naming the activities in it (``NetworkError``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from tracker.domain import workdays
from tracker.domain.messages import KeyedError, listing


class LinkType(StrEnum):
    FS = "FS"  # finish-to-start
    SS = "SS"  # start-to-start


class NetworkError(KeyedError):
    """A network the pass cannot run on: a cycle, a link to an unknown activity, ..."""


@dataclass(frozen=True, slots=True)
class Activity:
    """A step or a milestone of one project's network."""

    id: str  # unique in the network (a step's or milestone's code)
    duration: int  # working days; 0 = a milestone
    name: str = ""  # for messages (a cycle names its activities); the id when empty
    actual_start: date | None = None
    actual_finish: date | None = None  # a milestone reached: its date here (or actual_start)
    not_before: date | None = None  # earliest start the plan allows, beside ``today``


@dataclass(frozen=True, slots=True)
class Link:
    predecessor: str
    successor: str
    type: LinkType = LinkType.FS
    lag: int = 0  # working days (may be negative: a lead)


class Timing(NamedTuple):
    """One activity's dates (working days; a finish is the last day worked)."""

    early_start: date
    early_finish: date
    late_start: date | None  # None: the activity does not lead to the target
    late_finish: date | None
    total_float: int | None  # working days; None without late dates
    critical: bool  # on the path that drives the target
    done: bool  # finished (or a milestone reached)


@dataclass(frozen=True)
class TargetPath:
    """The path to one target (开工, 竣工) and what threatens its planned date.

    ``timings`` (dates per activity) is worked out on first use: a status light needs only
    the path, the float and the late steps."""

    target: str
    early_date: date  # the earliest the target can be reached (its finish; a milestone's day)
    deadline: date | None  # the planned date the late dates keep
    total_float: int  # working days from the earliest date to the deadline (negative: late)
    path: tuple[str, ...]  # the critical path, first activity first, the target last
    late: tuple[str, ...]  # unfinished activities whose latest date has passed, most late first
    _passes: _Passes = field(repr=False, compare=False)
    _late_finish: dict[int, int] = field(repr=False, compare=False)

    @cached_property
    def timings(self) -> Mapping[str, Timing]:
        """Every activity that leads to the target (and the target), in network order."""
        net, es, ef = self._passes
        own = self.total_float
        day_at = workdays.day_at
        timings: dict[str, Timing] = {}
        for i in net.order_:
            finish = self._late_finish.get(i)
            if finish is None:
                continue
            a = net.activities[i]
            d = a.duration
            slack = finish - ef[i]
            timings[a.id] = Timing(
                _start_day(a, es[i]),
                _finish_day(a, es[i], ef[i]),
                day_at(finish - d),
                day_at(finish - 1 if d else finish),
                slack,
                slack == own,
                _done(a),
            )
        return timings


class _Passes(NamedTuple):
    net: _Network
    es: list[int]
    ef: list[int]


@dataclass(frozen=True)
class Schedule:
    """The network's early dates and, per target asked for, its path."""

    targets: Mapping[str, TargetPath]
    _passes: _Passes = field(repr=False, compare=False)

    @cached_property
    def early(self) -> Mapping[str, tuple[date, date]]:
        """id -> (early start, early finish)."""
        net, es, ef = self._passes
        return {
            a.id: (_start_day(a, es[i]), _finish_day(a, es[i], ef[i]))
            for i, a in enumerate(net.activities)
        }


def schedule(
    activities: Sequence[Activity],
    links: Sequence[Link],
    *,
    today: date,
    targets: Mapping[str, date | None],
) -> Schedule:
    """Forward pass from ``today``, backward pass per target (id -> its planned date or None).

    Raises ``NetworkError`` for a duplicate id, a link naming an unknown activity, a
    negative duration, an unknown target, or a cycle (naming its activities in order)."""
    net = _Network.build(activities, links)
    net.order()
    today_index = workdays.index_of(today)
    passes = _Passes(net, *net.forward(today_index))
    paths = {}
    for target, deadline in targets.items():
        if target not in net.position:
            raise NetworkError("critical_path.unknown_target", target=target)
        paths[target] = net.backward(passes, net.position[target], deadline, today_index)
    return Schedule(paths, passes)


def latest_dates(schedule_: Schedule, target: str) -> dict[str, tuple[date, date]]:
    """id -> (latest start, latest finish) that still keep ``target``'s planned date."""
    return {
        key: (t.late_start, t.late_finish)
        for key, t in schedule_.targets[target].timings.items()
        if t.late_start is not None and t.late_finish is not None
    }


# --- the passes ---------------------------------------------------------------------------


def _start_day(activity: Activity, start: int) -> date:
    return activity.actual_start or workdays.day_at(start)


def _finish_day(activity: Activity, start: int, finish: int) -> date:
    if activity.actual_finish is not None:
        return activity.actual_finish
    return workdays.day_at(finish - 1 if finish > start else start)


def _done(activity: Activity) -> bool:
    if activity.actual_finish is not None:
        return True
    return activity.duration == 0 and activity.actual_start is not None


class _Network:
    __slots__ = ("activities", "order_", "position", "preds", "succs")

    def __init__(self, activities: Sequence[Activity]) -> None:
        self.activities = tuple(activities)
        self.position: dict[str, int] = {}
        n = len(self.activities)
        self.preds: list[list[tuple[int, bool, int]]] = [[] for _ in range(n)]
        self.succs: list[list[tuple[int, bool, int]]] = [[] for _ in range(n)]
        self.order_: list[int] = []

    @classmethod
    def build(cls, activities: Sequence[Activity], links: Sequence[Link]) -> _Network:
        net = cls(activities)
        for i, activity in enumerate(net.activities):
            if activity.id in net.position:
                raise NetworkError("critical_path.duplicate", activity=activity.id)
            if activity.duration < 0:
                raise NetworkError(
                    "critical_path.bad_duration",
                    activity=_label(activity),
                    duration=activity.duration,
                )
            net.position[activity.id] = i
        for link in links:
            for end in (link.predecessor, link.successor):
                if end not in net.position:
                    raise NetworkError(
                        "critical_path.unknown_activity",
                        activity=end,
                        predecessor=link.predecessor,
                        successor=link.successor,
                    )
            p, s = net.position[link.predecessor], net.position[link.successor]
            ss = link.type == LinkType.SS
            net.preds[s].append((p, ss, link.lag))
            net.succs[p].append((s, ss, link.lag))
        return net

    def order(self) -> list[int]:
        """A topological order (Kahn); a cycle raises naming its activities."""
        waiting = [len(p) for p in self.preds]
        ready = [i for i, count in enumerate(waiting) if count == 0]
        order: list[int] = []
        while ready:
            i = ready.pop()
            order.append(i)
            for s, _, _ in self.succs[i]:
                waiting[s] -= 1
                if waiting[s] == 0:
                    ready.append(s)
        if len(order) < len(self.activities):
            self._refuse_cycle({i for i, count in enumerate(waiting) if count > 0})
        self.order_ = order
        return order

    def _refuse_cycle(self, stuck: set[int]) -> None:
        # every stuck activity has a stuck predecessor: walk back until one repeats
        seen: dict[int, int] = {}
        walk: list[int] = []
        i = min(stuck)
        while i not in seen:
            seen[i] = len(walk)
            walk.append(i)
            i = next(p for p, _, _ in self.preds[i] if p in stuck)
        cycle = list(reversed(walk[seen[i] :]))  # predecessor first
        names = [_label(self.activities[j]) for j in [*cycle, cycle[0]]]
        raise NetworkError("critical_path.cycle", steps=listing(names, zh=" → ", en=" → "))

    def forward(self, today: int) -> tuple[list[int], list[int]]:
        n = len(self.activities)
        es, ef = [0] * n, [0] * n
        index_of = workdays.index_of
        for i in self.order_:
            a = self.activities[i]
            if a.actual_start is not None or (a.duration == 0 and a.actual_finish is not None):
                start = index_of(a.actual_start or a.actual_finish)  # type: ignore[arg-type]
            else:
                start = today if a.not_before is None else max(today, index_of(a.not_before))
                for p, ss, lag in self.preds[i]:
                    start = max(start, (es[p] if ss else ef[p]) + lag)
            es[i] = start
            if a.actual_finish is not None:
                finish = max(start, index_of(a.actual_finish) + (1 if a.duration else 0))
            elif a.actual_start is not None and a.duration:
                finish = max(start + a.duration, today + 1)  # not finished: today at the earliest
            else:
                finish = start + a.duration
            ef[i] = finish
        return es, ef

    def backward(
        self, passes: _Passes, target: int, deadline: date | None, today: int
    ) -> TargetPath:
        _, es, ef = passes
        acts = self.activities
        leads = self._ancestors(target)
        t = acts[target]
        lf: dict[int, int] = {}
        if deadline is None:
            lf[target] = ef[target]
        else:
            lf[target] = workdays.index_of(deadline) + (1 if t.duration else 0)
        for i in reversed(self.order_):
            if i not in leads or i == target:
                continue
            d = acts[i].duration
            latest = None
            for s, ss, lag in self.succs[i]:
                if s in lf:
                    bound = lf[s] - acts[s].duration - lag + (d if ss else 0)
                    if latest is None or bound < latest:
                        latest = bound
            lf[i] = latest  # type: ignore[assignment]  # every lead has a successor that leads
        own_float = lf[target] - ef[target]
        path: list[int] = []
        late: list[tuple[int, int]] = []
        for i, finish in lf.items():
            slack = finish - ef[i]
            if slack == own_float:
                path.append(i)
            if deadline is not None and slack < 0:
                a = acts[i]
                if not _done(a) and _past(a, finish, today):
                    late.append((slack, i))
        late.sort()
        path.sort(key=lambda i: (es[i], i))
        return TargetPath(
            target=t.id,
            early_date=_finish_day(t, es[target], ef[target]),
            deadline=deadline,
            total_float=own_float,
            path=tuple(acts[i].id for i in path),
            late=tuple(acts[i].id for _, i in late),
            _passes=passes,
            _late_finish=lf,
        )

    def _ancestors(self, target: int) -> set[int]:
        found = {target}
        stack = [target]
        while stack:
            for p, _, _ in self.preds[stack.pop()]:
                if p not in found:
                    found.add(p)
                    stack.append(p)
        return found


def _past(activity: Activity, late_finish: int, today: int) -> bool:
    """Whether the latest start (not started) or latest finish (started) is before today."""
    if activity.actual_start is None:
        return late_finish - activity.duration < today
    return late_finish - (1 if activity.duration else 0) < today


def _label(activity: Activity) -> str:
    return activity.name or activity.id
