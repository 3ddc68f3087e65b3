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
# reading | mapping (the office must map columns or give the year) | ready | applying |
# applied | failed | cancelled
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
    status: str  # reading | mapping | ready | applying | applied | failed | cancelled
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
    changes: list[dict[str, Any]] = field(default_factory=list)  # label, [[field, old, new]]
    warnings: list[str] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)  # every filled column
    missing: list[str] = field(default_factory=list)
    year: int | None = None
    year_source: str = ""
    year_needed: bool = False
    mapping: dict[str, str] = field(default_factory=dict)  # what the office mapped
    given_year: int | None = None  # the year the office gave

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def can_confirm(self) -> bool:
        return self.status == "ready" and not self.errors

    @property
    def needs_mapping(self) -> bool:
        return self.status == "mapping"

    @property
    def unused(self) -> list[dict[str, Any]]:
        return [c for c in self.columns if not c.get("field") and c.get("how") != "unknown"]


def _result_payload(result: Any) -> dict[str, Any]:
    if hasattr(result, "payload"):
        return dict(result.payload())

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
        changes=list(result.get("changes", [])),
        warnings=list(result.get("warnings", [])),
        columns=list(result.get("columns", [])),
        missing=list(result.get("missing", [])),
        year=result.get("year"),
        year_source=str(result.get("year_source", "")),
        year_needed=bool(result.get("year_needed", False)),
        mapping=dict(job.mapping or {}),
        given_year=job.year,
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
    accepts = inspect.signature(module.import_project_list).parameters
    if "progress" in accepts:
        kwargs["progress"] = _progress_reporter(engine, job.id or 0)
    if "mapping" in accepts:
        kwargs["mapping"] = dict(job.mapping or {})
    if "year" in accepts:
        kwargs["year"] = job.year
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
            payload = _result_payload(result)
            waiting = bool(payload.get("needs_input"))
            _update(
                engine,
                job_id,
                status="mapping" if waiting else "ready",
                stage="mapping" if waiting else "checked",
                progress=1.0,
                result=payload,
            )
            return
        with write_session(engine) as session:
            result = _call_importer(engine, session, actor, job, False, max_bytes)
            payload = _result_payload(result)
            if payload["errors"] or payload.get("needs_input"):
                raise _Refused(payload)
        used = {**payload.get("remembered", {}), **payload.get("mapping", {})}
        _update(
            engine,
            job_id,
            status="applied",
            stage="applied",
            progress=1.0,
            result=payload,
            data=None,
            # the record of what was applied: every mapping that placed a column (given now
            # or remembered from before) and the year 本年度 was taken to mean
            mapping=used or None,
            year=payload.get("year", job.year),
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
    mapping: dict[str, str] | None = None,
    year: int | None = None,
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
            user_id=actor.id,
            filename=name,
            size=len(data),
            status="reading",
            stage="queued",
            mapping=_checked_mapping(mapping),
            year=_checked_year(year),
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


def _checked_mapping(mapping: Any) -> dict[str, str] | None:
    """A mapping from the page, its fields named canonically (``InvalidInput`` otherwise)."""
    if not mapping:
        return None
    if not isinstance(mapping, dict) or len(mapping) > 500:
        raise InvalidInput("列的对应关系无效，请重新选择")
    clean = {str(k)[:200]: str(v)[:40] for k, v in mapping.items() if k and v}
    module = importer()
    if hasattr(module, "normalize_mapping"):
        return dict(module.normalize_mapping(clean))
    return clean


def _checked_year(year: Any) -> int | None:
    if year in (None, ""):
        return None
    try:
        value = int(year)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"年份无效：{year}") from exc
    if not 1990 <= value <= 2100:
        raise InvalidInput(f"年份应在 1990 到 2100 之间：{value}")
    return value


def remap(
    engine: Engine,
    *,
    actor: Actor,
    job_id: Any,
    seen_version: Any,
    mapping: Any,
    year: Any,
    max_bytes: int,
    run: Runner = in_thread,
) -> int:
    """Read a stored upload again with the columns mapped (and the year given) by the
    office: the mapping step of the browser import. Nothing is written to the plan."""
    require(actor, "plan.import")
    importer()
    checked, given_year = _checked_mapping(mapping), _checked_year(year)
    try:
        key, seen = int(job_id), int(seen_version)
    except (TypeError, ValueError) as exc:
        raise NotFound("导入任务不存在") from exc
    with write_session(engine) as session:
        job = session.get(ImportJob, key)
        if job is None or (job.user_id != actor.id and actor.role != "admin"):
            raise NotFound("导入任务不存在")
        view = _view(job, utcnow())
        if view.status not in ("mapping", "ready") or job.data is None:
            raise ConflictError("该清单已确认导入或已失效，请重新上传")
        result = session.exec(
            update(ImportJob)
            .where(
                col(ImportJob.id) == key,
                col(ImportJob.version) == seen,
                col(ImportJob.status).in_(("mapping", "ready")),
            )
            .values(
                status="reading",
                stage="queued",
                progress=0.0,
                mapping=checked,
                year=given_year,
                version=ImportJob.version + 1,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise ConflictError("该清单刚被修改过，请刷新后重试")
    run(_run, engine, actor, key, max_bytes, True)
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
