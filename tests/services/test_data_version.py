"""The data version and the statuses cached under it (#15): a save in one worker is seen by
the next read in another; every kind of write bumps the version; a cached status cannot be
changed by whoever reads it."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, delete, insert, select, text, update

from tests.conftest import DEMO_PASSWORD
from tests.factories import actor_of, make_project, make_user
from tracker import data_version
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.domain.rules import Thresholds
from tracker.models import Area, LoginAttempt, Milestone, MonthlyReport, Project
from tracker.services import unit
from tracker.services.auth import SYSTEM, Actor
from tracker.services.battle_map import ViewState, battle_map
from tracker.services.demo import build_demo
from tracker.services.milestones import mark_done
from tracker.services.overview import overview
from tracker.services.policy import set_thresholds
from tracker.services.projects import ProjectFilter
from tracker.services.status import project_statuses

AS_OF = date(2026, 11, 28)
T = Thresholds()


def _plan(engine: Engine) -> tuple[int, Actor]:
    """One started project whose only milestone is four weeks overdue (amber); the office."""
    with write_session(engine) as s:
        project = make_project(
            s, milestones=[("主体完工", date(2026, 10, 31))], actual_start=date(2026, 2, 1)
        )
        admin = actor_of(make_user(s, "admin"))
        query = select(Milestone.id).where(Milestone.project_id == project.id)
        return s.exec(query).scalar_one(), admin


def mark_done_in(engine: Engine, admin: Actor, milestone_id: int) -> None:
    """The milestone marked done on 20 November through the service, in ``engine``'s worker."""
    unit.write(
        engine,
        mark_done,
        actor=admin,
        milestone_id=milestone_id,
        actual_date=date(2026, 11, 20),
        seen_version=1,
        today=AS_OF,
    )


def _statuses(engine: Engine):
    with read_session(engine) as s:
        return project_statuses(s, as_of=AS_OF, thresholds=T)


def _map_rows(engine: Engine, actor: Actor):
    with read_session(engine) as s:
        return battle_map(s, actor=actor, as_of=AS_OF, thresholds=T, view=ViewState()).projects


def _overview(engine: Engine):
    with read_session(engine) as s:
        return overview(s, as_of=AS_OF, thresholds=T, filters=ProjectFilter()).total


def _version(engine: Engine) -> data_version.Version | None:
    with engine.connect() as conn:
        conn.begin()
        return data_version.current(conn)


def test_a_milestone_saved_in_one_worker_shows_in_the_next_read_of_another(engine, other_worker):
    milestone_id, admin = _plan(engine)
    [before] = _statuses(other_worker)
    assert before.light.value == "amber" and before.milestones[0][0].actual_date is None
    [row] = _map_rows(other_worker, admin)
    assert row.light == "amber" and row.milestones[0].actual is None
    assert (_overview(other_worker).amber, _overview(other_worker).green) == (1, 0)
    cache = data_version.engine_cache(other_worker, "project_statuses")
    hits = cache.hits
    _statuses(other_worker)
    assert cache.hits > hits  # the other worker does serve what it cached

    mark_done_in(engine, admin, milestone_id)

    [after] = _statuses(other_worker)
    assert after.light.value == "green"
    assert after.milestones[0][0].actual_date == date(2026, 11, 20)
    [row] = _map_rows(other_worker, admin)
    assert row.light == "green" and row.milestones[0].actual == date(2026, 11, 20)
    assert (_overview(other_worker).amber, _overview(other_worker).green) == (0, 1)


def test_a_transaction_that_wrote_reads_its_own_change_and_leaves_no_trace_when_rolled_back(
    engine, other_worker
):
    milestone_id, _ = _plan(engine)
    _statuses(engine)  # cached by both workers
    _statuses(other_worker)
    with pytest.raises(RuntimeError), write_session(engine) as s:
        s.get(Milestone, milestone_id).actual_date = date(2026, 11, 20)
        [inside] = project_statuses(s, as_of=AS_OF, thresholds=T)
        assert inside.light.value == "green"  # its own change, not the cached status
        raise RuntimeError("the save fails after all")
    for worker in (engine, other_worker):
        [status] = _statuses(worker)
        assert status.light.value == "amber" and status.milestones[0][0].actual_date is None


def _orm_insert(engine: Engine) -> None:
    with write_session(engine) as s:
        s.add(Area(name="新领域", sort_order=9))


def _orm_update(engine: Engine) -> None:
    with write_session(engine) as s:
        s.get(Area, 1).sort_order = 7


def _orm_delete(engine: Engine) -> None:
    with write_session(engine) as s:
        s.delete(s.get(Project, 1))


