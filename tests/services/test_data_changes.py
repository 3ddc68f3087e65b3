"""What each data version changed, project by project (#15): a worker holding an older
version's statuses computes again only the projects written since, and the result is the
statuses computed from scratch; a write it cannot trace to projects makes it compute all."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import Engine, event, update
from sqlmodel import select

from tests.factories import actor_of, make_project, make_user
from tests.services.test_data_version import AS_OF, T, mark_done_in
from tracker import data_version
from tracker.db import read_session, write_session
from tracker.models import AuditLog, Milestone, ProblemItem, ReportingPeriod
from tracker.services import audit
from tracker.services import status as status_service
from tracker.services.auth import Actor
from tracker.services.status import STATUS_READS, project_statuses


def _plan(engine: Engine, count: int = 3) -> tuple[list[int], dict[int, int], Actor]:
    """``count`` started projects, each with one milestone four weeks overdue (amber); their
    ids, each one's milestone, and the office."""
    with write_session(engine) as s:
        projects = [
            make_project(
                s,
                code=f"P{n}",
                milestones=[("主体完工", date(2026, 10, 31))],
                actual_start=date(2026, 2, 1),
            )
            for n in range(count)
        ]
        admin = actor_of(make_user(s, "admin"))
        ids = [p.id for p in projects]
    with read_session(engine) as s:
        milestones = {m.project_id: m.id for m in s.exec(select(Milestone)).all()}
    return ids, milestones, admin


@pytest.fixture
def computed(monkeypatch):
    """The project ids each computation of statuses was asked for (None: the whole plan)."""
    asked: list[list[int] | None] = []
    real = status_service._statuses

    def spy(session, as_of, thresholds, period, ids):
        asked.append(None if ids is None else list(ids))
        return real(session, as_of, thresholds, period, ids)

    monkeypatch.setattr(status_service, "_statuses", spy)
    return asked


def _statuses(engine: Engine):
    with read_session(engine) as s:
        return project_statuses(s, as_of=AS_OF, thresholds=T)


def _from_scratch(engine: Engine):
    with read_session(engine) as s:
        return status_service._statuses(s, AS_OF, T, date(2026, 10, 1), None)


def _summary(statuses) -> list[tuple]:
    return [
        (s.project.id, s.light.value, [m.actual_date for m, *_ in s.milestones]) for s in statuses
    ]


def test_a_save_makes_another_worker_compute_only_the_project_it_changed(
    engine, other_worker, computed
):
    projects, milestones, admin = _plan(engine)
    before = _statuses(other_worker)
    assert [s.light.value for s in before] == ["amber"] * 3
    computed.clear()

    mark_done_in(engine, admin, milestones[projects[1]])

    after = _statuses(other_worker)
    assert computed == [[projects[1]]]  # the one project saved, not the plan
    assert [s.light.value for s in after] == ["amber", "green", "amber"]
    assert _summary(after) == _summary(_statuses(engine))
    assert after[0] is before[0] and after[2] is before[2]  # the others are the ones held


def test_a_few_projects_asked_after_a_save_are_picked_from_the_patched_plan(
    engine, other_worker, computed
):
    """A county's statuses (fewer than SMALL_READ projects) asked after a save, by a worker
    that holds the whole plan: the saved project computed once and kept for the next
    readers, not the county's projects computed afresh for each of them."""
    projects, milestones, admin = _plan(engine)
    _statuses(other_worker)  # the worker holds the whole plan
    computed.clear()

    mark_done_in(engine, admin, milestones[projects[1]])

    county = projects[:2]
    for _ in range(3):  # three readers of the new version
        with read_session(other_worker) as s:
            picked = project_statuses(s, as_of=AS_OF, thresholds=T, project_ids=county)
    assert computed == [[projects[1]]]  # once, and only the saved project
    assert [s.light.value for s in picked] == ["amber", "green"]
    with read_session(engine) as s:
        fresh = status_service._statuses(s, AS_OF, T, date(2026, 10, 1), county)
    assert _summary(picked) == _summary(fresh)


def test_an_audit_entry_or_a_ledger_item_alone_changes_no_status(engine, other_worker, computed):
    projects, _, admin = _plan(engine)
    before = _statuses(other_worker)
    computed.clear()
    with write_session(engine) as s:
        s.add(AuditLog(actor_name="admin", action="test", entity="project", entity_id=projects[0]))
    assert _statuses(other_worker) == before
    assert computed == []


@pytest.mark.parametrize("write", ["core_milestone", "reporting_period"])
def test_a_write_not_traced_to_projects_makes_the_worker_compute_the_whole_plan(
    engine, other_worker, computed, write
):
    projects, _, _ = _plan(engine)
    _statuses(other_worker)
    computed.clear()
    if write == "core_milestone":  # a bulk write: the statement does not say which projects
        with engine.begin() as conn:
            conn.execute(update(Milestone).values(actual_date=date(2026, 11, 1)))
    else:  # the months every status reads
        with write_session(engine) as s:
            s.add(
                ReportingPeriod(
                    period=date(2026, 11, 1),
                    opens_on=date(2026, 11, 25),
                    due_on=date(2026, 12, 5),
                    closes_on=date(2026, 12, 10),
                    status="open",
                )
            )
    after = _statuses(other_worker)
    assert computed == [None]
    assert _summary(after) == _summary(_from_scratch(engine))


