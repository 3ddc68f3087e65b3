"""The nightly cleanup of photo files no photo refers to (#18)."""

import os
from datetime import date, datetime

from schedules import jobs, runner
from tests import photos
from tests.factories import actor_of, make_project, make_user
from tracker.config import load_settings
from tracker.db import write_session
from tracker.domain.periods import SHANGHAI
from tracker.media.store import MediaStore
from tracker.services import photos as service

NOW = datetime(2026, 6, 16, 4, 0, tzinfo=SHANGHAI)


def _settings(tmp_path):
    return load_settings({"MEDIA_DIR": str(tmp_path / "media")})


def _aged(store: MediaStore, digest: str) -> None:
    old = NOW.timestamp() - 2 * service.ORPHAN_GRACE_SECONDS
    os.utime(store.path(digest), (old, old))


def test_the_cleanup_runs_at_four_at_night_and_removes_only_old_orphans(engine, tmp_path):
    settings = _settings(tmp_path)
    fire = runner.triggers(settings)["media_cleanup"].get_next_fire_time(None, NOW.replace(hour=0))
    assert fire == NOW
    store = service.store_for(settings, engine)
    with write_session(engine) as s:
        project = make_project(s, county="双江县")
        lead = actor_of(make_user(s, "county", county="双江县"))
        (kept,) = service.upload(
            s,
            actor=lead,
            project_id=project.id,
            uploads=[service.Upload("a.jpg", photos.site_jpeg(None, photos.SHUANGJIANG))],
            store=store,
            limit=service.limits(settings),
            today=date(2026, 6, 15),
        )
    for digest in store.digests():
        _aged(store, digest)
    orphan = store.put(b"a refused batch's file")
    _aged(store, orphan)
    done = jobs.run_media_cleanup(engine, settings, now=NOW)
    assert done.removed == 1 and done.kept == 2 and not store.exists(orphan)


def test_the_cleanup_refuses_to_empty_a_store_when_the_database_has_no_photo(engine, tmp_path):
    settings = _settings(tmp_path)
    store = service.store_for(settings, engine)
    digest = store.put(b"a photo of another database")
    _aged(store, digest)
    assert jobs.run_media_cleanup(engine, settings, now=NOW) is None
    assert store.exists(digest)
