"""The plan in MS Project XML: the demo's export read by MPXJ, imported back unchanged;
edits made in the file applied (versioned, audited) or refused whole; a dry run writes nothing."""

import dataclasses
import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.runs import run_cli
from tracker.db import read_session, write_session
from tracker.domain.critical_path import LinkType
from tracker.exchange.mspdi import Plan, PlanLink, read_mspdi, write_mspdi
from tracker.models import AuditLog, Milestone, Project, ProjectStep, StepLink
from tracker.services.auth import SYSTEM
from tracker.services.exchange import export_mspdi, export_plan, import_mspdi

CREATED = datetime(2026, 11, 28, 9, 30)
MPXJ_SUMMARY = Path(__file__).resolve().parents[1] / "exchange" / "mpxj_summary.py"


def _export(engine) -> bytes:
    with read_session(engine) as session:
        return export_mspdi(session, actor=SYSTEM, created=CREATED)


def _import(engine, data: bytes, *, dry_run: bool):
    with write_session(engine) as session:
        return import_mspdi(session, actor=SYSTEM, data=data, today=DEMO_AS_OF, dry_run=dry_run)


def _counts(engine) -> tuple[int, int, int]:
    with read_session(engine) as session:
        return (
            len(session.exec(select(Project.id)).all()),
            len(session.exec(select(ProjectStep.id)).all())
            + len(session.exec(select(Milestone.id)).all()),
            len(session.exec(select(StepLink.id)).all()),
        )


