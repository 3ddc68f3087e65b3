"""A list with approval columns (可研批复时间, 用地批复 …): their dates become the projects'
approval steps' actual dates; the dry run shows the change; a second column for the same
step is reported unused, never read silently."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from tests.services.test_list_import_fields import issue_list, run
from tracker.db import read_session
from tracker.excel.recognize import Field, classify_header
from tracker.models import Project, ProjectStep

APPROVALS = (
    ("可研批复时间", [date(2022, 3, 15), "2022.4", None]),
    ("用地批复", [date(2022, 5, 20), None, None]),
)


def _steps(engine) -> dict[tuple[str, str], ProjectStep]:
    with read_session(engine) as s:
        names = {p.id: p.name for p in s.exec(select(Project))}
        return {(names[x.project_id], x.name): x for x in s.exec(select(ProjectStep))}


def test_approval_headers_are_recognised_but_not_their_numbers_units_or_plans():
    for header in ("可研批复时间", "用地批复", "环评批复（时间）", "施工许可证取得日期"):
        assert classify_header(header).field is Field.APPROVAL, header
    for header in ("可研批复文号", "审批部门", "可研计划批复时间", "建设用地面积", "批复总投资"):
        found = classify_header(header)
        assert found is None or found.field is not Field.APPROVAL, header


def test_approval_dates_become_the_steps_actual_dates_and_a_change_shows_in_the_dry_run(engine):
    created = run(engine, issue_list(extra=APPROVALS))
    assert created.ok and created.unused == [] and created.unknown == []
    steps = _steps(engine)
    assert steps[("云县测试项目1", "可行性研究报告批复")].actual_finish == date(2022, 3, 15)
    assert steps[("云县测试项目1", "用地批复")].actual_finish == date(2022, 5, 20)
    assert steps[("云县测试项目2", "可行性研究报告批复")].actual_finish == date(2022, 4, 30)
    assert ("云县测试项目3", "可行性研究报告批复") not in steps  # a blank cell: no step

    moved = (("可研批复时间", [date(2022, 3, 18), "2022.4", None]), APPROVALS[1])
    dry = run(engine, issue_list(extra=moved), dry_run=True)
    assert dry.ok
    [change] = dry.changes
    assert [(f.label, f.old, f.new) for f in change.fields] == [
        ("可行性研究报告批复（办结时间）", "2022-03-15", "2022-03-18")
    ]
    assert _steps(engine)[("云县测试项目1", "可行性研究报告批复")].actual_finish == date(
        2022, 3, 15
    )

    done = run(engine, issue_list(extra=moved))
    assert done.ok and len(done.updated) == 1
    step = _steps(engine)[("云县测试项目1", "可行性研究报告批复")]
    assert (step.actual_finish, step.version) == (date(2022, 3, 18), 2)


def test_a_second_column_for_the_same_approval_is_reported_not_read(engine):
    extra = (*APPROVALS, ("可行性研究报告批复日期", [date(2021, 1, 1), None, None]))
    result = run(engine, issue_list(extra=extra), dry_run=True)
    assert result.ok
    [unused] = result.unused
    assert unused.header == "可行性研究报告批复日期" and "J" in unused.note
