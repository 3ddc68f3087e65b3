"""The project list in and out through the browser: upload, dry run, confirm, download.

Reading a large workbook takes seconds, so the work runs beside the request: the upload
is stored in an ``ImportJob`` row, a worker thread reads it (dry run) and writes the
outcome back, and the page polls the row. Rows live in the database, so any gunicorn
worker can answer the poll. The reading itself is ``tracker.services.plan_import``.
"""

from __future__ import annotations

import inspect
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session, col

from tracker.db import read_session, write_session
from tracker.domain.messages import Message, msg, stored_message
from tracker.models import ImportJob, utcnow
from tracker.services import plan_import
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound, ServiceError
from tracker.services.permissions import can, require

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
ACTIVE = ("reading", "applying")
# reading | mapping (the office must map columns or give the year) | ready | applying |
# applied | failed | cancelled
Runner = Callable[..., None]
# The list importer: ``import_project_list`` and ``export_project_list_bytes`` (and, when it
# has one, ``normalize_mapping``) — ``tracker.services.plan_import`` unless the caller (the
# web context, a test) hands in another; None while no importer is installed.
Importer = Any


def in_thread(target: Callable[..., None], *args: Any) -> None:
    """Run ``target`` beside the request (the default runner)."""
    threading.Thread(target=target, args=args, daemon=True, name="import-job").start()


def _importer(importer: Importer | None) -> Importer:
    """The list importer, or ``ServiceError`` while none is installed."""
    if importer is None:
        raise ServiceError("import_job.importer_missing")
    return importer


def importer_available(importer: Importer | None = plan_import) -> bool:
    return importer is not None


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
    error: Message | str = ""  # why it failed, for the reader's language
    summary: str = ""  # the importer's own line, in Chinese (the CLI's)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    # the dry run's findings as messages, rendered in the reader's language (a job stored
    # before they were messages holds their Chinese text)
    errors: list[Message | str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # label, [[field, old, new]]
    warnings: list[Message | str] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)  # every filled column
    missing: list[Message | str] = field(default_factory=list)
    year: int | None = None
    year_source: Message | str = ""
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
        status, error = "failed", _stored(msg("import_job.interrupted"))
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
        error=_message(error),
        summary=str(result.get("summary", "")),
        created=list(result.get("created", [])),
        updated=list(result.get("updated", [])),
        unchanged=int(result.get("unchanged", 0)),
        errors=[stored_message(e) for e in result.get("errors", [])],
        changes=list(result.get("changes", [])),
        warnings=[stored_message(w) for w in result.get("warnings", [])],
        columns=list(result.get("columns", [])),
        missing=[stored_message(m) for m in result.get("missing", [])],
        year=result.get("year"),
        year_source=stored_message(result.get("year_source", "")),
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
    engine: Engine,
    session: Session,
    actor: Actor,
    job: ImportJob,
    dry_run: bool,
    max_bytes: int,
    module: Importer,
    amount_ceiling: Decimal | None = None,
) -> Any:
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
    if amount_ceiling is not None and "amount_ceiling" in accepts:
        kwargs["amount_ceiling"] = amount_ceiling
    return module.import_project_list(session, **kwargs)


def _runner(amount_ceiling: Decimal | None) -> Callable[..., None]:
    """The worker, reading amounts up to ``amount_ceiling`` (the office's AMOUNT_MAX_WAN;
    None: the importer's own default)."""
    return _run if amount_ceiling is None else partial(_run, amount_ceiling=amount_ceiling)


def _run(
    engine: Engine,
    actor: Actor,
    job_id: int,
    max_bytes: int,
    dry_run: bool,
    importer: Importer,
    amount_ceiling: Decimal | None = None,
) -> None:
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
                    result = _call_importer(
                        engine, session, actor, job, True, max_bytes, importer, amount_ceiling
                    )
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
            result = _call_importer(
                engine, session, actor, job, False, max_bytes, importer, amount_ceiling
            )
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
            error=_stored(msg("import_job.refused")),
        )
    except ServiceError as exc:
        _update(engine, job_id, status="failed", stage="failed", error=_stored(exc.message))
    except Exception as exc:  # the page must learn that the worker died, and why
        log.exception("import job %s failed", job_id)
        _update(
            engine,
            job_id,
            status="failed",
            stage="failed",
            error=_stored(
                msg("import_job.crashed", error=f"{exc.__class__.__name__}: {str(exc)[:300]}")
            ),
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
    importer: Importer | None = plan_import,
    amount_ceiling: Decimal | None = None,
) -> int:
    """Store the upload and start reading it (nothing is written to the plan)."""
    require(actor, "plan.import")
    _importer(importer)
    name = (filename or "").strip()[:200]
    if not name:
        raise InvalidInput("import_job.no_file")
    if not name.lower().endswith((".xlsx", ".xls", ".ods", ".xlsm")):
        raise InvalidInput("import_job.bad_type", name=name)
    if not data:
        raise InvalidInput("import_job.empty_file")
    if len(data) > max_bytes:
        raise InvalidInput(
            "import_job.too_big", size=len(data) / 1048576, limit=max_bytes / 1048576
        )
    with write_session(engine) as session:
        job = ImportJob(
            user_id=actor.id,
            filename=name,
            size=len(data),
            status="reading",
            stage="queued",
            mapping=_checked_mapping(mapping, importer),
            year=_checked_year(year),
        )
        job.data = data
        session.add(job)
        session.flush()
        job_id = job.id or 0
    run(_runner(amount_ceiling), engine, actor, job_id, max_bytes, True, importer)
    return job_id


