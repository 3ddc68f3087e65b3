"""Site photos (#18): upload as evidence, the checks with their reasons, the project's
timeline month by month, the watermarked image for a reader who may see the project, the
project's location, and the cleanup of files no photo refers to any more.

The files live in a ``MediaStore`` (``tracker.media.store``); this module decides who may
do what and keeps the rows. Uploading several photos is all or nothing: one refused file
refuses the batch, each refused file named with its reason.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from tracker import data_version
from tracker.config import ROOT, Settings
from tracker.domain import geo
from tracker.domain import photos as rules
from tracker.domain.document import Document, Picture
from tracker.domain.inputs import parse_id
from tracker.domain.messages import Message, msg
from tracker.domain.periods import SHANGHAI
from tracker.domain.places import COUNTIES
from tracker.media import images
from tracker.media.store import MediaStore
from tracker.models import Milestone, MonthlyReport, Photo, Project, utcnow
from tracker.services import audit
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound
from tracker.services.permissions import can, require

MAX_FILES = 12  # photos in one upload
ORPHAN_GRACE_SECONDS = 3600  # a file younger than this may belong to an upload in progress
SIZES = ("full", "thumb")
DEFAULT_MEDIA = ROOT / "data" / "media"  # with PostgreSQL and no MEDIA_DIR (tests: a tmp dir)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pixels: int
    max_km: float


def limits(settings: Settings) -> Limits:
    return Limits(
        max_bytes=int(settings.PHOTO_MAX_MB) * 1024 * 1024,
        max_pixels=int(settings.PHOTO_MAX_MEGAPIXELS) * 1_000_000,
        max_km=float(settings.PHOTO_MAX_DISTANCE_KM),
    )


def media_root(settings: Settings, engine: Engine | None = None) -> Path:
    """MEDIA_DIR; when empty, ``media`` beside the SQLite database file the engine opens
    (./data/media by default), else ./data/media."""
    chosen = str(settings.MEDIA_DIR or "").strip()
    if chosen:
        return Path(chosen)
    url = engine.url if engine is not None else make_url(str(settings.DATABASE_URL))
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database)).resolve().parent / "media"
    return DEFAULT_MEDIA


def store_for(settings: Settings, engine: Engine | None = None) -> MediaStore:
    return MediaStore(media_root(settings, engine))


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class PhotoView:
    id: int
    project_id: int
    period: date
    taken_at: datetime | None  # Asia/Shanghai, naive
    lat: float | None
    lon: float | None
    flags: tuple[Message, ...]
    milestone: str
    uploader: str
    uploaded_at: datetime
    width: int
    height: int

    @property
    def passed(self) -> bool:
        return not self.flags


@dataclass(frozen=True)
class PhotoMonth:
    period: date
    photos: tuple[PhotoView, ...]


@dataclass(frozen=True)
class Timeline:
    """A project's photos month by month (newest first), and its first and latest photo
    (before / after), with what the reader may do."""

    project_id: int
    months: tuple[PhotoMonth, ...]
    before: PhotoView | None
    after: PhotoView | None
    can_upload: bool
    can_locate: bool
    milestones: tuple[tuple[int, str], ...]  # (id, name) a photo may be attached to
    location: tuple[float, float] | None
    project_version: int
    reports: tuple[tuple[int, date], ...] = ()  # (id, month) of the latest monthly reports


# --- reading ---------------------------------------------------------------------------------


def _project(session: Session, project_id: Any) -> Project:
    key = parse_id(project_id)
    project = session.get(Project, key) if key is not None else None
    if project is None:
        raise NotFound("project.missing")
    return project


def _local(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    aware = at if at.tzinfo else at.replace(tzinfo=SHANGHAI)
    return aware.astimezone(SHANGHAI).replace(tzinfo=None)


def _view(photo: Photo, milestone: str = "") -> PhotoView:
    return PhotoView(
        id=photo.id or 0,
        project_id=photo.project_id,
        period=photo.period,
        taken_at=_local(photo.taken_at),
        lat=photo.latitude,
        lon=photo.longitude,
        flags=tuple(msg(f["key"], **f.get("params", {})) for f in photo.flags or []),
        milestone=milestone,
        uploader=photo.uploader_name,
        uploaded_at=_local(photo.uploaded_at) or photo.uploaded_at,
        width=photo.width,
        height=photo.height,
    )


def timeline(session: Session, *, actor: Actor, project_id: Any) -> Timeline:
    """The project page's 形象进度: its photos grouped by reporting month."""
    project = _project(session, project_id)
    require(actor, "project.view", project)
    names = {
        m.id: m.name
        for m in session.exec(
            select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.seq)
        )
    }
    rows = session.exec(timeline_photos(project.id or 0)).all()
    reports = session.exec(
        select(MonthlyReport.id, MonthlyReport.period)
        .where(MonthlyReport.project_id == project.id)
        .order_by(col(MonthlyReport.period).desc())
        .limit(3)
    ).all()
    return timeline_of(actor, project, names, rows, reports)


