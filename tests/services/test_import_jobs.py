import types

import pytest
from sqlmodel import select

from tests.factories import actor_of, make_user
from tracker.db import read_session, write_session
from tracker.models import ImportJob
from tracker.services import import_jobs
from tracker.services.errors import ConflictError, InvalidInput, PermissionDenied, ServiceError

INLINE = lambda target, *args: target(*args)  # noqa: E731
MB = 1024 * 1024


class FakeResult:
    def __init__(self, errors=()):
        self.created = ["新项目甲"]
        self.updated = ["LC-01-01"]
        self.unchanged = ["LC-01-02", "LC-01-03"]
        self.errors = list(errors)

    def summary(self):
        return f"新增 {len(self.created)} 个，更新 {len(self.updated)} 个"


def _importer(errors=(), calls=None, progress=False):
    """A fake list importer; with ``progress`` it takes the progress callback, as the real
    one does (the jobs hand it one only when its signature asks for it)."""

    def read(session, *, actor, data, filename, dry_run, max_bytes, progress=None):
        if calls is not None:
            calls.append((dry_run, data, progress is not None))
        if progress is not None:
            progress(0.5, "validating")
        return FakeResult(errors)

    def without_progress(session, *, actor, data, filename, dry_run, max_bytes):
        return read(
            session, actor=actor, data=data, filename=filename, dry_run=dry_run, max_bytes=max_bytes
        )

    return types.SimpleNamespace(
        import_project_list=read if progress else without_progress,
        export_project_list_bytes=lambda session, *, actor: b"PK-list",
    )


def start(engine, actor, importer, *, data=b"PK", filename="a.xlsx"):
    """An upload read inline (the dry run), as the page starts it."""
    return import_jobs.start_dry_run(
        engine,
        actor=actor,
        data=data,
        filename=filename,
        max_bytes=MB,
        run=INLINE,
        importer=importer,
    )


def confirm(engine, actor, importer, job_id, seen_version):
    return import_jobs.confirm(
        engine,
        actor=actor,
        job_id=job_id,
        seen_version=seen_version,
        max_bytes=MB,
        run=INLINE,
        importer=importer,
    )


@pytest.fixture
def people(sqlite_engine):
    with write_session(sqlite_engine) as s:
        return actor_of(make_user(s, "admin")), actor_of(make_user(s, "county", county="云县"))


def test_without_the_importer_the_office_is_told_it_is_not_enabled(
    sqlite_engine, people, monkeypatch
):
    importer = None
    admin, _ = people
    assert not import_jobs.importer_available(importer)
    assert import_jobs.importer_available()  # the product's own importer by default
    with pytest.raises(ServiceError, match="导入功能尚未启用"):
        start(sqlite_engine, admin, importer, data=b"x")


def test_an_upload_is_read_dry_then_applied_on_confirm(sqlite_engine, people, monkeypatch):
    calls = []
    importer = _importer(calls=calls)
    admin, _ = people
    job_id = start(sqlite_engine, admin, importer, data=b"PK-data", filename="清单.xlsx")
    with read_session(sqlite_engine) as s:
        view = import_jobs.job_view(s, actor=admin, job_id=job_id)
    assert (view.status, view.created, view.updated, view.unchanged) == (
        "ready",
        ["新项目甲"],
        ["LC-01-01"],
        2,
    )
    assert view.can_confirm and calls == [(True, b"PK-data", False)]
    confirm(sqlite_engine, admin, importer, job_id, view.version)
    assert calls[-1] == (False, b"PK-data", False)
    with read_session(sqlite_engine) as s:
        job = s.get(ImportJob, job_id)
        assert (job.status, job.data) == ("applied", None)
    with pytest.raises(ConflictError):
        confirm(sqlite_engine, admin, importer, job_id, view.version)


def test_a_list_with_errors_cannot_be_confirmed(sqlite_engine, people, monkeypatch):
    errors = ["工作表“清单”第5行J列（总投资（万元））：不是数字"]
    importer = _importer(errors=errors)
    admin, _ = people
    job_id = start(sqlite_engine, admin, importer)
    with read_session(sqlite_engine) as s:
        view = import_jobs.job_view(s, actor=admin, job_id=job_id)
    assert view.errors == errors and not view.can_confirm
    with pytest.raises(InvalidInput):
        confirm(sqlite_engine, admin, importer, job_id, view.version)


def test_only_the_office_imports_and_files_are_capped(sqlite_engine, people, monkeypatch):
    importer = _importer()
    admin, county = people
    with pytest.raises(PermissionDenied):
        start(sqlite_engine, county, importer)
    with pytest.raises(InvalidInput, match="文件太大"):
        start(sqlite_engine, admin, importer, data=b"x" * (MB + 1))
    with pytest.raises(InvalidInput, match="不支持"):
        start(sqlite_engine, admin, importer, filename="a.exe")
    with read_session(sqlite_engine) as s:
        assert s.exec(select(ImportJob)).all() == []


def test_a_reader_that_reports_progress_is_given_a_progress_callback(
    sqlite_engine, people, monkeypatch
):
    calls = []
    importer = _importer(calls=calls, progress=True)
    admin, _ = people
    job_id = start(sqlite_engine, admin, importer)
    assert calls == [(True, b"PK", True)]
    with read_session(sqlite_engine) as s:
        assert import_jobs.job_view(s, actor=admin, job_id=job_id).status == "ready"


def test_a_crashing_reader_marks_the_job_failed_with_the_reason(sqlite_engine, people, monkeypatch):
    module = _importer()

    def boom(session, *, actor, data, filename, dry_run, max_bytes):
        raise ValueError("坏文件")

    module.import_project_list = boom
    importer = module
    admin, _ = people
    job_id = start(sqlite_engine, admin, importer)
    with read_session(sqlite_engine) as s:
        view = import_jobs.job_view(s, actor=admin, job_id=job_id)
    assert view.status == "failed" and "坏文件" in str(view.error)
    assert view.error.render("en").startswith("Reading failed: ValueError")