def confirm(
    engine: Engine,
    *,
    actor: Actor,
    job_id: Any,
    seen_version: Any,
    max_bytes: int,
    run: Runner = in_thread,
    importer: Importer | None = plan_import,
    amount_ceiling: Decimal | None = None,
) -> int:
    """Apply a checked upload; refused when it had errors or was already applied."""
    require(actor, "plan.import")
    _importer(importer)
    key, seen = _key(job_id), _key(seen_version)
    with write_session(engine) as session:
        view = _view(_job_of(session, actor, key), utcnow())
        if view.status != "ready":
            raise ConflictError("import_job.gone")
        if view.errors:
            raise InvalidInput("import_job.has_errors")
        _move(session, key, seen, ("ready",), "import_job.gone_refresh", status="applying")
    run(_runner(amount_ceiling), engine, actor, key, max_bytes, False, importer)
    return key


def _move(
    session: Session, key: int, seen: int, statuses: tuple[str, ...], stale: str, **values: Any
) -> None:
    """Queue the job for its worker (``values``), only if it is still at version ``seen`` in
    one of ``statuses``; ``ConflictError(stale)`` when someone moved it meanwhile."""
    result = session.exec(
        update(ImportJob)
        .where(
            col(ImportJob.id) == key,
            col(ImportJob.version) == seen,
            col(ImportJob.status).in_(statuses),
        )
        .values(**values, stage="queued", version=ImportJob.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ConflictError(stale)


def _checked_mapping(mapping: Any, importer: Importer | None) -> dict[str, str] | None:
    """A mapping from the page, its fields named canonically (``InvalidInput`` otherwise)."""
    if not mapping:
        return None
    if not isinstance(mapping, dict) or len(mapping) > 500:
        raise InvalidInput("import_job.bad_mapping")
    clean = {str(k)[:200]: str(v)[:40] for k, v in mapping.items() if k and v}
    module = _importer(importer)
    if hasattr(module, "normalize_mapping"):
        return dict(module.normalize_mapping(clean))
    return clean


def _checked_year(year: Any) -> int | None:
    if year in (None, ""):
        return None
    try:
        value = int(year)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("import_job.bad_year", year=year) from exc
    if not 1990 <= value <= 2100:
        raise InvalidInput("import_job.year_range", year=value)
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
    importer: Importer | None = plan_import,
    amount_ceiling: Decimal | None = None,
) -> int:
    """Read a stored upload again with the columns mapped (and the year given) by the
    office: the mapping step of the browser import. Nothing is written to the plan."""
    require(actor, "plan.import")
    _importer(importer)
    checked, given_year = _checked_mapping(mapping, importer), _checked_year(year)
    key, seen = _key(job_id), _key(seen_version)
    with write_session(engine) as session:
        job = _job_of(session, actor, key)
        view = _view(job, utcnow())
        if view.status not in ("mapping", "ready") or job.data is None:
            raise ConflictError("import_job.gone")
        _move(
            session,
            key,
            seen,
            ("mapping", "ready"),
            "import_job.changed",
            status="reading",
            progress=0.0,
            mapping=checked,
            year=given_year,
        )
    run(_runner(amount_ceiling), engine, actor, key, max_bytes, True, importer)
    return key


def job_view(session: Session, *, actor: Actor, job_id: Any) -> JobView:
    """Where an import job stands (for the page's poll)."""
    require(actor, "plan.import")
    return _view(_job_of(session, actor, _key(job_id)), utcnow())


def export_list(
    session: Session, *, actor: Actor, importer: Importer | None = plan_import
) -> bytes:
    """The project list as a workbook (the importer's format)."""
    require(actor, "plan.export")
    return _importer(importer).export_project_list_bytes(session, actor=actor)


def _key(value: Any) -> int:
    """A job id (or version) from the page; ``NotFound`` for anything else."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise NotFound("import_job.not_found") from exc


def _job_of(session: Session, actor: Actor, key: int) -> ImportJob:
    """The job ``key`` when the actor may act on it, else ``NotFound`` (never whose it is)."""
    job = session.get(ImportJob, key)
    if job is None or not _owns(actor, job):
        raise NotFound("import_job.not_found")
    return job


def _owns(actor: Actor, job: ImportJob) -> bool:
    """An import job is its uploader's; the office may act on anyone's."""
    return job.user_id == actor.id or can(actor, "import.any_job")


def _stored(message: Message) -> str:
    """A job's failure as stored in its row: the message as JSON (``Message.to_dict``)."""
    return json.dumps(message.to_dict(), ensure_ascii=False)[:4000]


def _message(stored: str | None) -> Message | str:
    """A stored failure back as a message (a row written before #13 holds plain text)."""
    try:
        return stored_message(json.loads(stored or ""))
    except ValueError:
        return stored or ""