def timeline_photos(project_id: int) -> Any:
    """The statement of a project's photos, as the timeline orders them."""
    return (
        select(Photo)
        .where(Photo.project_id == project_id)
        .order_by(col(Photo.period).desc(), col(Photo.taken_at).desc(), col(Photo.id).desc())
    )


def timeline_of(
    actor: Actor,
    project: Any,
    names: dict[Any, str],
    rows: Sequence[Any],
    reports: Sequence[tuple[Any, date]],
) -> Timeline:
    """The timeline from its rows (the caller checked the actor may see the project):
    ``names`` the project's milestones (id -> name) in their order, ``rows`` its photos as
    ``timeline_photos`` orders them, ``reports`` its latest three reports (id, period), newest
    first."""
    views = [_view(p, names.get(p.milestone_id, "")) for p in rows]
    months: dict[date, list[PhotoView]] = {}
    for view in views:
        months.setdefault(view.period, []).append(view)
    dated = sorted(views, key=lambda v: (v.taken_at or v.uploaded_at, v.id))
    location = None
    if project.latitude is not None and project.longitude is not None:
        location = (project.latitude, project.longitude)
    return Timeline(
        reports=tuple((rid, period) for rid, period in reports if rid is not None),
        project_id=project.id or 0,
        months=tuple(PhotoMonth(period, tuple(items)) for period, items in months.items()),
        before=dated[0] if len(dated) > 1 else None,
        after=dated[-1] if len(dated) > 1 else None,
        can_upload=can(actor, "photo.upload", project),
        can_locate=can(actor, "project.locate", project),
        milestones=tuple((mid, name) for mid, name in names.items() if mid is not None),
        location=location,
        project_version=project.version,
    )


def watermark_lines(photo: PhotoView, project: Project, language: str) -> list[str]:
    """The band on every copy shown or exported: project, time taken, place."""
    taken = (
        f"{photo.taken_at:%Y-%m-%d %H:%M}"
        if photo.taken_at
        else msg("photo.no_time").render(language)
    )
    place = rules.place_text(photo.lat, photo.lon)
    county = geo.county_at(photo.lat, photo.lon) if place else None
    where = f"{place} {county or ''}".strip() if place else msg("photo.no_place").render(language)
    return [
        f"{project.code} {project.name}",
        msg("photo.wm.taken", at=taken).render(language),
        msg("photo.wm.place", place=where).render(language),
    ]


def image(
    session: Session, *, actor: Actor, photo_id: Any, size: str, store: MediaStore, language: str
) -> bytes:
    """The photo (``full`` or ``thumb``) with its watermark band, for a reader who may see
    its project; NotFound for anyone else (no difference between missing and forbidden)."""
    key = parse_id(photo_id)
    row = session.get(Photo, key) if key is not None and size in SIZES else None
    project = session.get(Project, row.project_id) if row is not None else None
    if row is None or project is None or not can(actor, "project.view", project):
        raise NotFound("photo.missing")
    digest = row.full_sha if size == "full" else row.thumb_sha
    if not store.exists(digest):
        raise NotFound("photo.file_missing")
    return images.watermark(store.get(digest), watermark_lines(_view(row), project, language))


