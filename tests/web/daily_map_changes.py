"""#19: one project with every kind of change the app audits, through the real services:
its own and its milestones' (#19), its approval steps and their links (#17), its site photos
and its location (#18)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import select

from tests import photos as photo_files
from tests.factories import actor_of, make_user, project_row
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.domain.approvals import STEPS_BY_CODE
from tracker.excel.rows import MilestoneRow, ParsedList
from tracker.models import Milestone, Project
from tracker.services import approvals, milestones, photos
from tracker.services.auth import SYSTEM
from tracker.services.milestones import reschedule_needs_approval
from tracker.services.plan_import import apply_parsed_list

TODAY = date(2026, 11, 20)


def audit_every_kind(engine, *, code: str | None = None, today: date = TODAY) -> int:
    """Import (new), work on its approval steps (#17), import it changed (with approval
    dates), start, mark done, reschedule, ask, approve, reject and note, place it on the map
    and upload a site photo (#18); returns its id. With ``code`` the existing project (without
    approval steps) is re-imported."""
    with write_session(engine) as s:
        admin = actor_of(make_user(s, "admin", username="office19"))
        lead = actor_of(make_user(s, "county", username="lead19", county="双江县"))
    if code is None:
        with write_session(engine) as s:
            apply_parsed_list(s, actor=admin, parsed=ParsedList([project_row()], []), dry_run=False)
            code = s.exec(select(Project.code).where(Project.name == project_row().name)).one()
    with read_session(engine) as s:
        pid = s.exec(select(Project.id).where(Project.code == code)).one()
    dates = approval_steps(engine, lead, pid, today)
    with write_session(engine) as s:
        project = s.exec(select(Project).where(Project.code == code)).one()
        changed = project_row(
            approvals=dates,
            code=code,
            name=project.name + "（二期）",
            county=project.county,
            responsible_units="市工业和信息化局、双江县人民政府",
            nature="续建",
            measure="发展清洁能源",
            total_investment=Decimal("1800.00"),
            annual_plans={2026: Decimal("600.00"), 2027: Decimal("1200.00")},
            milestones=(
                MilestoneRow("完成前期手续", date(2026, 4, 30)),
                MilestoneRow("开工建设", date(2026, 8, 31)),
                MilestoneRow("竣工验收", date(2027, 9, 30)),
            ),
        )
        result = apply_parsed_list(s, actor=admin, parsed=ParsedList([changed], []), dry_run=False)
        assert result.ok and result.updated, result.errors
        pid = project.id

    def step(use_case, actor, seq: int, **fields) -> None:
        """``actor`` runs a milestone use case on the project's milestone ``seq`` (from 0),
        at the version it has now."""
        milestone = milestones_of(engine, pid)[seq]
        with write_session(engine) as s:
            use_case(
                s,
                actor=actor,
                milestone_id=milestone.id,
                seen_version=milestone.version,
                today=today,
                **fields,
            )

    step(milestones.mark_done, admin, 1, actual_date=date(2026, 9, 2))
    step(milestones.reschedule, admin, 2, new_date=date(2027, 10, 31), reason="设备到货推迟")
    with write_session(engine) as s:
        _, version = reschedule_needs_approval(s)
        milestones.set_reschedule_needs_approval(s, actor=admin, value=True, seen_version=version)
    for decide, asked in (("approve", date(2027, 11, 30)), ("reject", date(2027, 12, 31))):
        step(milestones.reschedule, lead, 2, new_date=asked, reason="施工许可延后")
        if decide == "approve":
            step(milestones.approve_reschedule, admin, 2)
        else:
            step(milestones.reject_reschedule, admin, 2, comment="理由不充分")
    step(milestones.add_note, lead, 0, note="手续已齐")
    site_photo_and_location(engine, lead, pid, today)
    return pid


def approval_steps(engine, actor, pid: int, today: date) -> dict[str, date]:
    """#17: the template applied, a step changed, one added and linked (the link changed),
    another added, linked and removed (its link with it), the first step removed; returns
    the approval dates the list then gives: the changed step's, and the removed first
    step's, which the import adds again."""
    with write_session(engine) as s:
        approvals.apply_template(s, actor=actor, project_id=pid, today=today)
    first, edited = _chain(engine, pid, today).steps[:2]
    with write_session(engine) as s:
        approvals.save_step(
            s,
            actor=actor,
            project_id=pid,
            step_id=edited.id,
            seen_version=edited.version,
            today=today,
            **_form(edited, actual_start="2026-11-02", document_number="双发改〔2026〕12号"),
        )
        added = approvals.save_step(
            s,
            actor=actor,
            project_id=pid,
            today=today,
            name="用地预审",
            approving_unit="县自然资源局",
        )
        spare = approvals.save_step(
            s, actor=actor, project_id=pid, today=today, name="临时手续", approving_unit="县住建局"
        )
    keys = {s.id: s.key for s in _chain(engine, pid, today).steps}
    with write_session(engine) as s:
        link = approvals.save_link(
            s, actor=actor, project_id=pid, source=keys[added.step_id], target=keys[edited.id]
        )
        approvals.save_link(
            s,
            actor=actor,
            project_id=pid,
            source=keys[added.step_id],
            target=keys[edited.id],
            kind="SS",
            lag_days=3,
            link_id=link.link_id,
            seen_version=link.version,
        )
        gone = approvals.save_link(
            s, actor=actor, project_id=pid, source=keys[spare.step_id], target=keys[edited.id]
        )
        approvals.delete_link(s, actor=actor, link_id=gone.link_id, seen_version=gone.version)
        approvals.delete_step(s, actor=actor, step_id=spare.step_id, seen_version=spare.version)
        approvals.delete_step(s, actor=actor, step_id=first.id, seen_version=first.version)
    codes = {s.name: c for c, s in STEPS_BY_CODE.items()}
    return {codes[edited.name]: date(2026, 11, 13), codes[first.name]: date(2026, 3, 2)}


def site_photo_and_location(engine, actor, pid: int, today: date) -> None:
    """#18: the project placed on the map, a site photo of its first milestone uploaded."""
    store = photos.store_for(load_settings(env={}), engine)  # where the app looks
    with write_session(engine) as s:
        version = s.get(Project, pid).version
        photos.set_location(
            s, actor=actor, project_id=pid, lat=23.47, lon=99.83, seen_version=version
        )
    jpeg = photo_files.site_jpeg(datetime(today.year, today.month, 3, 9), (23.47, 99.83))
    with write_session(engine) as s:
        photos.upload(
            s,
            actor=actor,
            project_id=pid,
            uploads=[photos.Upload("工地东侧.jpg", jpeg)],
            store=store,
            limit=photos.limits(load_settings(env={})),
            today=today,
            milestone_id=milestones_of(engine, pid)[0].id,
        )


def _chain(engine, pid: int, today: date):
    with read_session(engine) as s:
        return approvals.project_chain(s, actor=SYSTEM, project_id=pid, today=today)


def _form(step, **changes) -> dict:
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
    return {**values, **changes}


def milestones_of(engine, pid: int) -> list[Milestone]:
    with read_session(engine) as s:
        return list(
            s.exec(select(Milestone).where(Milestone.project_id == pid).order_by(Milestone.seq))
        )