@pytest.mark.skipif(
    shutil.which("java") is None, reason="no Java runtime (scripts/test.sh installs one)"
)
def test_the_demo_export_is_read_by_mpxj_with_the_same_tasks_and_links(demo_engine, tmp_path):
    projects, nodes, links = _counts(demo_engine)
    assert links > projects  # the demo gives every project a chain
    path = tmp_path / "demo.xml"
    path.write_bytes(_export(demo_engine))
    out = subprocess.run(
        [sys.executable, str(MPXJ_SUMMARY), str(path), "--rewrite", str(tmp_path / "re.xml")],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    tasks = [t for t in json.loads(out.stdout)["tasks"] if t["uid"] != 0]
    assert len(tasks) == projects + nodes
    assert sum(t["summary"] for t in tasks) == projects
    assert sum(len(t["predecessors"]) for t in tasks) == links
    # MPXJ saves it again: importing that file changes nothing
    result = _import(demo_engine, (tmp_path / "re.xml").read_bytes(), dry_run=True)
    assert result.errors == [] and result.unchanged(), result.changes[:3]


def test_importing_the_export_gives_back_the_same_plan_and_changes_nothing(demo_engine):
    data = _export(demo_engine)
    with read_session(demo_engine) as session:
        assert read_mspdi(data) == export_plan(session, actor=SYSTEM)
    result = _import(demo_engine, data, dry_run=False)
    assert result.errors == [] and result.unchanged() and result.not_in_file == []
    assert _export(demo_engine) == data


def _edited(plan: Plan) -> tuple[Plan, dict[str, object]]:
    """Move one step's planned finish, one milestone's planned day; change, add and drop a link."""
    project = plan.projects[0]
    step = project.tasks[0]
    milestone = next(t for t in project.tasks if t.kind == "milestone" and t.actual_finish is None)
    new_finish = step.finish.replace(day=28)
    new_day = milestone.start.replace(year=milestone.start.year + 1)
    tasks = tuple(
        dataclasses.replace(t, finish=new_finish)
        if t is step
        else dataclasses.replace(t, start=new_day, finish=new_day)
        if t is milestone
        else t
        for t in project.tasks
    )
    own = [x for x in plan.links if x.predecessor.startswith(project.code + "/")]
    changed = dataclasses.replace(own[0], type=LinkType.SS, lag=4)
    dropped = own[1]
    added = PlanLink(project.tasks[1].code, milestone.code, LinkType.FS, 2)
    links = tuple(changed if x is own[0] else x for x in plan.links if x is not dropped) + (added,)
    projects = (dataclasses.replace(project, tasks=tasks), *plan.projects[1:])
    facts = {
        "step": step,
        "milestone": milestone,
        "finish": new_finish,
        "day": new_day,
        "changed": changed,
        "dropped": dropped,
        "added": added,
    }
    return Plan(projects, links, plan.title), facts


def test_edits_in_the_file_are_listed_by_a_dry_run_then_applied_versioned_and_audited(demo_engine):
    before = _export(demo_engine)
    plan, facts = _edited(read_mspdi(before))
    data = write_mspdi(plan, created=CREATED)

    dry = _import(demo_engine, data, dry_run=True)
    assert dry.errors == []
    assert {c.code for c in dry.changes} == {facts["step"].code, facts["milestone"].code}
    assert [x.predecessor for x in dry.links_added] == [facts["added"].predecessor]
    assert dry.links_changed == [facts["changed"]] and dry.links_removed == [facts["dropped"]]
    assert _export(demo_engine) == before  # the dry run wrote nothing

    with read_session(demo_engine) as session:
        audits = len(session.exec(select(AuditLog.id)).all())
    done = _import(demo_engine, data, dry_run=False)
    assert done.errors == [] and done.written
    with read_session(demo_engine) as session:
        now = export_plan(session, actor=SYSTEM)
        assert now.projects == plan.projects and set(now.links) == set(plan.links)
        project = session.exec(select(Project).where(Project.code == plan.projects[0].code)).one()
        step = session.exec(
            select(ProjectStep).where(ProjectStep.project_id == project.id, ProjectStep.seq == 1)
        ).one()
        assert step.planned_finish == facts["finish"] and step.version == 2
        seq = int(facts["milestone"].code.rsplit("节点", 1)[1])
        milestone = session.exec(
            select(Milestone).where(Milestone.project_id == project.id, Milestone.seq == seq)
        ).one()
        assert milestone.planned_date == facts["day"]
        entries = session.exec(select(AuditLog).order_by(AuditLog.id)).all()[audits:]
        assert sorted((e.entity, e.action) for e in entries) == [
            ("milestone", "update"),
            ("projectstep", "update"),
            ("steplink", "create"),
            ("steplink", "delete"),
            ("steplink", "update"),
        ]
    assert _import(demo_engine, data, dry_run=False).unchanged()  # applied once only


def test_a_file_with_errors_is_refused_whole_naming_each_one(demo_engine):
    before = _export(demo_engine)
    plan = read_mspdi(before)
    project = plan.projects[0]
    first, second = project.tasks[0], project.tasks[1]
    tasks = (
        dataclasses.replace(first, actual_finish=date(2027, 1, 4)),  # after today
        dataclasses.replace(second, code=project.code + "/步骤99"),  # no such step
        *project.tasks[2:],
    )
    other = plan.projects[1].tasks[0]
    renamed = {second.code: project.code + "/步骤99"}
    links = tuple(
        dataclasses.replace(
            x,
            predecessor=renamed.get(x.predecessor, x.predecessor),
            successor=renamed.get(x.successor, x.successor),
        )
        for x in plan.links
    ) + (
        PlanLink(project.tasks[-1].code, first.code),  # 竣工 → the first step: a cycle
        PlanLink(first.code, other.code),  # across two projects
    )
    bad = Plan((dataclasses.replace(project, tasks=tasks), *plan.projects[1:]), links)
    result = _import(demo_engine, write_mspdi(bad, created=CREATED), dry_run=False)
    keys = sorted({e.key for e in result.errors})
    assert keys == [
        "critical_path.cycle",
        "exchange.actual_in_future",
        "exchange.link_across",
        "exchange.link_end",  # the links that name the unknown step
        "exchange.unknown_code",
    ]
    texts = " ".join(str(e) for e in result.errors)
    assert first.name in texts and project.code + "/步骤99" in texts and other.name in texts
    assert not result.written
    assert _export(demo_engine) == before


def test_the_cli_exports_and_dry_runs_an_import_of_ms_project_xml(sqlite_demo_template, tmp_path):
    shutil.copy(sqlite_demo_template, tmp_path / "cli.db")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    path = tmp_path / "plan.xml"
    exported = run_cli(env, "export", str(path), "--now", "2026-11-28T09:30:00")
    assert exported.returncode == 0, exported.stderr
    plan = read_mspdi(path.read_bytes())
    assert len(plan.projects) == 90
    edited, facts = _edited(plan)
    path.write_bytes(write_mspdi(edited, created=CREATED))
    dry = run_cli(env, "import", str(path), "--dry-run", "--today", "2026-11-28")
    assert dry.returncode == 0, dry.stderr
    assert facts["step"].code in dry.stdout and "计划完成" in dry.stdout
    assert "未写入任何数据" in dry.stdout
    again = run_cli(env, "export", str(tmp_path / "again.xml"), "--now", "2026-11-28T09:30:00")
    assert again.returncode == 0
    assert read_mspdi((tmp_path / "again.xml").read_bytes()) == plan  # nothing was written