def recent_photo(
    session: Session, *, project_id: int, store: MediaStore, language: str
) -> bytes | None:
    """The latest photo of a project, watermarked (the bulletin's red-project annex)."""
    row = session.exec(
        select(Photo)
        .where(Photo.project_id == project_id)
        .order_by(col(Photo.period).desc(), col(Photo.uploaded_at).desc())
    ).first()
    project = session.get(Project, project_id)
    if row is None or project is None or not store.exists(row.full_sha):
        return None
    return images.watermark(store.get(row.full_sha), watermark_lines(_view(row), project, language))


# --- uploading -------------------------------------------------------------------------------


def _target(
    session: Session, project: Project, milestone_id: Any, report_id: Any, today: date
) -> tuple[int | None, int | None, date]:
    """What the photos are attached to and the reporting month they are evidence for."""
    if report_id not in (None, ""):
        report = session.get(MonthlyReport, parse_id(report_id) or 0)
        if report is None or report.project_id != project.id:
            raise NotFound("photo.err.report_missing")
        return None, report.id, report.period
    if milestone_id not in (None, ""):
        milestone = session.get(Milestone, parse_id(milestone_id) or 0)
        if milestone is None or milestone.project_id != project.id:
            raise NotFound("milestone.missing")
        return milestone.id, None, rules.month_of(today)
    return None, None, rules.month_of(today)


def _read_all(uploads: Sequence[Upload], limit: Limits) -> list[images.Photo]:
    read: list[images.Photo] = []
    refused: list[str] = []
    for upload in uploads:
        try:
            read.append(
                images.read_photo(
                    upload.data, max_bytes=limit.max_bytes, max_pixels=limit.max_pixels
                )
            )
        except images.ImageRefused as refusal:
            refused.append(f"{upload.name[:80]}: {refusal.message}")
    if refused:
        raise InvalidInput("photo.err.batch", files="；".join(refused))
    return read


def upload(
    session: Session,
    *,
    actor: Actor,
    project_id: Any,
    uploads: Sequence[Upload],
    store: MediaStore,
    limit: Limits,
    today: date,
    milestone_id: Any = None,
    report_id: Any = None,
) -> list[PhotoView]:
    """Check and keep site photos for a project's milestone, monthly report or month."""
    project = _project(session, project_id)
    require(actor, "photo.upload", project)
    if not uploads:
        raise InvalidInput("photo.err.none")
    if len(uploads) > MAX_FILES:
        raise InvalidInput("photo.err.too_many", limit=MAX_FILES)
    milestone, report, period = _target(session, project, milestone_id, report_id, today)
    site = rules.Site(project.county, project.latitude, project.longitude, period, limit.max_km)
    stored: list[Photo] = []
    for upload_, photo in zip(uploads, _read_all(uploads, limit), strict=True):
        taken = photo.taken_at.replace(tzinfo=SHANGHAI) if photo.taken_at else None
        flags = rules.check(photo.taken_at, photo.lat, photo.lon, site)
        row = Photo(
            project_id=project.id or 0,
            milestone_id=milestone,
            report_id=report,
            period=period,
            full_sha=store.put(photo.full),
            thumb_sha=store.put(photo.thumb),
            width=photo.width,
            height=photo.height,
            source_format=photo.source_format,
            original_name=upload_.name[:200],
            taken_at=taken,
            latitude=photo.lat,
            longitude=photo.lon,
            flags=[f.as_json() for f in flags],
            uploaded_by=actor.id,
            uploader_name=(actor.display_name or actor.username)[:100],
        )
        session.add(row)
        stored.append(row)
    session.flush()
    for row in stored:
        after = audit.snapshot(row, ["project_id", "milestone_id", "report_id", "period", "flags"])
        audit.record(session, actor, "upload", "photo", row.id, None, after)
    return [_view(row) for row in stored]


# --- the project's location ------------------------------------------------------------------


def _check_place(project: Project, lat: Any, lon: Any) -> tuple[float, float]:
    if not geo.valid_coordinates(lat, lon):
        raise InvalidInput("location.err.invalid")
    county = geo.county_at(float(lat), float(lon))
    if project.county in COUNTIES and county != project.county:
        raise InvalidInput("location.err.county", county=project.county)
    if county is None:  # a city-level (市直) project: anywhere in the eight counties
        raise InvalidInput("location.err.city")
    return round(float(lat), 6), round(float(lon), 6)


