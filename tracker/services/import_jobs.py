"""The project list in and out through the browser: upload, dry run, confirm, download.

Reading a large workbook takes seconds, so the work runs beside the request: the upload
is stored in an ``ImportJob`` row, a worker thread reads it (dry run) and writes the
outcome back, and the page polls the row. Rows live in the database, so any gunicorn
worker can answer the poll. The reading itself is ``tracker.services.plan_import``.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import ModuleType
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session, col

from tracker.db import read_session, write_session
from tracker.models import ImportJob, utcnow
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound, ServiceError
from tracker.services.permissions import require

log = logging.getLogger(__name__)

IMPORTER = "tracker.services.plan_import"
NOT_ENABLED = "导入功能尚未启用（缺少项目清单导入模块），请联系系统管理员"
STALE_AFTER = timedelta(minutes=10)
ACTIVE = ("reading", "applying")
Runner = Callable[..., None]


def in_thread(target: Callable[..., None], *args: Any) -> None:
    """Run ``target`` beside the request (the default runner)."""
    threading.Thread(target=target, args=args, daemon=True, name="import-job").start()


def importer() -> ModuleType:
    """The list importer, or ``ServiceError`` while it is not installed."""
    try:
        return importlib.import_module(IMPORTER)
    except ModuleNotFoundError as exc:
        if exc.name == IMPORTER:
            raise ServiceError(NOT_ENABLED) from exc
        raise


def importer_available() -> bool:
    try:
        importer()
    except ServiceError:
        return False
    return True


@dataclass(frozen=True)
class JobView:
    id: int
    filename: str
    size: int
    status: str  # reading | ready | applying | applied | failed | cancelled
    stage: str
    progress: float
    version: int
    created_at: datetime
    updated_at: datetime
    error: str = ""
    summary: str = ""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def can_confirm(self) -> bool:
        return self.status == "ready" and not self.errors


def _result_payload(result: Any) -> dict[str, Any]:
    def names(items: Any) -> list[str]:
        return [str(x) for x in (items or [])]

    summary = result.summary() if hasattr(result, "summary") else ""
    return {
        "created": names(getattr(result, "created", [])),
        "updated": names(getattr(result, "updated", [])),
        "unchanged": len(getattr(result, "unchanged", []) or []),
        "errors": [str(e) for e in (getattr(result, "errors", []) or [])],
        "summary": str(summary),
    }


def _view(job: ImportJob, now: datetime) -> JobView:
    result = job.result or {}
    status, error = job.status, job.error
    updated_at = (
        job.updated_at if job.updated_at.tzinfo else job.updated_at.replace(tzinfo=now.tzinfo)
    )
    if status in ACTIVE and now - updated_at > STALE_AFTER:
        status, error = "failed", "处理中断（服务曾重启或超时），请重新上传"
    return JobView(
        id=job.id or 0,
        filename=job.filename,
        size=job.size,
        status=status,
        stage=job.stage,
        progress=job.progress,
        version=job.version,
        created_at=job.created_at,
        updated_at=job.updated_at,
        error=error,
        summary=str(result.get("summary", "")),
        created=list(result.get("created", [])),
        updated=list(result.get("updated", [])),
        unchanged=int(result.get("unchanged", 0)),
        errors=list(result.get("errors", [])),
    )


def _update(engine: Engine, job_id: int, **values: Any) -> None:
    with write_session(engine) as session:
        session.exec(
            update(ImportJob)
            .where(col(ImportJob.id) == job_id)
            .values(**values, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def _progress_reporter(engine: Engine, job_id: int) -> Callable[..., None]:
    last = [0.0]

    def report(fraction: float | None = None, stage: str = "reading", *_: Any) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5:  # at most two writes a second
            return
        last[0] = now
        values: dict[str, Any] = {"stage": str(stage)[:200]}
        if fraction is not None:
            values["progress"] = max(0.0, min(1.0, float(fraction)))
        _update(engine, job_id, **values)

    return report


def _call_importer(
    engine: Engine, session: Session, actor: Actor, job: ImportJob, dry_run: bool, max_bytes: int
) -> Any:
    module = importer()
    kwargs: dict[str, Any] = {
        "actor": actor,
        "data": job.data or b"",
        "filename": job.filename,
        "dry_run": dry_run,
        "max_bytes": max_bytes,
    }
    if "progress" in inspect.signature(module.import_project_list).parameters:
        kwargs["progress"] = _progress_reporter(engine, job.id or 0)
    return module.import_project_list(session, **kwargs)


def _run(engine: Engine, actor: Actor, job_id: int, max_bytes: int, dry_run: bool) -> None:
    """Worker: read (dry run) or apply the stored upload, then record the outcome."""
    try:
        _update(engine, job_id, stage="reading" if dry_run else "applying")
        with read_session(engine) as session:
            job = session.get(ImportJob, job_id)
        if job is None:
            return
        if dry_run:
            with Session(engine) as session:  # a dry run never commits
                try:
                    result = _call_importer(engine, session, actor, job, True, max_bytes)
                finally:
                    session.rollback()
            _update(
                engine,
                job_id,
                status="ready",
                stage="checked",
                progress=1.0,
                result=_result_payload(result),
            )
            return
        with write_session(engine) as session:
            result = _call_importer(engine, session, actor, job, False, max_bytes)
            payload = _result_payload(result)
            if payload["errors"]:
                raise _Refused(payload)
        _update(
            engine,
            job_id,
            status="applied",
            stage="applied",
            progress=1.0,
            result=payload,
            data=None,
        )
    except _Refused as refused:
        _update(
            engine,
            job_id,
            status="failed",
            stage="refused",
            result=refused.payload,
            error="清单有错误，未写入任何数据",
        )
    except ServiceError as exc:
        _update(engine, job_id, status="failed", stage="failed", error=str(exc)[:4000])
    except Exception as exc:  # the page must learn that the worker died, and why
        log.exception("import job %s failed", job_id)
        _update(
            engine,
            job_id,
            status="failed",
            stage="failed",
            error=f"读取失败：{exc.__class__.__name__}: {str(exc)[:300]}",
        )


class _Refused(Exception):
    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(payload.get("summary", ""))
        self.payload = payload


def start_dry_run(
    engine: Engine,
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    max_bytes: int,
    run: Runner = in_thread,
) -> int:
    """Store the upload and start reading it (nothing is written to the plan)."""
    require(actor, "plan.import")
    importer()
    name = (filename or "").strip()[:200]
    if not name:
        raise InvalidInput("请上传项目清单文件")
    if not name.lower().endswith((".xlsx", ".xls", ".ods", ".xlsm")):
        raise InvalidInput(f"不支持的文件类型：{name}（请上传 .xlsx、.xls 或 .ods）")
    if not data:
        raise InvalidInput("文件是空的")
    if len(data) > max_bytes:
        raise InvalidInput(
            f"文件太大：{len(data) / 1048576:.1f} MB，最大 {max_bytes / 1048576:.0f} MB"
        )
    with write_session(engine) as session:
        job = ImportJob(
            user_id=actor.id, filename=name, size=len(data), status="reading", stage="queued"
        )
        job.data = data
        session.add(job)
        session.flush()
        job_id = job.id or 0
    run(_run, engine, actor, job_id, max_bytes, True)
    return job_id


def confirm(
    engine: Engine,
    *,
    actor: Actor,
    job_id: Any,
    seen_version: Any,
    max_bytes: int,
    run: Runner = in_thread,
) -> int:
    """Apply a checked upload; refused when it had errors or was already applied."""
    require(actor, "plan.import")
    importer()
    try:
        key, seen = int(job_id), int(seen_version)
    except (TypeError, ValueError, OverflowError) as exc:
        raise NotFound("导入任务不存在") from exc
    with write_session(engine) as session:
        job = session.get(ImportJob, key)
        if job is None or (job.user_id != actor.id and actor.role != "admin"):
            raise NotFound("导入任务不存在")
        view = _view(job, utcnow())
        if view.status != "ready":
            raise ConflictError("该清单已确认导入或已失效，请重新上传")
        if view.errors:
            raise InvalidInput("清单有错误，请修改后重新上传")
        result = session.exec(
            update(ImportJob)
            .where(
                col(ImportJob.id) == key,
                col(ImportJob.version) == seen,
                col(ImportJob.status) == "ready",
            )
            .values(
                status="applying",
                stage="queued",
                version=ImportJob.version + 1,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise ConflictError("该清单已确认导入或已失效，请刷新后重试")
    run(_run, engine, actor, key, max_bytes, False)
    return key


def job_view(session: Session, *, actor: Actor, job_id: Any) -> JobView:
    """Where an import job stands (for the page's poll)."""
    require(actor, "plan.import")
    try:
        key = int(job_id)
    except (TypeError, ValueError) as exc:
        raise NotFound("导入任务不存在") from exc
    job = session.get(ImportJob, key)
    if job is None or (job.user_id != actor.id and actor.role != "admin"):
        raise NotFound("导入任务不存在")
    return _view(job, utcnow())


def export_list(session: Session, *, actor: Actor) -> bytes:
    """The project list as a workbook (the importer's format)."""
    require(actor, "plan.export")
    return importer().export_project_list_bytes(session, actor=actor)
