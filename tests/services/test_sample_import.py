"""The office's sample list through the service and the CLI: dry run, then for real."""

import subprocess
import sys

from sqlmodel import func, select

from tests.excel.factories import shared_samples_dir
from tracker.db import read_session, write_session
from tracker.models import Area, Measure, Milestone, Project
from tracker.services.auth import SYSTEM
from tracker.services.plan_import import export_project_list_bytes, import_project_list


def counts(engine):
    with read_session(engine) as s:
        return tuple(
            s.exec(select(func.count()).select_from(m)).one()
            for m in (Area, Measure, Project, Milestone)
        )


def test_the_sample_list_imports_dry_run_then_for_real_with_the_right_counts(engine):
    data = (shared_samples_dir() / "project_list_sample.xlsx").read_bytes()
    with write_session(engine) as s:
        dry = import_project_list(s, actor=SYSTEM, data=data, filename="sample.xlsx", dry_run=True)
    assert counts(engine) == (0, 0, 0, 0)
    assert (len(dry.created), len(dry.areas_created), dry.milestones) == (31, 4, 124)
    with write_session(engine) as s:
        real = import_project_list(
            s, actor=SYSTEM, data=data, filename="sample.xlsx", dry_run=False
        )
    assert real.ok and len(real.created) == 31
    areas, measures, projects, milestones = counts(engine)
    assert (areas, projects, milestones) == (4, 31, 124)
    assert measures == len(dry.measures_created) >= 8


def test_an_exported_plan_reimports_as_unchanged(demo_engine):
    with read_session(demo_engine) as s:
        data = export_project_list_bytes(s, actor=SYSTEM)
    with write_session(demo_engine) as s:
        again = import_project_list(
            s, actor=SYSTEM, data=data, filename="export.xlsx", dry_run=False
        )
    assert again.ok, [str(e) for e in again.errors[:5]]
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 90)


def test_the_cli_imports_the_sample_and_refuses_a_broken_file_with_nothing_written(tmp_path):
    sample = shared_samples_dir() / "project_list_sample.xlsx"
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "PATH": "/usr/bin:/bin"}

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    dry = cli("import", str(sample), "--dry-run")
    assert dry.returncode == 0 and "新建项目 31 个" in dry.stdout and "预演" in dry.stdout
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    refused = cli("import", str(broken))
    assert refused.returncode == 1 and "错误" in refused.stderr
    real = cli("import", str(sample))
    assert real.returncode == 0 and "已导入" in real.stdout
    again = cli("import", str(sample))
    assert "新建项目 0 个" in again.stdout and "无变化 31 个" in again.stdout
    out = tmp_path / "out.xlsx"
    assert cli("export", str(out)).returncode == 0 and out.stat().st_size > 5000
