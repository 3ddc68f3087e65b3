from collections import Counter
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.factories import actor_of, make_project, make_report, make_user
from tracker.db import read_session, write_session
from tracker.domain.rules import Light, Thresholds
from tracker.models import Milestone, Project, User
from tracker.services import milestones
from tracker.services.auth import Actor
from tracker.services.errors import NotFound
from tracker.services.overview import overview
from tracker.services.projects import ProjectFilter, list_projects, project_detail

T = Thresholds()


def test_a_filter_survives_the_round_trip_through_the_url_and_drops_nonsense():
    f = ProjectFilter.from_query(
        {"county": "云县", "light": "red", "start": "late", "behind": "1", "q": "光伏"}
    )
    assert ProjectFilter.from_query(parse_qs(f.to_query())) == f
    assert f.county == "云县" and f.behind and f.q == "光伏"
    bad = ProjectFilter.from_query(
        {"county": "<script>", "light": "purple", "start": "x", "reported": "2026-13"}
    )
    assert bad == ProjectFilter()


def test_the_list_filters_by_county_area_and_light(demo_engine):
    with read_session(demo_engine) as s:
        every = list_projects(s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter())
        yun = list_projects(s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter(county="云县"))
        red = list_projects(s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter(light="red"))
        area = list_projects(
            s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter(area="推动旅游产业")
        )
    assert len(every) == 90
    assert yun and {r.county for r in yun} == {"云县"}
    assert red and {r.light for r in red} == {Light.RED}
    assert area and {r.area for r in area} == {"推动旅游产业"}


def test_the_overview_adds_up_to_the_list(demo_engine):
    with read_session(demo_engine) as s:
        data = overview(s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter())
        rows = list_projects(s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter())
    lights = Counter(r.light for r in rows)
    assert data.total.projects == 90
    assert (data.total.red, data.total.amber, data.total.green) == (
        lights[Light.RED],
        lights[Light.AMBER],
        lights[Light.GREEN],
    )
    assert sum(r.projects for r in data.by_county) == 90
    assert sum(r.projects for r in data.by_area) == 90
    assert [p.month.month for p in data.trend] == list(range(1, 13))
    reported = [p for p in data.trend if p.month <= data.period]
    assert reported[-1].cumulative == sum((p.completed for p in reported), Decimal(0))
    assert all(p.gap_pp < 0 for p in data.behind)


def test_the_stage_filters_give_the_overview_s_counts(demo_engine):
    with read_session(demo_engine) as s:
        data = overview(s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter())

        def n(**kw) -> int:
            return len(
                list_projects(s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter(**kw))
            )

        total = data.total
        assert (n(start="new"), n(start="new_due")) == (total.new_started, total.new_due)
        assert (n(start="resumed"), n(start="continuing")) == (total.resumed, total.continuing)
        assert n(start="completed") == total.completed
        assert n(start="late") == total.late_to_start == len(data.late_to_start)
        stages = {stage: n(stage=stage) for stage in ("preparing", "new", "continuing")}
        assert sum(stages.values()) + n(stage="completed") + n(stage="completed_before") == 90


def test_mine_means_the_actor_s_county(demo_engine):
    with read_session(demo_engine) as s:
        user = s.exec(select(User).where(User.username == "yunxian")).one()
        rows = list_projects(
            s,
            as_of=DEMO_AS_OF,
            thresholds=T,
            filters=ProjectFilter(mine=True),
            actor=Actor.of(user),
        )
    assert rows and {r.county for r in rows} == {"云县"}


def test_the_project_page_shows_history_and_what_the_actor_may_do(sqlite_engine):
    with write_session(sqlite_engine) as s:
        p = make_project(
            s, county="云县", milestones=[("开工建设", date(2026, 3, 1))], annual_plan={2026: 1000}
        )
        make_report(
            s, p, date(2026, 5, 1), completed_month=Decimal(100), completed_ytd=Decimal(400)
        )
        own = actor_of(make_user(s, "county", county="云县"))
        other = actor_of(make_user(s, "county", county="沧源县"))
        viewer = actor_of(make_user(s, "viewer"))
        mid = s.exec(select(Milestone.id).where(Milestone.project_id == p.id)).one()
    with write_session(sqlite_engine) as s:
        milestones.mark_done(
            s,
            actor=own,
            milestone_id=mid,
            actual_date="2026-03-02",
            seen_version=1,
            today=date(2026, 6, 1),
        )
    with read_session(sqlite_engine) as s:
        mine = project_detail(s, actor=own, project_id=p.id, as_of=date(2026, 6, 1), thresholds=T)
        theirs = project_detail(
            s, actor=other, project_id=str(p.id), as_of=date(2026, 6, 1), thresholds=T
        )
        looked = project_detail(
            s, actor=viewer, project_id=p.id, as_of=date(2026, 6, 1), thresholds=T
        )
        with pytest.raises(NotFound):
            project_detail(s, actor=own, project_id="abc", as_of=date(2026, 6, 1), thresholds=T)
        assert s.get(Project, p.id).actual_start == date(2026, 3, 2)
    assert mine.can_edit and not theirs.can_edit and not looked.can_edit
    assert theirs.history is None and looked.history is not None
    assert [h.action for h in mine.history] == ["start", "mark_done"] or [
        h.action for h in mine.history
    ] == ["mark_done", "start"]
    assert mine.plans[0].planned == Decimal(1000) and mine.plans[0].completed == Decimal(400)