def test_changes_pruned_or_missing_make_the_worker_compute_all(engine, other_worker, computed):
    projects, milestones, admin = _plan(engine)
    _statuses(other_worker)
    computed.clear()
    mark_done_in(engine, admin, milestones[projects[0]])
    with engine.begin() as conn:  # as the pruning does for versions nobody asks for any more
        conn.exec_driver_sql("DELETE FROM datachange")
    after = _statuses(other_worker)
    assert computed == [None]
    assert [s.light.value for s in after] == ["green", "amber", "amber"]


def test_the_statuses_read_only_the_tables_whose_writes_are_traced(engine):
    """STATUS_READS must name every table ``_statuses`` reads: a table missing from it would
    let a write there leave a worker's statuses stale."""
    _plan(engine)
    read: set[str] = set()

    def seen(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        read.update(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', statement, re.IGNORECASE))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        _from_scratch(engine)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert read, "no statement seen"
    assert read <= STATUS_READS, read - STATUS_READS


def test_what_a_version_changed_is_written_beside_it(engine):
    projects, milestones, admin = _plan(engine)
    with engine.connect() as conn:
        conn.begin()
        before = data_version.current(conn)
    with write_session(engine) as s:
        s.add(ProblemItem(project_id=projects[2], text="征地未完成", raised_on=AS_OF))
    mark_done_in(engine, admin, milestones[projects[0]])
    with engine.connect() as conn:
        conn.begin()
        now = data_version.current(conn)
        changed = data_version.changes_between(conn, before, now)
    assert changed is not None
    assert changed["problemitem"] == {projects[2]}
    assert changed["milestone"] == {projects[0]}


def test_after_a_save_the_battle_map_remakes_only_the_saved_projects_row(engine, other_worker):
    from tracker.services.battle_map import ViewState, battle_map

    projects, milestones, admin = _plan(engine)

    def rows():
        with read_session(other_worker) as s:
            return battle_map(s, actor=admin, as_of=AS_OF, thresholds=T, view=ViewState()).projects

    before = rows()
    assert [r.light for r in before] == ["amber"] * 3
    mark_done_in(engine, admin, milestones[projects[1]])
    after = rows()
    assert [r.light for r in after] == ["amber", "green", "amber"]
    assert after[1].milestones[0].actual == date(2026, 11, 20)
    assert after[0] is before[0] and after[2] is before[2]  # kept, not made again


def _changes_of(engine: Engine, write) -> dict:
    with engine.connect() as conn:
        conn.begin()
        before = data_version.current(conn)
    write()
    with engine.connect() as conn:
        conn.begin()
        changed = data_version.changes_between(conn, before, data_version.current(conn))
    assert changed is not None
    return changed


def test_an_audit_entry_names_the_project_of_what_it_audits(engine):
    projects, milestones, admin = _plan(engine)
    marked = _changes_of(engine, lambda: mark_done_in(engine, admin, milestones[projects[1]]))
    assert marked["auditlog"] == {projects[1]}, "a milestone's entry: its project"

    def audited(entity: str, entity_id, before, after) -> None:
        with write_session(engine) as s:
            audit.record(s, admin, "update", entity, entity_id, before, after)

    of_project = _changes_of(engine, lambda: audited("project", projects[2], {}, {"name": "x"}))
    assert of_project["auditlog"] == {projects[2]}
    a_report = _changes_of(
        engine, lambda: audited("monthlyreport", 7, None, {"project_id": projects[0], "x": 1})
    )
    assert a_report["auditlog"] == {projects[0]}, "a record's snapshot names its project"
    setting = _changes_of(engine, lambda: audited("setting", None, {"a": 1}, {"a": 2}))
    assert setting["auditlog"] is None, "an entry of no project may change any page"


def test_a_page_of_a_project_is_unchanged_until_a_write_touches_it(engine):
    projects, milestones, admin = _plan(engine)

    def version():
        with engine.connect() as conn:
            conn.begin()
            return data_version.current(conn)

    def unchanged(since, project: int) -> bool:
        with engine.connect() as conn:
            conn.begin()
            return data_version.unchanged_for(conn, since, data_version.current(conn), {project})

    start = version()
    mark_done_in(engine, admin, milestones[projects[0]])
    assert unchanged(start, projects[1]) and not unchanged(start, projects[0])
    with write_session(engine) as s:  # a period's dates: no project says which pages change
        s.add(
            ReportingPeriod(
                period=date(2027, 1, 1),
                opens_on=date(2027, 2, 1),
                due_on=date(2027, 2, 5),
                closes_on=date(2027, 2, 10),
            )
        )
    assert not unchanged(start, projects[1])