def _core_update(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(update(Area).values(sort_order=Area.sort_order + 1))


def _core_bulk_insert(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(Area), [{"name": f"批量{n}", "sort_order": n} for n in range(3)])


def _core_delete(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(delete(Area).where(Area.name == "空"))  # even one that deletes nothing


def _raw_sql(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE area SET name = name || '·'")


def _report_through_a_session(engine: Engine) -> None:
    with write_session(engine) as s:
        s.add(
            MonthlyReport(
                project_id=1, period=date(2026, 10, 1), completed_month=Decimal("5"), status="draft"
            )
        )


def _thresholds_through_a_use_case(engine: Engine) -> None:
    unit.write(
        engine,
        set_thresholds,
        actor=SYSTEM,
        values={"due_soon_days": 20},
        seen_version=0,
        settings=load_settings(env={}),
    )


def _schema_change(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("DROP TABLE scratch")


WRITES = [
    _orm_insert,
    _orm_update,
    _orm_delete,
    _core_update,
    _core_bulk_insert,
    _core_delete,
    _raw_sql,
    _report_through_a_session,
    _thresholds_through_a_use_case,
    _schema_change,
]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__.strip("_") for w in WRITES])
def test_every_kind_of_committed_write_bumps_the_data_version(engine, write):
    with write_session(engine) as s:
        make_project(s)  # area 1, project 1
    before = _version(engine)
    write(engine)
    after = _version(engine)
    assert before is not None and after is not None
    assert after[0] == before[0] and after[1] > before[1]


def test_the_demo_builder_bumps_the_data_version(engine):
    before = _version(engine)
    with write_session(engine) as s:
        build_demo(s, as_of=AS_OF, password=DEMO_PASSWORD)
    assert _version(engine)[1] > before[1]


def _rolled_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError), write_session(engine) as s:
        s.add(Area(name="不算"))
        s.flush()
        raise RuntimeError


def _read_only(engine: Engine) -> None:
    _statuses(engine)
    with read_session(engine) as s:
        s.exec(select(Area)).all()


STILL = [_rolled_back, _read_only]


@pytest.mark.parametrize("action", STILL, ids=[a.__name__.strip("_") for a in STILL])
def test_what_commits_no_data_leaves_the_version_as_it_is(engine, action):
    with write_session(engine) as s:
        make_project(s)
    before = _version(engine)
    action(engine)
    assert _version(engine) == before


def test_login_bookkeeping_alone_leaves_the_version_as_it_is(engine):
    before = _version(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(LoginAttempt).values(
                at=text("CURRENT_TIMESTAMP"), username="u", ip="", success=False
            )
        )
    assert _version(engine) == before


def test_a_cached_status_cannot_be_changed_by_a_reader(engine):
    _plan(engine)
    first = _statuses(engine)
    first.append(first[0])  # each call has its own list
    [status] = _statuses(engine)
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.light = None
    with pytest.raises(TypeError):
        status.milestones.append(status.milestones[0])
    with pytest.raises(TypeError):
        status.reasons.clear()
    with pytest.raises(AttributeError):
        status.project.name = "改名"
    assert _statuses(engine)[0].reasons == status.reasons and len(_statuses(engine)) == 1


def test_the_cache_keeps_its_weight_bound_and_forgets_older_versions():
    cache = data_version.VersionedCache(capacity=10)
    cache.put(("e", 1), "a", "old", weight=4)
    cache.put(("e", 2), "a", "new", weight=4)
    assert cache.get(("e", 1), "a") is None  # a write happened: the older entry is gone
    cache.put(("e", 1), "b", "late", weight=1)  # a read begun before that write: not kept
    assert cache.get(("e", 1), "b") is None
    cache.put(("e", 2), "b", "second", weight=4)
    cache.get(("e", 2), "a")  # a is used again: b is now the least recently used
    cache.put(("e", 2), "c", "third", weight=4)
    assert [cache.get(("e", 2), k) for k in "abc"] == ["new", None, "third"]
    cache.put(("e", 2), "huge", "whole plan", weight=50)  # heavier than the bound: kept alone
    assert cache.get(("e", 2), "huge") == "whole plan" and cache.get(("e", 2), "a") is None
    cache.put(("f", 1), "a", "restored")  # another epoch (a restore): nothing else survives
    assert cache.get(("e", 2), "huge") is None and cache.get(("f", 1), "a") == "restored"


def _drawn_map(engine: Engine, actor: Actor) -> dict:
    """The battle map's chart data as the page's callback sends it (kept per data version)."""
    from tracker.web.views.battle_map import drawn

    with read_session(engine) as s:
        data = battle_map(s, actor=actor, as_of=AS_OF, thresholds=T, view=ViewState())
    return drawn(data, data.view, "zh")[1]


def test_the_drawn_battle_map_is_drawn_again_after_a_save_in_another_worker(engine, other_worker):
    from tracker.gantt.style import LIGHT_COLOURS

    milestone_id, admin = _plan(engine)
    before = _drawn_map(other_worker, admin)
    assert _drawn_map(other_worker, admin) is before  # the second reader is served the same
    assert LIGHT_COLOURS["amber"] in str(before["data"])

    mark_done_in(engine, admin, milestone_id)

    after = _drawn_map(other_worker, admin)
    assert after is not before
    assert LIGHT_COLOURS["green"] in str(after["data"])
    assert LIGHT_COLOURS["amber"] not in str(after["data"])


def test_a_write_that_changes_nothing_on_the_map_keeps_its_drawing(engine, other_worker):
    from tracker.web.views.battle_map import drawn

    milestone_id, admin = _plan(engine)
    before = _drawn_map(other_worker, admin)
    with write_session(engine) as s:  # a note: not shown on the map
        s.get(Milestone, milestone_id).note = "已完成设备招标"
    after = _drawn_map(other_worker, admin)
    assert after is before, "the same rows are not drawn again"
    with write_session(other_worker) as s:  # a write session: nothing kept, drawn afresh
        s.connection().exec_driver_sql("UPDATE project SET code = code WHERE id = -1")
        data = battle_map(s, actor=admin, as_of=AS_OF, thresholds=T, view=ViewState())
        assert data.token is None
        fresh = drawn(data, data.view, "zh")[1]
    assert fresh == after


def test_a_read_unit_commits_no_write_and_leaves_its_connection_writable(engine):
    """``unit.read`` (autocommit on PostgreSQL) refuses a write instead of committing it;
    SQLite rolls it back as before. Either way nothing is stored, the version does not move,
    and the connection it gives back to the pool writes again."""

    def version_now():
        with engine.connect() as connection:
            return data_version.current(connection)

    def sneaky(session):
        session.execute(text("UPDATE project SET name = 'changed'"))
        return session.execute(text("SELECT count(*) FROM project WHERE name = 'changed'")).one()[0]

    def reads(session):  # a CTE that only reads is no write
        return session.execute(
            text("WITH p AS (SELECT id FROM project) SELECT count(*) FROM p")
        ).one()[0]

    with write_session(engine) as s:
        make_project(s, name="kept")
    before = version_now()
    if engine.dialect.name == "postgresql":
        with pytest.raises(data_version.ReadOnlyError):
            unit.read(engine, sneaky)
    else:
        unit.read(engine, sneaky)
    assert unit.read(engine, reads) == 1
    with read_session(engine) as s:
        assert s.execute(text("SELECT name FROM project")).scalars().all() == ["kept"]
    assert version_now() == before
    for _ in range(engine.pool.size() if hasattr(engine.pool, "size") else 1):
        with write_session(engine) as s:  # every pooled connection writes again
            s.execute(text("UPDATE project SET name = 'renamed'"))
    with read_session(engine) as s:
        assert s.execute(text("SELECT name FROM project")).scalars().all() == ["renamed"]


def test_a_read_under_the_request_s_version_serves_a_kept_value_without_the_database(engine):
    """``read_under`` (the version the request read with its login session): a value kept
    under it is served with no statement and no connection; a write from another engine
    makes the next request's version newer, and the value is read again."""
    from sqlalchemy import event

    from tests.conftest import PG_SCHEMA, PG_URL
    from tracker.db import make_engine
    from tracker.services import kept

    def version_now():
        with engine.connect() as connection:
            return data_version.current(connection)

    def names(session):
        return kept.carried(
            session,
            "test_names",
            "all",
            frozenset({"project"}),
            lambda: tuple(session.exec(select(Project.name).order_by(Project.id)).scalars()),
        )

    with write_session(engine) as s:
        make_project(s, name="甲")
    sent: list[str] = []
    checked_out: list[object] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    with data_version.read_under(version_now()):
        assert unit.read(engine, names) == ("甲",)
        event.listen(engine, "before_cursor_execute", count)
        event.listen(engine.pool, "checkout", lambda *a: checked_out.append(a))
        try:
            assert unit.read(engine, names) == ("甲",)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert sent == [] and checked_out == []
    if engine.dialect.name == "sqlite":
        other = make_engine(str(engine.url))
    else:
        other = make_engine(PG_URL, connect_args={"options": f"-csearch_path={PG_SCHEMA}"})
    try:
        with write_session(other) as s:
            make_project(s, name="乙")
    finally:
        other.dispose()
    with data_version.read_under(version_now()):
        assert unit.read(engine, names) == ("甲", "乙")
