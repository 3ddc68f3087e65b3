"""The project page's parts a milestone's save cannot change (reports, plans, the slip
records, the steps, links and photos its history is about) are kept per project across data
versions whose writes did not touch their tables for that project (#15), and read again
after a write that did, whichever worker made it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, event
from sqlmodel import select

from tests.factories import actor_of, make_project, make_report, make_user
from tests.services.test_data_version import AS_OF, T
from tracker import data_version
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import (
    AuditLog,
    InvestmentPlan,
    Milestone,
    MilestonePlanRecord,
    Photo,
    ProblemItem,
    Project,
    ProjectStep,
    StepLink,
)
from tracker.services import approvals, photos, unit
from tracker.services import projects as projects_service
from tracker.services.auth import Actor
from tracker.services.ledger import ledger
from tracker.services.projects import project_detail, project_page


def _setup(engine: Engine) -> tuple[int, list[int], Actor]:
    with write_session(engine) as s:
        project = make_project(
            s,
            milestones=[("开工", date(2026, 3, 1)), ("主体完工", date(2026, 10, 31))],
            annual_plan={2026: Decimal("800")},
            actual_start=date(2026, 2, 1),
        )
        make_report(s, project, date(2026, 9, 1), completed_ytd=Decimal("300"))
        admin = actor_of(make_user(s, "admin"))
        pid = project.id
    with read_session(engine) as s:
        milestones = list(
            s.exec(select(Milestone.id).where(Milestone.project_id == pid).order_by(Milestone.seq))
        )
    return pid, milestones, admin


def _detail(engine: Engine, admin: Actor, pid: int):
    with read_session(engine) as s:
        return project_detail(s, actor=admin, project_id=pid, as_of=AS_OF, thresholds=T)


def _page(engine: Engine, admin: Actor, pid: int):
    return unit.read(
        engine,
        project_page,
        actor=admin,
        project_id=pid,
        as_of=AS_OF,
        settings=load_settings(env={}),
        parts=True,
    )


def _reference(engine: Engine, admin: Actor, pid: int, monkeypatch):
    """The detail read with no cache at all (every part read afresh)."""
    with monkeypatch.context() as m:
        m.setattr(data_version, "reading", lambda *_a, **_k: None)
        return _detail(engine, admin, pid)


def _plain(detail) -> dict:
    return asdict(detail)


@pytest.fixture
def statements(other_worker):
    seen: list[str] = []

    @event.listens_for(other_worker, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    yield seen
    event.remove(other_worker, "before_cursor_execute", _count)


def _note(engine: Engine, milestone_id: int, text: str) -> None:
    with write_session(engine) as s:
        s.get(Milestone, milestone_id).note = text


def test_a_note_on_the_project_keeps_its_reports_plans_and_owned_rows(
    engine, other_worker, statements, monkeypatch
):
    pid, milestones, admin = _setup(engine)
    _page(other_worker, admin, pid)
    _note(engine, milestones[0], "说明")  # written by another worker
    statements.clear()
    after = _page(other_worker, admin, pid).detail
    read = " ".join(" ".join(statements).split())
    for table in ("FROM investmentplan WHERE investmentplan.project_id", "FROM projectstep"):
        assert table not in read
    assert "ORDER BY monthlyreport.period DESC" not in read  # the page's own read of reports
    for part in ("FROM photo WHERE", "ORDER BY steplink.id", "FROM problemitem"):
        assert part not in read  # the photos, links (and steps, above) the history names
    assert after.milestones[0].note == "说明"
    assert _plain(after) == _plain(_reference(engine, admin, pid, monkeypatch))


@pytest.mark.parametrize(
    "write", ["report", "plan", "step", "link", "photo", "plan_record", "problem"]
)
def test_a_save_through_another_worker_is_seen_by_the_next_read(
    engine, other_worker, write, monkeypatch
):
    pid, milestones, admin = _setup(engine)
    before = _detail(other_worker, admin, pid)
    _page(other_worker, admin, pid)  # every part kept
    with write_session(engine) as s:
        project = s.get(Project, pid)
        if write == "report":
            make_report(s, project, date(2026, 10, 1), completed_ytd=Decimal("420"))
        elif write == "plan":
            plan = s.exec(select(InvestmentPlan).where(InvestmentPlan.project_id == pid)).one()
            plan.amount = Decimal("900")
        elif write in ("step", "link"):
            step = ProjectStep(project_id=pid, seq=1, name="用地预审")
            s.add(step)
            s.flush()
            row = step
            if write == "link":
                row = StepLink(project_id=pid, from_step_id=step.id, to_milestone_id=milestones[0])
                s.add(row)
        elif write == "photo":
            row = Photo(
                project_id=pid,
                milestone_id=milestones[1],
                period=date(2026, 10, 1),
                full_sha="a" * 64,
                thumb_sha="b" * 64,
                width=10,
                height=10,
                source_format="jpeg",
                original_name="x.jpg",
            )
            s.add(row)
        elif write == "problem":
            s.add(ProblemItem(project_id=pid, text="征地受阻", raised_on=date(2026, 11, 1)))
        else:
            s.add(
                MilestonePlanRecord(
                    milestone_id=milestones[1],
                    period=date(2026, 10, 1),
                    planned_date=date(2026, 10, 15),
                )
            )
        if write in ("step", "link", "photo"):  # the history names it only when it is read
            s.flush()
            entity = {"step": "projectstep", "link": "steplink", "photo": "photo"}[write]
            s.add(AuditLog(actor_name="admin", action="create", entity=entity, entity_id=row.id))
    after = _detail(other_worker, admin, pid)
    assert _plain(after) == _plain(_reference(engine, admin, pid, monkeypatch))
    assert _plain(after) != _plain(before) or write == "problem"
    page = _page(other_worker, admin, pid)
    assert page.chain == unit.read(
        engine, approvals.project_chain, actor=admin, project_id=pid, today=AS_OF
    )
    assert page.timeline == unit.read(engine, photos.timeline, actor=admin, project_id=pid)
    assert page.open_items == unit.read(engine, ledger, actor=admin, today=AS_OF, project_id=pid)
    if write == "problem":
        assert [line.item.text for line in page.open_items] == ["征地受阻"]
    if write == "photo":
        assert page.timeline.months
    if write in ("step", "link"):
        assert page.chain.steps and (write == "step" or page.chain.links)
    if write == "report":
        assert len(after.reports) == len(before.reports) + 1
    if write == "plan":
        assert after.plans[0].planned == Decimal("900")
    if write == "plan_record":
        assert after.slips != before.slips


def test_the_history_names_steps_and_links_from_the_pages_rows(engine):
    pid, milestones, _ = _setup(engine)
    with write_session(engine) as s:
        step = ProjectStep(project_id=pid, seq=1, name="用地预审")
        s.add(step)
        s.flush()
        s.add(StepLink(project_id=pid, from_step_id=step.id, to_milestone_id=milestones[0]))
        s.add(StepLink(project_id=pid, from_milestone_id=milestones[0], to_step_id=step.id))
    with read_session(engine) as s:
        owned = projects_service._Sections(s, None, pid).subjects()
        steps = dict(s.exec(select(ProjectStep.id, ProjectStep.name)).all())
        links = [
            (k.id, k.from_step_id, k.from_milestone_id, k.to_step_id, k.to_milestone_id)
            for k in s.exec(
                select(StepLink).where(StepLink.project_id == pid).order_by(StepLink.id)
            )
        ]
    assert dict(owned.steps) == steps and list(owned.links) == links and owned.photos == ()
    subjects = projects_service._subjects(owned, {milestones[0]: "开工"})
    assert sorted(v for (e, _), v in subjects.items() if e == "steplink") == [
        "开工 → 用地预审",
        "用地预审 → 开工",
    ]


def test_the_status_is_carried_across_a_save_of_another_project_only(
    engine, other_worker, monkeypatch
):
    """The page's status is read again after a save of its project (or of a table every
    status reads), through another worker, and carried across a save of another project."""
    pid, milestones, admin = _setup(engine)
    with write_session(engine) as s:
        elsewhere = make_project(s, milestones=[("开工", date(2026, 3, 1))]).id
    with read_session(engine) as s:
        their_milestone = s.exec(
            select(Milestone.id).where(Milestone.project_id == elsewhere)
        ).one()
    asked: list[list[int] | None] = []
    real = projects_service.project_statuses

    def spy(session, **kwargs):
        asked.append(kwargs.get("project_ids"))
        return real(session, **kwargs)

    monkeypatch.setattr(projects_service, "project_statuses", spy)
    before = _detail(other_worker, admin, pid)
    assert asked == [[pid]]
    _note(engine, their_milestone, "别处的说明")
    assert _detail(other_worker, admin, pid).status == before.status
    assert asked == [[pid]], "a save elsewhere: the status carried"

    with write_session(engine) as s:  # done through another worker: the light changes
        s.get(Milestone, milestones[1]).actual_date = date(2026, 11, 20)
    after = _detail(other_worker, admin, pid)
    assert asked == [[pid], [pid]]
    assert after.milestones[1].actual_date == date(2026, 11, 20)
    assert [m.state for m in after.milestones] != [m.state for m in before.milestones]

    with write_session(engine) as s:  # a project's row (any): every status is read again
        s.get(Project, elsewhere).name = "改名"
    _detail(other_worker, admin, pid)
    assert asked == [[pid], [pid], [pid]]
    monkeypatch.undo()
    assert _plain(_detail(other_worker, admin, pid)) == _plain(
        _reference(engine, admin, pid, monkeypatch)
    )


def test_the_pages_chain_and_photos_are_those_the_sections_read_alone(demo_engine):
    """The 前期手续 chain and the photo timeline the page builds from its own (carried) rows
    are those ``approvals.project_chain`` and ``photos.timeline`` read, for every project
    of the demo office, as the office and as a county lead (a chain refused alike)."""
    from tests.conftest import DEMO_AS_OF
    from tracker.config import load_settings
    from tracker.models import User
    from tracker.services import approvals, photos, unit
    from tracker.services.errors import ServiceError
    from tracker.services.projects import project_page

    settings = load_settings(env={})
    with read_session(demo_engine) as s:
        users = s.exec(select(User).order_by(User.id)).all()
        ids = list(s.exec(select(Project.id).order_by(Project.id)))
        with_steps = set(s.exec(select(ProjectStep.project_id)))
    admin = next(actor_of(u) for u in users if u.role == "admin")
    lead = next(actor_of(u) for u in users if u.county)
    assert with_steps, "the demo office has approval steps"
    for who in (admin, lead):
        for pid in ids:
            try:
                page = unit.read(
                    demo_engine,
                    project_page,
                    actor=who,
                    project_id=pid,
                    as_of=DEMO_AS_OF,
                    settings=settings,
                    parts=True,
                )
            except ServiceError:  # a project the lead may not see
                continue
            try:
                chain = unit.read(
                    demo_engine,
                    approvals.project_chain,
                    actor=who,
                    project_id=pid,
                    today=DEMO_AS_OF,
                )
            except ServiceError as error:
                assert page.chain is None and type(page.chain_refused) is type(error)
            else:
                assert page.chain == chain, pid
            timeline = unit.read(demo_engine, photos.timeline, actor=who, project_id=pid)
            assert page.timeline == timeline, pid


def test_thresholds_saved_through_another_worker_are_those_of_the_next_page(engine, other_worker):
    from tracker.services.policy import current_thresholds, set_thresholds

    pid, _, admin = _setup(engine)
    settings = load_settings(env={})
    assert _page(other_worker, admin, pid).detail.milestones[1].state.value == "overdue"
    unit.write(
        engine,
        set_thresholds,
        actor=admin,
        values={"due_soon_days": 5, "red_overdue_days": 60},
        seen_version=0,
        settings=settings,
    )
    with read_session(engine) as s:
        fresh = current_thresholds(s, settings)
    assert fresh.red_overdue_days == 60
    with read_session(other_worker) as s:
        assert projects_service._sections(s, pid).thresholds(settings) == fresh
    page = _page(other_worker, admin, pid)
    with read_session(engine) as s:
        reference = project_detail(s, actor=admin, project_id=pid, as_of=AS_OF, thresholds=fresh)
    assert _plain(page.detail) == _plain(reference)


def test_the_figures_month_is_read_again_after_a_period_is_written(
    engine, other_worker, monkeypatch
):
    from tracker.models import ReportingPeriod

    pid, milestones, admin = _setup(engine)
    asked: list[date] = []
    real = projects_service.reference_period

    def spy(session, **kwargs):
        asked.append(kwargs["as_of"])
        return real(session, **kwargs)

    monkeypatch.setattr(projects_service, "reference_period", spy)
    _page(other_worker, admin, pid)
    _note(engine, milestones[0], "说明")
    _page(other_worker, admin, pid)
    assert asked == [AS_OF], "a note: the month carried"
    with write_session(engine) as s:  # through another worker
        s.add(
            ReportingPeriod(
                period=date(2026, 11, 1),
                opens_on=date(2026, 11, 20),
                due_on=date(2026, 11, 25),
                closes_on=date(2026, 11, 27),
            )
        )
    page = _page(other_worker, admin, pid)
    assert asked == [AS_OF, AS_OF]
    monkeypatch.undo()
    with read_session(engine) as s:
        assert (
            page.detail.status
            == project_detail(s, actor=admin, project_id=pid, as_of=AS_OF, thresholds=T).status
        )
