"""The demo's 前期手续 (#17): every project a chain, some steps past their units' limits, some
starts now at risk (the light reason names the step); a step saved clears it on the next
read of the statuses (the data version names the project)."""

from collections import Counter

from tests.conftest import DEMO_AS_OF
from tests.factories import actor_of
from tracker.db import read_session, write_session
from tracker.domain.approvals import StepStatus
from tracker.domain.rules import Light, Thresholds
from tracker.models import User
from tracker.services import approvals
from tracker.services.auth import SYSTEM
from tracker.services.demo import build_demo
from tracker.services.status import project_statuses


def test_every_demo_project_has_a_chain_some_late_steps_and_some_starts_at_risk(engine):
    with write_session(engine) as s:
        build_demo(s, as_of=DEMO_AS_OF, password="pw")
    with read_session(engine) as s:
        chains = approvals.chains(s, actor=SYSTEM, today=DEMO_AS_OF)
        units = approvals.approving_units(
            s, actor=SYSTEM, today=DEMO_AS_OF, thresholds=Thresholds()
        )
        statuses = project_statuses(s, as_of=DEMO_AS_OF, thresholds=Thresholds())
    assert len(chains) == 90
    assert all(len(c.steps) >= 5 and c.links and c.problem is None for c in chains.values())
    assert all(c.start is not None for c in chains.values())  # each leads to 开工建设
    states = Counter(step.status for c in chains.values() for step in c.steps)
    assert states[StepStatus.DONE] > 500 and states[StepStatus.OVERDUE] >= 5
    assert all(
        step.document_number
        for c in chains.values()
        for step in c.steps
        if step.status is StepStatus.DONE
    )
    at_risk = [c for c in chains.values() if c.risk is not None]
    assert len(at_risk) >= 2
    reasons = {
        st.project.code: r.params["step"]
        for st in statuses
        for r in st.reasons
        if r.code == "start_at_risk"
    }
    assert reasons == {c.code: c.risk.step_name for c in at_risk}
    lights = Counter(u.light for u in units)
    assert lights[Light.RED] >= 1 and lights[Light.AMBER] >= 1 and lights[Light.GREEN] >= 1
    assert all(u.average_days is not None and u.limit_days for u in units)


def test_submitting_the_stalled_step_clears_the_start_at_risk_on_the_next_read(demo_engine):
    thresholds = Thresholds()
    with read_session(demo_engine) as s:
        chains = approvals.chains(s, actor=SYSTEM, today=DEMO_AS_OF)
        project = next(c for c in chains.values() if c.risk is not None)
        before = project_statuses(s, as_of=DEMO_AS_OF, thresholds=thresholds)  # cached
        office = actor_of(s.exec(User.__table__.select().where(User.role == "admin")).first())
    assert any(
        r.code == "start_at_risk"
        for st in before
        if st.project.id == project.project_id
        for r in st.reasons
    )
    stalled = next(step for step in project.steps if step.id == project.risk.step_id)
    # the step went in long ago and was approved yesterday: the chain catches up
    with write_session(demo_engine) as s:
        approvals.save_step(
            s,
            actor=office,
            project_id=project.project_id,
            step_id=stalled.id,
            seen_version=stalled.version,
            today=DEMO_AS_OF,
            name=stalled.name,
            approving_unit=stalled.approving_unit,
            time_limit_days=stalled.time_limit_days,
            planned_start=stalled.planned_start.isoformat(),
            planned_finish=stalled.planned_finish.isoformat(),
            actual_start=stalled.planned_start.isoformat(),
            actual_finish="2026-11-27",
            document_number="临自然资规〔2026〕66号",
        )
    with read_session(demo_engine) as s:
        after = project_statuses(s, as_of=DEMO_AS_OF, thresholds=thresholds)
        chain = approvals.project_chain(
            s, actor=SYSTEM, project_id=project.project_id, today=DEMO_AS_OF
        )
    named = [
        r.params["step"]
        for st in after
        if st.project.id == project.project_id
        for r in st.reasons
        if r.code == "start_at_risk"
    ]
    assert stalled.name not in named
    assert (chain.risk is None) == (named == [])