def set_location(
    session: Session, *, actor: Actor, project_id: Any, lat: Any, lon: Any, seen_version: Any
) -> int:
    """Set where the project is (validated to lie in its county); returns the new version."""
    project = _project(session, project_id)
    require(actor, "project.locate", project)
    seen = parse_id(seen_version)
    if seen is None or seen != project.version:
        raise ConflictError("location.err.stale")
    latitude, longitude = _check_place(project, lat, lon)
    before = audit.snapshot(project, ["latitude", "longitude", "version"])
    result = session.exec(
        update(Project)
        .where(col(Project.id) == project.id, col(Project.version) == seen)
        .values(
            latitude=latitude, longitude=longitude, version=Project.version + 1, updated_at=utcnow()
        )
        .execution_options(synchronize_session=False, **data_version.of_projects(project.id))
    )
    if result.rowcount != 1:
        raise ConflictError("location.err.stale")
    after = {"latitude": latitude, "longitude": longitude, "version": seen + 1}
    audit.record(session, actor, "locate", "project", project.id, before, after)
    session.expire(project)
    return seen + 1


def location_from_photo(session: Session, *, actor: Actor, photo_id: Any, seen_version: Any) -> int:
    """Take the project's location from one of its photos' GPS position."""
    key = parse_id(photo_id)
    photo = session.get(Photo, key) if key is not None else None
    if photo is None:
        raise NotFound("photo.missing")
    if photo.latitude is None or photo.longitude is None:
        raise InvalidInput("location.err.photo_has_none")
    return set_location(
        session,
        actor=actor,
        project_id=photo.project_id,
        lat=photo.latitude,
        lon=photo.longitude,
        seen_version=seen_version,
    )


# --- files no photo refers to ----------------------------------------------------------------


def has_photos(session: Session) -> bool:
    return session.exec(select(Photo.id).limit(1)).first() is not None


@dataclass(frozen=True)
class Cleanup:
    removed: int
    kept: int
    bytes_freed: int

    def __str__(self) -> str:
        return f"removed {self.removed} photo files ({self.bytes_freed} bytes), kept {self.kept}"


def clean_orphans(session: Session, *, store: MediaStore, now: float | None = None) -> Cleanup:
    """Delete the stored files no photo refers to (a batch refused after its files were
    written, a project deleted), and temporary files a crash left; files younger than
    ``ORPHAN_GRACE_SECONDS`` are kept (their upload may not have committed yet)."""
    moment = time.time() if now is None else now
    used = set(session.exec(select(Photo.full_sha))) | set(session.exec(select(Photo.thumb_sha)))
    removed = kept = freed = 0
    for digest in list(store.digests()):
        path = store.path(digest)
        if digest in used:
            kept += 1
            continue
        stat = path.stat()
        if moment - stat.st_mtime < ORPHAN_GRACE_SECONDS:
            kept += 1
            continue
        store.delete(digest)
        removed, freed = removed + 1, freed + stat.st_size
    for partial in list(store.partials()):
        if moment - partial.stat().st_mtime >= ORPHAN_GRACE_SECONDS:
            partial.unlink(missing_ok=True)
    return Cleanup(removed, kept, freed)


# --- the bulletin's photo annex --------------------------------------------------------------


def with_red_photos(
    session: Session,
    doc: Document,
    red_amber: Sequence[dict[str, Any]],
    *,
    settings: Settings,
    language: str = "zh",
) -> Document:
    """The bulletin with an annex of one recent site photo per red project (watermarked),
    when any red project has one; unchanged otherwise."""
    codes = [row["code"] for row in red_amber if row.get("light") == "red"]
    if not codes:
        return doc
    projects = session.exec(select(Project).where(col(Project.code).in_(codes))).all()
    by_code = {p.code: p for p in projects}
    store = store_for(settings, session.get_bind())
    pictures = []
    for code in codes:
        project = by_code.get(code)
        jpeg = (
            recent_photo(session, project_id=project.id or 0, store=store, language=language)
            if project
            else None
        )
        if jpeg is not None:
            caption = msg(
                "photo.annex_caption", code=code, name=project.name, county=project.county
            )
            pictures.append(Picture(caption.render(language), jpeg))
    if not pictures:
        return doc
    title = msg("photo.annex_title").render(language)
    return replace(doc, pictures_title=title, pictures=tuple(pictures))
