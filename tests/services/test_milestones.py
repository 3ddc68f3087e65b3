from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.factories import actor_of, make_project, make_user
from tracker.db import read_session, write_session
from tracker.models import AuditLog, Milestone, Project
from tracker.services import milestones
from tracker.services.auth import SYSTEM
from tracker.services.errors import ConflictError, InvalidInput, PermissionDenied

TODAY = date(2026, 6, 15)


@pytest.fixture
def plan(sqlite_engine):
    """A 双江县 project with 3 milestones; a county lead of 双江县 and one of 云县; admin."""
    with write_session(sqlite_engine) as s:
        project = make_project(
            s,
            county="双江县",
            lead_unit="市科技局",
            milestones=[
                ("完成前期手续", date(2026, 3, 1)),
                ("开工建设", date(2026, 5, 1)),
                ("竣工验收", date(2027, 6, 30)),
            ],
        )
        users = {
            "own": actor_of(make_user(s, "county", county="双江县")),
            "other": actor_of(make_user(s, "county", county="云县")),
            "unit": actor_of(make_user(s, "unit", lead_unit="市科技局")),
            "other_unit": actor_of(make_user(s, "unit", lead_unit="市商务局")),
            "viewer": actor_of(make_user(s, "viewer")),
            "admin": actor_of(make_user(s, "admin")),
        }
        ms = s.exec(
            select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.seq)
        ).all()
        ids = [m.id for m in ms]
    return sqlite_engine, project.id, ids, users


@pytest.fixture
def approving(plan):
    """``plan`` with the office's approval of county reschedules switched on."""
    engine, _, _, users = plan
    with write_session(engine) as s:
        milestones.set_reschedule_needs_approval(
            s, actor=users["admin"], value=True, seen_version=0
        )
    return plan


def _ms(engine, mid) -> Milestone:
    with read_session(engine) as s:
        return s.get(Milestone, mid)


def _by(actor, milestone_id, *, seen=1) -> dict:
    """What every milestone use case takes: who, which milestone, the version seen, today."""
    return {"actor": actor, "milestone_id": milestone_id, "seen_version": seen, "today": TODAY}


def test_marking_the_start_milestone_done_records_it_sets_actual_start_and_audits(plan):
    engine, pid, ids, users = plan
    with write_session(engine) as s:
        result = milestones.mark_done(s, actual_date="2026-05-03", **_by(users["own"], ids[1]))
    assert result.version == 2 and result.started_project
    assert _ms(engine, ids[1]).actual_date == date(2026, 5, 3)
    with read_session(engine) as s:
        assert s.get(Project, pid).actual_start == date(2026, 5, 3)
        entries = s.exec(select(AuditLog).order_by(AuditLog.id)).all()
    done = [e for e in entries if e.action == "mark_done"]
    assert len(done) == 1
    assert done[0].before["actual_date"] is None and done[0].after["actual_date"] == "2026-05-03"
    assert done[0].actor_id == users["own"].id
    assert [e.action for e in entries if e.entity == "project"] == ["start"]


def test_an_existing_actual_start_is_kept(plan):
    engine, pid, ids, users = plan
    with write_session(engine) as s:
        s.get(Project, pid).actual_start = date(2026, 4, 20)
    with write_session(engine) as s:
        result = milestones.mark_done(s, actual_date=date(2026, 5, 3), **_by(users["own"], ids[1]))
    assert not result.started_project
    with read_session(engine) as s:
        assert s.get(Project, pid).actual_start == date(2026, 4, 20)


def test_without_a_start_milestone_the_first_one_starts_the_project(sqlite_engine):
    with write_session(sqlite_engine) as s:
        p = make_project(s, milestones=[("设计", date(2026, 2, 1)), ("施工", date(2026, 9, 1))])
        first = s.exec(
            select(Milestone).where(Milestone.project_id == p.id, Milestone.seq == 1)
        ).one()
        admin = actor_of(make_user(s, "admin"))
    with write_session(sqlite_engine) as s:
        assert milestones.mark_done(
            s, actual_date=date(2026, 2, 3), **_by(admin, first.id)
        ).started_project


