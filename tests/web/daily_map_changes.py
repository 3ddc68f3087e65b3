"""#19: one project with every kind of change the app audits, through the real services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import select

from tests.factories import actor_of, make_user, project_row
from tracker.db import read_session, write_session
from tracker.excel.rows import MilestoneRow, ParsedList
from tracker.models import Milestone, Project
from tracker.services import milestones
from tracker.services.milestones import reschedule_needs_approval
from tracker.services.plan_import import apply_parsed_list

TODAY = date(2026, 11, 20)


def audit_every_kind(engine, *, code: str | None = None, today: date = TODAY) -> int:
    """Import (new, then changed), start, mark done, reschedule, ask, approve, reject and
    note on one project; returns its id. With ``code`` the existing project is re-imported."""
    with write_session(engine) as s:
        admin = actor_of(make_user(s, "admin", username="office19"))
        lead = actor_of(make_user(s, "county", username="lead19", county="双江县"))
    if code is None:
        with write_session(engine) as s:
            apply_parsed_list(s, actor=admin, parsed=ParsedList([project_row()], []), dry_run=False)
            code = s.exec(select(Project.code).where(Project.name == project_row().name)).one()
    with write_session(engine) as s:
        project = s.exec(select(Project).where(Project.code == code)).one()
        changed = project_row(
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
    return pid


def milestones_of(engine, pid: int) -> list[Milestone]:
    with read_session(engine) as s:
        return list(
            s.exec(select(Milestone).where(Milestone.project_id == pid).order_by(Milestone.seq))
        )
