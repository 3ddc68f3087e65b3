"""The bulletin's annex of red projects' latest site photos (#18), in the .docx."""

import io
import zipfile
from datetime import date, datetime

from docx import Document as read_docx
from PIL import Image

from tests import photos
from tests.factories import actor_of, make_project, make_user
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.document.docx import document_docx
from tracker.domain.document import Document, Section
from tracker.services import photos as service


def test_a_red_project_s_latest_photo_goes_into_the_bulletin_s_annex(sqlite_engine, tmp_path):
    settings = load_settings({"MEDIA_DIR": str(tmp_path / "media")})
    store = service.store_for(settings)
    with write_session(sqlite_engine) as s:
        red = make_project(s, county="双江县", name="红灯项目甲")
        green = make_project(s, county="双江县", name="绿灯项目乙")
        bare = make_project(s, county="双江县", name="红灯项目无照片")
        lead = actor_of(make_user(s, "county", county="双江县"))
        for project, day in ((red, 3), (red, 20), (green, 5)):
            service.upload(
                s,
                actor=lead,
                project_id=project.id,
                uploads=[
                    service.Upload(
                        "x.jpg",
                        photos.site_jpeg(
                            datetime(2026, 6, day, 9), photos.SHUANGJIANG, colour=(day * 10, 80, 80)
                        ),
                    )
                ],
                store=store,
                limit=service.limits(settings),
                today=date(2026, 6, 25),
            )
        rows = [
            {"code": red.code, "light": "red"},
            {"code": bare.code, "light": "red"},
            {"code": green.code, "light": "amber"},
        ]
        codes = (red.code, red.name)
    doc = Document(
        "2026年6月重大项目调度通报",
        "第6期",
        "办公室",
        "2026年7月5日",
        (Section("overall", "一、总体情况", "正文。"),),
    )
    with read_session(sqlite_engine) as s:
        with_photos = service.with_red_photos(s, doc, rows, settings=settings)
    assert [p.caption for p in with_photos.pictures] == [
        f"{codes[0]} {codes[1]}（双江县）最新现场照片"
    ]
    data = document_docx(with_photos)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1
        with Image.open(io.BytesIO(z.read(media[0]))) as image:
            assert image.height > image.width * 3 / 4  # the photo and its watermark band
    text = "\n".join(p.text for p in read_docx(io.BytesIO(data)).paragraphs)
    assert "附件：红灯项目现场照片" in text and "红灯项目甲" in text
    (tmp_path / "annex.docx").write_bytes(data)
    with read_session(sqlite_engine) as s:
        assert service.with_red_photos(s, doc, rows[2:], settings=settings) is doc
