from collections import Counter

from sqlmodel import Session, func, select

from tests.conftest import DEMO_AS_OF
from tracker.db import read_session, write_session
from tracker.domain.places import PLACES
from tracker.domain.rules import Light, Thresholds
from tracker.models import Area, Measure, Milestone, MonthlyReport, Project, User
from tracker.services.demo import PLAN, build_demo
from tracker.services.status import project_statuses


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_demo_office_has_the_seed_s_4_areas_21_measures_and_90_projects(engine):
    with write_session(engine) as session:
        build_demo(session, as_of=DEMO_AS_OF, password="pw")
    with read_session(engine) as session:
        assert [a.name for a in session.exec(select(Area).order_by(Area.sort_order))] == [
            "绿色低碳发展",
            "推动旅游产业",
            "生态环境保护",
            "创新驱动发展",
        ]
        assert count(session, Measure) == 21
        assert count(session, Project) == 90
        per_project = Counter(m.project_id for m in session.exec(select(Milestone)))
        assert len(per_project) == 90
        assert all(3 <= n <= 6 for n in per_project.values())
        counties = {p.county for p in session.exec(select(Project))}
        assert counties == set(PLACES)
        assert count(session, MonthlyReport) > 90 * 6
        roles = Counter(u.role for u in session.exec(select(User)))
        assert roles == {"admin": 1, "county": 8, "unit": 1, "viewer": 1}


def test_the_demo_is_the_same_for_the_same_seed_and_date(sqlite_template, tmp_path):
    from tests.conftest import _sqlite_copy

    names = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        engine = _sqlite_copy(sqlite_template, tmp_path / run)
        with write_session(engine) as session:
            build_demo(session, as_of=DEMO_AS_OF, password="pw")
        with read_session(engine) as session:
            names.append(
                [
                    (p.code, p.name, p.county, str(p.total_investment), p.planned_finish)
                    for p in session.exec(select(Project).order_by(Project.code))
                ]
            )
        engine.dispose()
    assert names[0] == names[1]


def test_most_demo_projects_are_on_track_some_amber_a_few_red(demo_engine):
    with read_session(demo_engine) as session:
        statuses = project_statuses(session, as_of=DEMO_AS_OF, thresholds=Thresholds())
    lights = Counter(s.light for s in statuses)
    assert lights[Light.GREEN] > 45
    assert 5 <= lights[Light.AMBER] <= 30
    assert 2 <= lights[Light.RED] <= 15
    assert any(s.missed_reports >= 2 for s in statuses), "a unit that stopped reporting"


def test_the_demo_measures_belong_to_their_areas(demo_engine):
    with read_session(demo_engine) as session:
        rows = session.exec(
            select(Area.name, Measure.name).join(Measure, Measure.area_id == Area.id)
        )
        pairs = {(a, m) for a, m in rows}
    assert pairs == {(a, m) for a, measures in PLAN.items() for m, _, _ in measures}
