"""前期手续 use cases on SQLite and PostgreSQL: a template applied to a project, steps and links
edited by the county lead with versions and audit, cycles and bad values refused, the
start-at-risk light reason, and the approving units' view."""

from datetime import date

import pytest
from sqlmodel import select

from tests.factories import actor_of, make_project, make_user
from tracker.db import read_session, write_session
from tracker.domain.approvals import StepStatus
from tracker.domain.rules import Light, Thresholds
from tracker.models import AuditLog, ProjectStep, StepLink
from tracker.services import approvals
from tracker.services.auth import SYSTEM
from tracker.services.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from tracker.services.status import project_statuses

TODAY = date(2026, 11, 20)


@pytest.fixture
def office(engine):
    """A new 双江县 project to start 1 September 2027 (开工建设), finish 29 September 2028; the county
    lead of 双江县, one of 云县, a leader (viewer) and the office."""
    with write_session(engine) as s:
        project = make_project(
            s,
            county="双江县",
            nature="新建",
            planned_start=date(2027, 9, 1),
            planned_finish=date(2028, 9, 29),
            milestones=[("开工建设", date(2027, 9, 1)), ("竣工验收", date(2028, 9, 29))],
        )
        users = {
            "own": actor_of(make_user(s, "county", county="双江县")),
            "other": actor_of(make_user(s, "county", county="云县")),
            "viewer": actor_of(make_user(s, "viewer")),
            "admin": actor_of(make_user(s, "admin")),
        }
    return engine, project.id, users


def _chain(engine, pid, actor=SYSTEM, today=TODAY):
    with read_session(engine) as s:
        return approvals.project_chain(s, actor=actor, project_id=pid, today=today)


def _apply(engine, pid, actor):
    with write_session(engine) as s:
        return approvals.apply_template(s, actor=actor, project_id=pid, today=TODAY)


def _form(step, **changes):
    values = {
        "name": step.name,
        "approving_unit": step.approving_unit,
        "time_limit_days": str(step.time_limit_days),
        "planned_start": step.planned_start.isoformat() if step.planned_start else "",
        "planned_finish": step.planned_finish.isoformat() if step.planned_finish else "",
        "actual_start": "",
        "actual_finish": "",
        "document_number": "",
        "contact_person": "",
        "contact_phone": "",
        "note": "",
    }
    values.update(changes)
    return values


def test_the_county_lead_applies_the_template_and_every_step_is_planned_to_keep_the_start(office):
    engine, pid, users = office
    result = _apply(engine, pid, users["own"])
    assert result.template == "新建项目（全流程）"
    assert (result.steps, result.links) == (11, 16)  # 15 of the template + 开工→竣工
    chain = _chain(engine, pid)
    assert [s.name for s in chain.steps][:3] == [
        "项目建议书批复",
        "用地预审与选址意见书",
        "可行性研究报告批复",
    ]
    assert all(s.planned_finish and s.planned_finish < date(2027, 9, 1) for s in chain.steps)
    assert all(s.status is StepStatus.NOT_STARTED for s in chain.steps)
    assert chain.start is not None and chain.start.float_days is not None
    assert chain.start.float_days >= 0 and chain.risk is None
    assert chain.start.path[-1] == chain.start.key and "施工许可证" in [
        s.name for s in chain.steps if s.key in chain.start.path
    ]
    # the planned dates are the latest ones: the critical steps have no float
    critical = [s for s in chain.steps if s.schedule and s.schedule.critical]
    assert critical and all(s.schedule.late_finish == s.planned_finish for s in critical)
    assert any(link.critical for link in chain.links)
    with read_session(engine) as s:
        entry = s.exec(select(AuditLog).where(AuditLog.action == "apply_template")).one()
        assert entry.entity_id == pid and entry.actor_id == users["own"].id


def test_another_county_and_the_leaders_may_not_edit_a_project_s_chain(office):
    engine, pid, users = office
    for who in ("other", "viewer"):
        with pytest.raises(PermissionDenied), write_session(engine) as s:
            approvals.apply_template(s, actor=users[who], project_id=pid, today=TODAY)
    _apply(engine, pid, users["admin"])
    assert _chain(engine, pid, users["viewer"]).may_edit is False
    assert _chain(engine, pid, users["other"]).may_edit is False
    assert _chain(engine, pid, users["own"]).may_edit is True
    with pytest.raises(InvalidInput) as again:
        _apply(engine, pid, users["own"])
    assert "已有 11 项前期手续" in str(again.value)


