"""Site photos as evidence (tracker/services/photos.py), on SQLite and PostgreSQL."""

import io
import os
import time
from datetime import date, datetime

import pytest
from PIL import Image
from sqlmodel import select

from tests import photos
from tests.factories import actor_of, make_project, make_report, make_user
from tracker.db import read_session, write_session
from tracker.media.store import MediaStore
from tracker.models import AuditLog, Photo, Project
from tracker.services import photos as service
from tracker.services.errors import ConflictError, InvalidInput, NotFound, PermissionDenied

TODAY = date(2026, 6, 15)
LIMIT = service.Limits(max_bytes=15 * 1024 * 1024, max_pixels=50_000_000, max_km=3.0)


@pytest.fixture
def office(engine, tmp_path):
    with write_session(engine) as s:
        project = make_project(s, county="双江县", milestones=[("开工建设", date(2026, 5, 1))])
        report = make_report(s, project, date(2026, 5, 1))
        users = {
            "own": actor_of(make_user(s, "county", county="双江县")),
            "other": actor_of(make_user(s, "county", county="云县")),
            "viewer": actor_of(make_user(s, "viewer")),
            "admin": actor_of(make_user(s, "admin")),
        }
        ids = {"project": project.id, "report": report.id}
    return engine, MediaStore(tmp_path / "media"), ids, users


def _upload(engine, store, actor, project_id, *files, **target):
    uploads = [service.Upload(f"p{i}.jpg", data) for i, data in enumerate(files)]
    with write_session(engine) as s:
        return service.upload(
            s,
            actor=actor,
            project_id=project_id,
            uploads=uploads,
            store=store,
            limit=LIMIT,
            today=TODAY,
            **target,
        )


def test_a_photo_taken_on_site_this_month_passes_and_one_from_last_year_is_flagged(office):
    engine, store, ids, users = office
    good = photos.site_jpeg(datetime(2026, 6, 12, 9, 30), photos.SHUANGJIANG)
    old = photos.site_jpeg(datetime(2025, 6, 12, 9, 30), photos.SHUANGJIANG, colour=(9, 9, 9))
    saved = _upload(engine, store, users["own"], ids["project"], good, old)
    assert [v.passed for v in saved] == [True, False]
    assert [f.key for f in saved[1].flags] == ["photo.flag.other_month"]
    assert "2025-06-12" in saved[1].flags[0].render("en")
    with read_session(engine) as s:
        line = service.timeline(s, actor=users["viewer"], project_id=ids["project"])
        audits = s.exec(select(AuditLog).where(AuditLog.entity == "photo")).all()
    assert [m.period for m in line.months] == [date(2026, 6, 1)]
    assert len(line.months[0].photos) == 2 and line.before and line.after
    assert line.before.taken_at == datetime(2025, 6, 12, 9, 30)
    assert not line.can_upload and len(audits) == 2


def test_a_report_photo_is_checked_against_the_report_s_month(office):
    engine, store, ids, users = office
    may = photos.site_jpeg(datetime(2026, 5, 20, 9), photos.SHUANGJIANG)
    (view,) = _upload(engine, store, users["own"], ids["project"], may, report_id=ids["report"])
    assert view.period == date(2026, 5, 1) and view.passed


def test_a_photo_far_from_the_project_s_location_is_flagged_with_the_distance(office):
    engine, store, ids, users = office
    with write_session(engine) as s:
        version = s.get(Project, ids["project"]).version
        service.set_location(
            s,
            actor=users["own"],
            project_id=ids["project"],
            lat=23.47,
            lon=99.83,
            seen_version=version,
        )
    far = photos.site_jpeg(datetime(2026, 6, 12), (23.42, 99.70))  # ~14 km away, same county
    (view,) = _upload(engine, store, users["own"], ids["project"], far)
    assert [f.key for f in view.flags] == ["photo.flag.too_far"]