def test_a_done_date_in_the_future_is_refused(plan):
    engine, _, ids, users = plan
    with pytest.raises(InvalidInput, match="晚于今天"), write_session(engine) as s:
        milestones.mark_done(s, actual_date=TODAY + timedelta(days=1), **_by(users["own"], ids[0]))
    assert _ms(engine, ids[0]).actual_date is None


@pytest.mark.parametrize("who", ["other", "other_unit", "viewer"])
def test_those_outside_the_project_s_scope_may_not_update_it(plan, who):
    engine, _, ids, users = plan
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        milestones.mark_done(s, actual_date=TODAY, **_by(users[who], ids[0]))
    assert _ms(engine, ids[0]).version == 1


def test_the_lead_unit_may_update_its_project(plan):
    engine, _, ids, users = plan
    with write_session(engine) as s:
        milestones.add_note(
            s, actor=users["unit"], milestone_id=ids[0], note="已报批", seen_version=1, today=TODAY
        )
    assert _ms(engine, ids[0]).note == "已报批"


def test_a_stale_save_is_refused_with_a_chinese_message_and_overwrites_nothing(plan):
    engine, _, ids, users = plan
    with write_session(engine) as s:
        milestones.add_note(
            s, actor=users["own"], milestone_id=ids[0], note="第一次", seen_version=1, today=TODAY
        )
    with pytest.raises(ConflictError, match="已被他人修改"), write_session(engine) as s:
        milestones.add_note(
            s,
            actor=users["own"],
            milestone_id=ids[0],
            note="基于旧版本",
            seen_version=1,
            today=TODAY,
        )
    m = _ms(engine, ids[0])
    assert (m.note, m.version) == ("第一次", 2)


def test_a_reschedule_keeps_the_baseline_and_needs_a_reason(plan):
    engine, _, ids, users = plan
    with pytest.raises(InvalidInput, match="原因"), write_session(engine) as s:
        milestones.reschedule(s, new_date="2027-09-30", reason="  ", **_by(users["own"], ids[2]))
    with write_session(engine) as s:
        r = milestones.reschedule(
            s, new_date="2027-09-30", reason="设备到货延迟", **_by(users["own"], ids[2])
        )
    assert not r.pending
    m = _ms(engine, ids[2])
    assert (m.baseline_date, m.planned_date) == (date(2027, 6, 30), date(2027, 9, 30))
    with read_session(engine) as s:
        entry = s.exec(select(AuditLog).where(AuditLog.action == "reschedule")).one()
    assert entry.after["reason"] == "设备到货延迟"
    assert entry.before["planned_date"] == "2027-06-30"


def test_with_approval_on_a_county_reschedule_waits_for_the_office(approving):
    engine, _, ids, users = approving
    with write_session(engine) as s:
        r = milestones.reschedule(
            s, new_date="2027-09-30", reason="征地延迟", **_by(users["own"], ids[2])
        )
    assert r.pending
    m = _ms(engine, ids[2])
    assert (m.planned_date, m.pending_date, m.pending_reason) == (
        date(2027, 6, 30),
        date(2027, 9, 30),
        "征地延迟",
    )
    with read_session(engine) as s:
        pending = milestones.pending_reschedules(s, actor=users["admin"])
        assert [p.milestone_id for p in pending] == [ids[2]]
        with pytest.raises(PermissionDenied):
            milestones.pending_reschedules(s, actor=users["own"])
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        milestones.approve_reschedule(s, **_by(users["own"], ids[2], seen=2))
    with write_session(engine) as s:
        milestones.approve_reschedule(s, **_by(users["admin"], ids[2], seen=2))
    m = _ms(engine, ids[2])
    assert (m.planned_date, m.pending_date, m.version) == (date(2027, 9, 30), None, 3)


def test_a_rejected_reschedule_leaves_the_plan(approving):
    engine, _, ids, users = approving
    with write_session(engine) as s:
        milestones.reschedule(
            s, new_date="2027-12-31", reason="资金未到位", **_by(users["unit"], ids[2])
        )
    with write_session(engine) as s:
        milestones.reject_reschedule(s, comment="请按期推进", **_by(users["admin"], ids[2], seen=2))
    m = _ms(engine, ids[2])
    assert (m.planned_date, m.pending_date) == (date(2027, 6, 30), None)