def test_a_step_saved_on_a_stale_version_is_refused_and_each_save_is_audited(office):
    engine, pid, users = office
    _apply(engine, pid, users["own"])
    step = _chain(engine, pid).steps[0]
    with write_session(engine) as s:
        saved = approvals.save_step(
            s,
            actor=users["own"],
            project_id=pid,
            step_id=step.id,
            seen_version=step.version,
            today=TODAY,
            **_form(
                step,
                actual_start="2026-11-02",
                actual_finish="2026-11-13",
                document_number="临发改投资〔2026〕88号",
                contact_person="赵丽",
            ),
        )
    assert saved.version == step.version + 1
    with pytest.raises(ConflictError) as stale, write_session(engine) as s:
        approvals.save_step(
            s,
            actor=users["admin"],
            project_id=pid,
            step_id=step.id,
            seen_version=step.version,
            today=TODAY,
            **_form(step, note="old form"),
        )
    assert "已被他人修改" in str(stale.value)
    now = _chain(engine, pid).steps[0]
    assert now.status is StepStatus.DONE and now.document_number == "临发改投资〔2026〕88号"
    with read_session(engine) as s:
        entry = s.exec(
            select(AuditLog).where(AuditLog.entity == "projectstep", AuditLog.action == "update")
        ).one()
    assert entry.before["actual_finish"] is None
    assert entry.after["actual_finish"] == "2026-11-13" and entry.after["version"] == saved.version


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"actual_start": "2026-11-30"}, "晚于今天"),
        ({"planned_start": "2026-12-10", "planned_finish": "2026-12-01"}, "早于计划申报日期"),
        ({"time_limit_days": "二十"}, "承诺时限（工作日）应为 1 至 365"),
        ({"name": ""}, "手续名称"),
        ({"planned_finish": "2026-13-01"}, "计划批复日期"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(office, changes, says):
    engine, pid, users = office
    _apply(engine, pid, users["own"])
    step = _chain(engine, pid).steps[0]
    with pytest.raises(InvalidInput) as refused, write_session(engine) as s:
        approvals.save_step(
            s,
            actor=users["own"],
            project_id=pid,
            step_id=step.id,
            seen_version=step.version,
            today=TODAY,
            **_form(step, **changes),
        )
    assert says in str(refused.value)
    assert _chain(engine, pid).steps[0].version == step.version


def test_a_link_that_closes_a_cycle_is_refused_naming_the_steps(office):
    engine, pid, users = office
    _apply(engine, pid, users["own"])
    chain = _chain(engine, pid)
    by_name = {s.name: s for s in chain.steps}
    with pytest.raises(InvalidInput) as refused, write_session(engine) as s:
        approvals.save_link(
            s,
            actor=users["own"],
            project_id=pid,
            source=by_name["施工许可证"].key,
            target=by_name["项目建议书批复"].key,
        )
    text = str(refused.value)
    assert "循环" in text and "施工许可证" in text and "项目建议书批复" in text
    with read_session(engine) as s:
        assert len(s.exec(select(StepLink).where(StepLink.project_id == pid)).all()) == 16


def test_a_link_to_another_project_s_step_or_a_repeated_link_is_refused(office):
    engine, pid, users = office
    _apply(engine, pid, users["own"])
    with write_session(engine) as s:
        other = make_project(s, county="双江县", milestones=[("开工建设", date(2027, 3, 1))])
    _apply(engine, other.id, users["own"])
    mine, theirs = _chain(engine, pid), _chain(engine, other.id)
    with pytest.raises(InvalidInput) as foreign, write_session(engine) as s:
        approvals.save_link(
            s,
            actor=users["own"],
            project_id=pid,
            source=mine.steps[0].key,
            target=theirs.steps[1].key,
        )
    assert "不是本项目" in str(foreign.value)
    first = mine.links[0]
    with pytest.raises(InvalidInput) as twice, write_session(engine) as s:
        approvals.save_link(
            s, actor=users["own"], project_id=pid, source=first.target, target=first.source
        )
    assert "已有前后关系" in str(twice.value)


def test_a_link_is_added_changed_on_its_version_and_removed_with_its_step(office):
    engine, pid, users = office
    _apply(engine, pid, users["own"])
    chain = _chain(engine, pid)
    by_name = {s.name: s for s in chain.steps}
    with write_session(engine) as s:
        added = approvals.save_link(
            s,
            actor=users["own"],
            project_id=pid,
            source=by_name["环境影响评价批复"].key,
            target=by_name["用地批复"].key,
            kind="SS",
            lag_days="3",
        )
    with write_session(engine) as s:
        changed = approvals.save_link(
            s,
            actor=users["own"],
            project_id=pid,
            link_id=added.link_id,
            seen_version=added.version,
            source=by_name["环境影响评价批复"].key,
            target=by_name["用地批复"].key,
            kind="FS",
            lag_days="-2",
        )
    with pytest.raises(ConflictError), write_session(engine) as s:
        approvals.delete_link(s, actor=users["own"], link_id=added.link_id, seen_version=1)
    link = next(x for x in _chain(engine, pid).links if x.id == added.link_id)
    assert (link.kind, link.lag_days, link.version) == ("FS", -2, changed.version)
    eia = by_name["环境影响评价批复"]
    with write_session(engine) as s:
        approvals.delete_step(s, actor=users["own"], step_id=eia.id, seen_version=eia.version)
    after = _chain(engine, pid)
    assert eia.key not in {x.source for x in after.links} | {x.target for x in after.links}
    with read_session(engine) as s:
        assert s.get(ProjectStep, eia.id) is None
        deleted = s.exec(
            select(AuditLog).where(AuditLog.action == "delete", AuditLog.entity == "steplink")
        ).all()
        assert len(deleted) == 3  # 可研 →(SS) 环评, 环评 → 施工许可, 环评 → 用地 (the new one)
    with pytest.raises(NotFound), write_session(engine) as s:
        approvals.delete_link(s, actor=users["own"], link_id=added.link_id, seen_version=2)


def test_a_step_past_its_latest_date_turns_the_start_at_risk_light_naming_it(office):
    engine, pid, users = office
    _apply(engine, pid, users["own"])
    # half a year later nothing has been submitted: the first steps' latest dates passed
    later = date(2027, 3, 1)
    chain = _chain(engine, pid, today=later)
    assert chain.risk is not None and chain.risk.step_name == "项目建议书批复"
    assert chain.start is not None and chain.start.float_days < 0
    with read_session(engine) as s:
        risks = approvals.start_risks(s, today=later)
        [status] = [
            st
            for st in project_statuses(s, as_of=later, thresholds=Thresholds())
            if st.project.id == pid
        ]
    assert risks[pid].days_past == chain.risk.days_past > 0
    reason = next(r for r in status.reasons if r.code == "start_at_risk")
    assert reason.params["step"] == "项目建议书批复"
    assert status.light in (Light.AMBER, Light.RED)
    # on the day the template planned, nothing is at risk yet
    assert _chain(engine, pid).risk is None


def test_the_approving_units_view_counts_in_progress_and_overdue_steps_per_unit(office):
    engine, pid, users = office
    _apply(engine, pid, users["own"])
    chain = _chain(engine, pid)
    by_name = {s.name: s for s in chain.steps}
    # 环评 (市生态环境局, 30 wd) submitted in August: past its limit; 水保 (市水务局) on time
    for name, submitted in (("环境影响评价批复", "2026-08-03"), ("水土保持方案批复", "2026-11-16")):
        step = by_name[name]
        with write_session(engine) as s:
            approvals.save_step(
                s,
                actor=users["own"],
                project_id=pid,
                step_id=step.id,
                seen_version=step.version,
                today=TODAY,
                **_form(step, actual_start=submitted),
            )
    with read_session(engine) as s:
        rows = approvals.approving_units(
            s, actor=users["viewer"], today=TODAY, thresholds=Thresholds()
        )
    by_unit = {r.approving_unit: r for r in rows}
    env, water = by_unit["市生态环境局"], by_unit["市水务局"]
    assert (env.overdue, env.light) == (1, Light.AMBER)
    assert env.overdue_items[0].step_name == "环境影响评价批复"
    assert env.overdue_items[0].days_over > 20
    assert (water.in_progress, water.overdue, water.light) == (1, 0, Light.GREEN)
    assert rows[0].approving_unit == "市生态环境局"  # the reddest first
    assert sum(r.steps for r in rows) == 11


def test_the_chains_the_map_reads_are_kept_until_a_save_and_say_who_may_edit(office):
    engine, pid, users = office
    _apply(engine, pid, users["own"])
    with read_session(engine) as s:
        first = approvals.chains(s, actor=users["own"], today=TODAY)[pid]
        again = approvals.chains(s, actor=users["other"], today=TODAY)[pid]
    assert first.may_edit and not again.may_edit  # the same chain, each reader's right
    step = first.steps[0]
    with write_session(engine) as s:
        approvals.save_step(
            s,
            actor=users["own"],
            project_id=pid,
            step_id=step.id,
            seen_version=step.version,
            today=TODAY,
            **_form(step, actual_start="2026-11-16"),
        )
    with read_session(engine) as s:
        after = approvals.chains(s, actor=users["own"], today=TODAY)[pid]
    assert after.steps[0].version == step.version + 1
    assert after.steps[0].status is StepStatus.IN_PROGRESS


def test_a_project_without_links_reads_its_steps_with_no_schedule(office):
    """A project with no chain yet, or whose links were all removed, still reads (the
    project page draws it): its steps, no start/finish target, no risk, no critical link."""
    engine, pid, users = office
    empty = _chain(engine, pid)
    assert (empty.steps, empty.links, empty.start, empty.finish) == ((), (), None, None)
    _apply(engine, pid, users["own"])
    for link in _chain(engine, pid).links:
        with write_session(engine) as s:
            approvals.delete_link(s, actor=users["own"], link_id=link.id, seen_version=link.version)
    loose = _chain(engine, pid)
    assert len(loose.steps) == 11 and loose.links == ()
    assert (loose.start, loose.finish, loose.risk, loose.problem) == (None, None, None, None)
    assert all(s.schedule is None for s in loose.steps)