def test_one_hostile_file_refuses_the_whole_batch_and_names_it(office):
    engine, store, ids, users = office
    good = photos.site_jpeg(datetime(2026, 6, 12), photos.SHUANGJIANG)
    uploads = [service.Upload("ok.jpg", good), service.Upload("evil.jpg", photos.renamed_text())]
    with pytest.raises(InvalidInput) as refused, write_session(engine) as s:
        service.upload(
            s,
            actor=users["own"],
            project_id=ids["project"],
            uploads=uploads,
            store=store,
            limit=LIMIT,
            today=TODAY,
        )
    assert "evil.jpg" in refused.value.message.render("zh")
    assert "ok.jpg" not in refused.value.message.render("zh")
    with read_session(engine) as s:
        assert s.exec(select(Photo)).all() == []


def test_only_those_in_scope_upload_and_only_those_who_see_the_project_get_the_image(office):
    engine, store, ids, users = office
    with pytest.raises(PermissionDenied):
        _upload(engine, store, users["other"], ids["project"], photos.site_jpeg(None, None))
    with pytest.raises(PermissionDenied):
        _upload(engine, store, users["viewer"], ids["project"], photos.site_jpeg(None, None))
    (view,) = _upload(engine, store, users["own"], ids["project"], photos.site_jpeg(None, None))
    from tracker.services.auth import ANONYMOUS

    with read_session(engine) as s:
        data = service.image(
            s, actor=users["viewer"], photo_id=view.id, size="full", store=store, language="zh"
        )
        with pytest.raises(NotFound):
            service.image(
                s, actor=ANONYMOUS, photo_id=view.id, size="full", store=store, language="zh"
            )
        with pytest.raises(NotFound):
            service.image(
                s, actor=users["viewer"], photo_id=view.id, size="../x", store=store, language="zh"
            )
    with Image.open(io.BytesIO(data)) as image:
        assert image.height > 1200  # the photo and its band


def test_the_location_must_lie_in_the_project_s_county_and_a_stale_save_is_refused(office):
    engine, store, ids, users = office
    with write_session(engine) as s:
        version = s.get(Project, ids["project"]).version
    with pytest.raises(InvalidInput) as refused, write_session(engine) as s:
        service.set_location(
            s,
            actor=users["own"],
            project_id=ids["project"],
            lat=23.88,
            lon=100.09,
            seen_version=version,
        )
    assert refused.value.message.key == "location.err.county"
    (view,) = _upload(
        engine, store, users["own"], ids["project"], photos.site_jpeg(None, photos.SHUANGJIANG)
    )
    with write_session(engine) as s:
        new = service.location_from_photo(
            s, actor=users["own"], photo_id=view.id, seen_version=version
        )
    assert new == version + 1
    with pytest.raises(ConflictError), write_session(engine) as s:
        service.set_location(
            s,
            actor=users["own"],
            project_id=ids["project"],
            lat=23.5,
            lon=99.8,
            seen_version=version,
        )
    with read_session(engine) as s:
        project = s.get(Project, ids["project"])
        assert (project.latitude, project.longitude) == pytest.approx(photos.SHUANGJIANG)
        entry = s.exec(select(AuditLog).where(AuditLog.action == "locate")).one()
    assert entry.after["latitude"] == pytest.approx(23.47)


def test_files_no_photo_refers_to_are_cleaned_after_a_grace_period(office):
    engine, store, ids, users = office
    (view,) = _upload(engine, store, users["own"], ids["project"], photos.site_jpeg(None, None))
    orphan = store.put(b"left behind by a refused batch")
    fresh = store.put(b"an upload still in progress")
    old = time.time() - 2 * service.ORPHAN_GRACE_SECONDS
    os.utime(store.path(orphan), (old, old))
    with read_session(engine) as s:
        done = service.clean_orphans(s, store=store)
    assert done.removed == 1 and not store.exists(orphan) and store.exists(fresh)
    with read_session(engine) as s:
        row = s.get(Photo, view.id)
        assert store.exists(row.full_sha) and store.exists(row.thumb_sha)
