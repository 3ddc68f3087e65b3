"""What the overview reads besides the statuses (thresholds, the figures' month, the filter
choices) is kept per data version and carried over writes that do not touch it (#15); a
write that does is on the next page, whichever session made it."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import IndicatorSystem, Milestone, Project, User
from tracker.services import milestones, policy
from tracker.services import overview as overview_service
from tracker.services.auth import Actor
from tracker.services.errors import PermissionDenied
from tracker.services.indicators import overview_summary
from tracker.services.overview import OverviewPage, overview_page
from tracker.services.projects import ProjectFilter

SETTINGS = load_settings(env={})


def _page(engine) -> OverviewPage:
    with read_session(engine) as s:
        return overview_page(s, as_of=DEMO_AS_OF, filters=ProjectFilter(), settings=SETTINGS)


def _afresh(engine) -> OverviewPage:
    """The page read with nothing kept: the frame read again from the tables."""
    kept = overview_service._frame
    overview_service._frame = overview_service._read_frame
    try:
        return _page(engine)
    finally:
        overview_service._frame = kept


def _reads(monkeypatch) -> list[int]:
    reads: list[int] = []
    read = overview_service._read_frame

    def counted(session, as_of, settings):
        reads.append(1)
        return read(session, as_of, settings)

    monkeypatch.setattr(overview_service, "_read_frame", counted)
    return reads


def _admin(engine) -> tuple[Actor, Actor]:
    with read_session(engine) as s:
        office = s.exec(select(User).where(User.username == "admin")).one()
        lead = s.exec(select(User).where(User.username == "yunxian")).one()
        return Actor.of(office), Actor.of(lead)


def test_a_note_leaves_the_frame_as_it_was_and_the_page_the_same(demo_engine, monkeypatch):
    reads = _reads(monkeypatch)
    first = _page(demo_engine)
    assert _page(demo_engine) == first and len(reads) == 1  # the same version: kept
    _, lead = _admin(demo_engine)
    with read_session(demo_engine) as s:
        milestone = s.exec(
            select(Milestone)
            .join(Project, Milestone.project_id == Project.id)
            .where(Project.county == lead.county)
            .order_by(Milestone.id)
        ).first()
    with write_session(demo_engine) as s:
        milestones.add_note(
            s,
            actor=lead,
            milestone_id=milestone.id,
            note="监理例会已召开",
            seen_version=milestone.version,
            today=DEMO_AS_OF,
        )
    assert _page(demo_engine) == first
    assert len(reads) == 1, "a note to a milestone changes no threshold, month or choice"


def test_new_thresholds_are_on_the_next_page(demo_engine):
    first = _page(demo_engine)
    office, _ = _admin(demo_engine)
    with write_session(demo_engine) as s:
        current, version = policy.get_thresholds(s, SETTINGS)
        policy.set_thresholds(
            s,
            actor=office,
            values={"amber_gap_pp": current.amber_gap_pp + 1},
            seen_version=version,
            settings=SETTINGS,
        )
    after = _page(demo_engine)
    assert after.thresholds.amber_gap_pp == first.thresholds.amber_gap_pp + 1
    assert after == _afresh(demo_engine)


def test_a_new_lead_unit_is_in_the_next_choices(demo_engine):
    _page(demo_engine)
    with write_session(demo_engine) as s:
        project = s.exec(select(Project).order_by(Project.id)).first()
        project.lead_unit = "临沧市新设牵头单位"
        s.add(project)
    after = _page(demo_engine)
    assert "临沧市新设牵头单位" in after.options.lead_units
    assert after == _afresh(demo_engine)


def _indicators(engine, actor: Actor):
    with read_session(engine) as s:
        kept = overview_service.overview_indicators(s, actor=actor, as_of=DEMO_AS_OF)
        return kept, overview_summary(s, actor=actor, as_of=DEMO_AS_OF)


def test_the_indicators_block_is_carried_over_a_project_s_save_not_an_indicator_s(demo_engine):
    office, lead = _admin(demo_engine)
    first, afresh = _indicators(demo_engine, lead)
    assert first == afresh and first.total > 0
    with write_session(demo_engine) as s:
        project = s.exec(select(Project).order_by(Project.id)).first()
        project.contact_person = "李工"
        s.add(project)
    assert _indicators(demo_engine, office)[0] is first, "a project's save leaves it as it was"
    with write_session(demo_engine) as s:
        system = s.exec(select(IndicatorSystem).order_by(IndicatorSystem.id)).first()
        system.name = "新的指标体系名称"
        s.add(system)
    after, afresh = _indicators(demo_engine, lead)
    assert after == afresh and "新的指标体系名称" in {x.name for x in after.systems}


def test_the_indicators_block_is_refused_to_whoever_may_not_see_indicators(demo_engine):
    office, _ = _admin(demo_engine)
    nobody = dataclasses.replace(office, role="nobody")
    with read_session(demo_engine) as s:
        overview_service.overview_indicators(s, actor=office, as_of=DEMO_AS_OF)
        with pytest.raises(PermissionDenied):
            overview_service.overview_indicators(s, actor=nobody, as_of=DEMO_AS_OF)
