"""The backup → restore drill through the CLI keeps the site photos (#18)."""

import hashlib
from datetime import date, datetime

from tests import photos
from tests.factories import actor_of, make_project, make_user
from tests.runs import run_cli
from tracker.config import load_settings
from tracker.db import make_engine, migrate, write_session
from tracker.media.store import MediaStore
from tracker.services import photos as service


def test_the_cli_backs_up_and_restores_the_photos_beside_the_database(tmp_path):
    db = tmp_path / "office" / "tracker.db"
    db.parent.mkdir()
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    live = MediaStore(tmp_path / "office" / "media")  # MEDIA_DIR empty: beside the database
    settings = load_settings({"DATABASE_URL": f"sqlite:///{db}"})
    assert service.media_root(settings, engine) == live.root
    with write_session(engine) as s:
        project = make_project(s, county="双江县")
        lead = actor_of(make_user(s, "county", county="双江县"))
        service.upload(
            s,
            actor=lead,
            project_id=project.id,
            uploads=[service.Upload("a.jpg", photos.site_jpeg(datetime(2026, 6, 1), None))],
            store=live,
            limit=service.limits(settings),
            today=date(2026, 6, 15),
        )
    engine.dispose()
    env = {"DATABASE_URL": f"sqlite:///{db}"}
    done = run_cli(env, "backup", str(tmp_path / "b.sqlite"))
    assert done.returncode == 0, done.stderr
    assert "现场照片 2 个文件" in done.stdout
    drill = tmp_path / "drill"
    done = run_cli(
        env,
        "restore",
        "--database",
        str(tmp_path / "drill.db"),
        "--media",
        str(drill),
        str(tmp_path / "b.sqlite"),
    )
    assert done.returncode == 0, done.stderr
    assert "现场照片 2 个文件，校验和一致" in done.stdout
    restored = MediaStore(drill)
    assert sorted(restored.digests()) == sorted(live.digests())
    for digest in restored.digests():
        assert hashlib.sha256(restored.path(digest).read_bytes()).hexdigest() == digest