def test_the_approval_setting_is_versioned_and_only_for_the_office(plan):
    engine, _, _, users = plan
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        milestones.set_reschedule_needs_approval(s, actor=users["own"], value=True, seen_version=0)
    with write_session(engine) as s:
        milestones.set_reschedule_needs_approval(s, actor=SYSTEM, value=True, seen_version=0)
    with pytest.raises(ConflictError), write_session(engine) as s:
        milestones.set_reschedule_needs_approval(
            s, actor=users["admin"], value=False, seen_version=0
        )
    with read_session(engine) as s:
        assert milestones.reschedule_needs_approval(s) == (True, 1)


def test_the_edit_form_opens_only_for_those_who_may_edit(plan):
    engine, _, ids, users = plan
    with read_session(engine) as s:
        form = milestones.edit_form(s, actor=users["own"], milestone_id=ids[0])
        assert (form.name, form.version) == ("完成前期手续", 1)
        with pytest.raises(PermissionDenied):
            milestones.edit_form(s, actor=users["other"], milestone_id=ids[0])


def test_a_done_milestone_cannot_be_rescheduled(plan):
    engine, _, ids, users = plan
    with write_session(engine) as s:
        milestones.mark_done(s, actual_date=TODAY, **_by(users["own"], ids[0]))
    with pytest.raises(InvalidInput, match="已完成"), write_session(engine) as s:
        milestones.reschedule(
            s, new_date="2026-07-01", reason="x", **_by(users["own"], ids[0], seen=2)
        )


def _statements(engine, run) -> tuple[object, int]:
    """``run()``'s answer and the statements it sent (SQLite's BEGIN left out)."""
    from sqlalchemy import event

    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith("BEGIN"):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        return run(), len(sent)
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_form_and_the_saves_read_once_and_write_twice(plan):
    """The form: one select (the milestone, its project, the approval setting); a note or a
    reschedule: that select, the versioned UPDATE and the audit entry, nothing read again."""
    engine, _, ids, users = plan

    def form():
        with read_session(engine) as s:
            return milestones.edit_form(s, actor=users["own"], milestone_id=ids[2])

    def note():
        with write_session(engine) as s:
            return milestones.add_note(s, note="说明", **_by(users["own"], ids[2]))

    def moved():
        with write_session(engine) as s:
            return milestones.reschedule(
                s, new_date="2027-08-31", reason="征地", **_by(users["own"], ids[2], seen=2)
            )

    shown, sent = _statements(engine, form)
    assert sent == 1 and not shown.needs_approval and shown.version == 1
    saved, sent = _statements(engine, note)
    assert sent == 3 and (saved.milestone_id, saved.version) == (ids[2], 2)
    saved, sent = _statements(engine, moved)
    assert sent == 3 and (saved.milestone_id, saved.version, saved.pending) == (ids[2], 3, False)
    m = _ms(engine, ids[2])
    assert (m.note, m.planned_date, m.version) == ("说明", date(2027, 8, 31), 3)


def test_the_approval_switched_on_in_another_worker_holds_the_next_reschedule(plan):
    from tracker.db import make_engine

    engine, _, ids, users = plan
    with read_session(engine) as s:
        assert not milestones.edit_form(s, actor=users["own"], milestone_id=ids[2]).needs_approval
    other = make_engine(str(engine.url))  # another worker's engine
    try:
        with write_session(other) as s:
            milestones.set_reschedule_needs_approval(
                s, actor=users["admin"], value=True, seen_version=0
            )
    finally:
        other.dispose()
    with read_session(engine) as s:
        assert milestones.edit_form(s, actor=users["own"], milestone_id=ids[2]).needs_approval
        assert not milestones.edit_form(s, actor=users["admin"], milestone_id=ids[2]).needs_approval
    with write_session(engine) as s:
        held = milestones.reschedule(
            s, new_date="2027-08-31", reason="征地", **_by(users["own"], ids[2])
        )
    assert held.pending
