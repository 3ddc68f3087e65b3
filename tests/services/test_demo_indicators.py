"""The demo office's indicators (#16): 39 + 102 + 30, plausible, some behind, some missing."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tracker.db import read_session, write_session
from tracker.domain.rules import Light
from tracker.models import Indicator, IndicatorTarget, IndicatorValue, Project, User
from tracker.services import indicators as svc
from tracker.services.auth import Actor


def _actor(session, username: str) -> Actor:
    return Actor.of(session.exec(select(User).where(User.username == username)).one())


def test_the_demo_holds_the_three_systems_of_the_report(demo_engine):
    with read_session(demo_engine) as session:
        leader = _actor(session, "leader")
        systems = svc.list_systems(session, actor=leader)
        catalogue = svc.catalogue(session, actor=leader, as_of=DEMO_AS_OF)
        lead_units = set(session.exec(select(Project.lead_unit)).all())
        targets = Counter(t.year for t in session.exec(select(IndicatorTarget)))
        years = {v.period.year for v in session.exec(select(IndicatorValue))}
    assert [(s.name, s.count) for s in systems] == [
        ("创新能力监测", 39),
        ("SDGs 进展", 102),
        ("可持续发展规划", 30),
    ]
    names = Counter((r.system_code, r.name) for r in catalogue.rows)
    assert max(names.values()) == 1
    assert {r.lead_unit for r in catalogue.rows} <= lead_units
    assert targets[2025] >= 160 and targets[2030] >= 160
    assert {2020, 2021, 2022, 2023, 2024, 2025} <= years
    # every goal has indicators; most are on track, some behind, some not reported
    assert catalogue.goals == list(range(1, 18))
    counts = catalogue.counts
    assert counts["green"] > 171 / 2 and counts["amber"] >= 20 and counts["red"] >= 10
    assert sum(1 for r in catalogue.rows if r.missing) >= 20
    assert any(r.reasons and r.reasons[0].code == "behind_target" for r in catalogue.rows)
    assert sum(r.pending for r in catalogue.rows) >= 3
    rd = next(r for r in catalogue.rows if r.name == "全社会研发经费投入强度")
    assert rd.unit == "%" and rd.baseline_value == 0.3 and rd.province_rank is not None


def test_the_demo_s_units_have_values_to_enter_and_the_office_values_to_review(demo_engine):
    with read_session(demo_engine) as session:
        kejiju, admin = _actor(session, "kejiju"), _actor(session, "admin")
        rows = svc.entry_rows(session, actor=kejiju, as_of=DEMO_AS_OF)
        pending = svc.pending_values(session, actor=admin)
        due = svc.due_values(session, as_of=DEMO_AS_OF)
    assert {r.code for r in rows if r.status is None} >= {"CX-27"}
    assert all(r.code.startswith(("CX", "GH")) for r in rows)
    assert len(pending) >= 3
    assert {d.lead_unit for d in due} >= {"市科技局"}


def test_the_demo_walk_a_unit_enters_the_office_accepts_and_goal_4_turns_green(demo_engine):
    with read_session(demo_engine) as session:
        kejiju, admin = _actor(session, "kejiju"), _actor(session, "admin")
        indicator = session.exec(select(Indicator).where(Indicator.code == "CX-27")).one()
        before = svc.sdg_tiles(session, actor=kejiju, as_of=DEMO_AS_OF)[3]
    assert before.goal == 4 and before.light is Light.AMBER
    with write_session(demo_engine) as session:
        saved = svc.save_value(
            session,
            actor=kejiju,
            indicator_id=indicator.id,
            period="2025",
            value="10.1",
            source="2025年公民科学素质抽样调查",
            today=DEMO_AS_OF,
        )
        svc.accept_value(
            session,
            actor=admin,
            value_id=saved.value_id,
            seen_version=saved.version,
            today=DEMO_AS_OF,
        )
    with read_session(demo_engine) as session:
        after = svc.sdg_tiles(session, actor=kejiju, as_of=DEMO_AS_OF)[3]
        row = svc.indicator_detail(
            session, actor=kejiju, indicator_id=indicator.id, as_of=DEMO_AS_OF
        ).row
    assert row.light is Light.GREEN and row.latest_period == date(2025, 1, 1)
    assert after.light is Light.GREEN
