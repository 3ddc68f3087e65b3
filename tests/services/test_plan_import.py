from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import func, select

from tests.factories import make_user, project_row
from tracker.db import read_session, write_session
from tracker.excel.rows import MilestoneRow, ParsedList, ProjectRow, RowError
from tracker.models import AuditLog, InvestmentPlan, Milestone, Project
from tracker.services.auth import SYSTEM, Actor
from tracker.services.errors import PermissionDenied
from tracker.services.plan_import import apply_parsed_list, plan_rows


def row(n: int, **kw) -> ProjectRow:
    return project_row(**{"name": f"双江蔗糖循环经济产业园项目{n}", "row": 3 + n, **kw})


def counts(engine) -> tuple[int, int, int]:
    with read_session(engine) as s:
        return tuple(
            s.exec(select(func.count()).select_from(model)).one()
            for model in (Project, Milestone, InvestmentPlan)
        )


def run(engine, rows, *, dry_run=False, errors=(), actor=SYSTEM):
    with write_session(engine) as s:
        return apply_parsed_list(
            s,
            actor=actor,
            parsed=ParsedList(projects=list(rows), errors=list(errors)),
            dry_run=dry_run,
        )


def test_a_new_list_creates_projects_milestones_and_annual_plans_with_baselines(engine):
    result = run(engine, [row(1), row(2)])
    assert len(result.created) == 2 and not result.updated and not result.errors
    assert counts(engine) == (2, 6, 4)
    with read_session(engine) as s:
        project = s.exec(select(Project).where(Project.name == "双江蔗糖循环经济产业园项目1")).one()
        assert project.baseline_start == project.planned_start == date(2026, 3, 1)
        assert project.total_investment == Decimal("1500.00")
        assert s.exec(select(func.count()).select_from(AuditLog)).one() == 2


def test_a_dry_run_reports_what_would_change_and_writes_nothing(engine):
    result = run(engine, [row(1), row(2)], dry_run=True)
    assert len(result.created) == 2 and result.milestones == 6
    assert counts(engine) == (0, 0, 0)
    assert "预演" in result.summary()


def test_a_list_with_any_rejected_row_writes_nothing(engine):
    bad = RowError("项目清单", 7, "J", "总投资（万元）", "无法识别的数字：abc")
    result = run(engine, [row(1)], errors=[bad])
    assert result.errors == [bad]
    assert counts(engine) == (0, 0, 0)


def test_reimporting_updates_never_duplicates_and_keeps_baselines(engine):
    run(engine, [row(1), row(2)])
    moved = replace(
        row(1),
        planned_finish=date(2027, 9, 30),
        milestones=(
            MilestoneRow("完成前期手续", date(2026, 4, 30)),
            MilestoneRow("开工建设", date(2026, 8, 31)),
            MilestoneRow("竣工验收", date(2027, 9, 30)),
        ),
        annual_plans={2026: Decimal("400.00"), 2027: Decimal("1100.00")},
    )
    result = run(engine, [moved, row(2)])
    assert len(result.updated) == 1 and len(result.unchanged) == 1 and not result.created
    assert counts(engine) == (2, 6, 4)
    with read_session(engine) as s:
        project = s.exec(select(Project).where(Project.name == moved.name)).one()
        assert project.planned_finish == date(2027, 9, 30)
        assert project.baseline_finish == date(2027, 6, 30)
        assert project.version == 2
        start = s.exec(
            select(Milestone).where(
                Milestone.project_id == project.id, Milestone.name == "开工建设"
            )
        ).one()
        assert (start.baseline_date, start.planned_date) == (date(2026, 6, 30), date(2026, 8, 31))
        entry = s.exec(select(AuditLog).where(AuditLog.action == "import_update")).one()
        assert entry.before["planned_finish"] == "2027-06-30"
        assert entry.after["planned_finish"] == "2027-09-30"


def test_projects_match_by_code_when_the_list_has_codes(engine):
    run(engine, [row(1, code="LC-01-01")])
    result = run(engine, [row(1, code="LC-01-01", name="双江蔗糖循环经济产业园（一期）项目")])
    assert len(result.updated) == 1
    with read_session(engine) as s:
        assert [p.name for p in s.exec(select(Project))] == ["双江蔗糖循环经济产业园（一期）项目"]


def test_the_plan_reads_back_as_the_rows_it_was_imported_from(engine):
    rows = [row(1, code="A-1"), row(2, code="A-2", county="市直", nature="续建")]
    run(engine, rows)
    with read_session(engine) as s:
        assert plan_rows(s, actor=SYSTEM) == rows


@pytest.mark.parametrize("role", ["county", "unit", "viewer"])
def test_only_the_office_may_import_a_list(engine, role):
    with write_session(engine) as s:
        actor = Actor.of(make_user(s, role))
    with pytest.raises(PermissionDenied):
        run(engine, [row(1)], actor=actor)
    assert counts(engine)[0] == 0
