"""Backup → restore drill with the site photos (#18): every photo comes back with the same
checksum, into another store, on SQLite and PostgreSQL."""

import hashlib
from datetime import date, datetime

from sqlmodel import select

from tests import photos
from tests.conftest import _sqlite_copy
from tests.factories import actor_of, make_project, make_user
from tests.services.test_backup import fingerprint, two_pg_databases  # noqa: F401
from tracker.db import migrate, read_session, write_session
from tracker.media.store import MediaStore
from tracker.models import Photo
from tracker.services import photos as service
from tracker.services.backup import backup, media_path, prune, restore

LIMIT = service.Limits(max_bytes=15 * 1024 * 1024, max_pixels=50_000_000, max_km=3.0)


def _office_with_photos(engine, store: MediaStore) -> None:
    with write_session(engine) as s:
        project = make_project(s, county="双江县")
        lead = actor_of(make_user(s, "county", county="双江县"))
        uploads = [
            service.Upload(
                f"{i}.jpg",
                photos.site_jpeg(
                    datetime(2026, 6, i + 1), photos.SHUANGJIANG, colour=(i * 40, 90, 60)
                ),
            )
            for i in range(3)
        ]
        service.upload(
            s,
            actor=lead,
            project_id=project.id,
            uploads=uploads,
            store=store,
            limit=LIMIT,
            today=date(2026, 6, 15),
        )


def _checksums(store: MediaStore) -> dict[str, str]:
    return {d: hashlib.sha256(store.path(d).read_bytes()).hexdigest() for d in store.digests()}


def _drill(origin, fresh, tmp_path, name):
    live = MediaStore(tmp_path / "media")
    _office_with_photos(origin, live)
    before = fingerprint(origin)
    result = backup(origin, tmp_path / name, media=live.root)
    assert result.media_files == 6  # 3 photos and their thumbnails
    elsewhere = MediaStore(tmp_path / "restored-media")
    restored = restore(fresh, tmp_path / name, media=elsewhere.root)
    assert restored.verified and restored.differences == [] and restored.media_files == 6
    assert fingerprint(fresh) == before
    assert _checksums(elsewhere) == _checksums(live)
    assert all(d == c for d, c in _checksums(elsewhere).items())
    with read_session(fresh) as s:
        for row in s.exec(select(Photo)):
            assert elsewhere.exists(row.full_sha) and elsewhere.exists(row.thumb_sha)


def test_a_sqlite_backup_restores_its_photos_with_identical_checksums(
    sqlite_engine, sqlite_template, tmp_path
):
    (tmp_path / "fresh").mkdir()
    _drill(sqlite_engine, _sqlite_copy(sqlite_template, tmp_path / "fresh"), tmp_path, "b.sqlite")


def test_a_postgresql_backup_restores_its_photos_with_identical_checksums(
    two_pg_databases,  # noqa: F811
    tmp_path,
):
    origin, fresh = two_pg_databases
    migrate(origin)
    migrate(fresh)
    _drill(origin, fresh, tmp_path, "b.dump")


def test_a_damaged_photo_in_the_backup_is_reported_not_restored(
    sqlite_engine, sqlite_template, tmp_path
):
    live = MediaStore(tmp_path / "media")
    _office_with_photos(sqlite_engine, live)
    backup(sqlite_engine, tmp_path / "b.sqlite", media=live.root)
    copy = MediaStore(media_path(tmp_path / "b.sqlite"))
    victim = next(copy.digests())
    copy.path(victim).unlink()
    copy.path(victim).write_bytes(b"bit rot")
    (tmp_path / "fresh").mkdir()
    fresh = _sqlite_copy(sqlite_template, tmp_path / "fresh")
    result = restore(fresh, tmp_path / "b.sqlite", media=tmp_path / "restored")
    assert len(result.differences) == 1 and victim[:12] in result.differences[0]
    assert not MediaStore(tmp_path / "restored").exists(victim)


def test_pruning_a_backup_removes_its_photo_folder(sqlite_engine, tmp_path):
    live = MediaStore(tmp_path / "media")
    live.put(b"a photo")
    folder = tmp_path / "backups"
    old = folder / "tracker-2026-01-01T020000.sqlite"
    new = folder / "tracker-2026-06-01T020000.sqlite"
    backup(sqlite_engine, old, media=live.root)
    backup(sqlite_engine, new, media=live.root)
    assert media_path(old).is_dir()
    prune(folder, keep_daily=1, keep_monthly=0)
    assert not media_path(old).exists() and media_path(new).is_dir()
