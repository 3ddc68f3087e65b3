"""An import job's findings are stored as messages, so each reader reads them in their
language (#13), and the list is read up to the office's AMOUNT_MAX_WAN."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from tests.factories import actor_of, make_user
from tests.services.test_list_import_fields import issue_list
from tracker.db import read_session, write_session
from tracker.models import ImportJob
from tracker.services import import_jobs

INLINE = lambda target, *args: target(*args)  # noqa: E731
HAN = re.compile(r"[\u3400-\u9fff]")


def _dry_run(engine, data: bytes, filename: str, **kwargs):
    with write_session(engine) as s:
        admin = actor_of(make_user(s, "admin"))
    job_id = import_jobs.start_dry_run(
        engine, actor=admin, data=data, filename=filename, max_bytes=2**24, run=INLINE, **kwargs
    )
    with read_session(engine) as s:
        return import_jobs.job_view(s, actor=admin, job_id=job_id)


def test_an_amount_above_the_setting_is_refused_naming_sheet_row_and_column(sqlite_engine):
    # totals are 1000, 2000 and 3000 万元; the office allows 1500
    view = _dry_run(sqlite_engine, issue_list(), "清单.xlsx", amount_ceiling=Decimal(1500))
    assert view.status == "ready" and not view.can_confirm
    english = [e.render("en") for e in view.errors]
    assert len(english) == 2, english
    where = [
        re.match(r"Sheet “项目清单” row (\d) column F \(总投资（万元）\): ", e) for e in english
    ]
    assert [m.group(1) for m in where if m] == ["5", "6"], english
    assert all("above the ceiling of 1,500" in line for line in english), english
    # past the sheet's name and the heading as written (user data), the line is English
    assert not any(HAN.search(line[m.end() :]) for line, m in zip(english, where, strict=True))


def test_without_the_setting_the_same_list_is_accepted(sqlite_engine):
    view = _dry_run(sqlite_engine, issue_list(), "清单.xlsx")
    assert view.status == "ready" and view.can_confirm and len(view.created) == 3


def test_warnings_and_the_year_read_in_english_and_chinese(sqlite_engine):
    # an .xls name on an .xlsx file: the dry run warns about it
    view = _dry_run(sqlite_engine, issue_list(), "清单.xls")
    [warning] = view.warnings
    assert not HAN.search(warning.render("en")) and HAN.search(warning.render("zh"))
    assert "xlsx" in warning.render("en")
    assert view.year == 2022
    # the list's title is user data; the rest of the source is the reader's language
    assert view.year_source.render("en") == "the title “临沧市2022年重大项目清单”"
    assert view.year_source.render("zh").startswith("标题")


def test_a_job_stored_before_its_findings_were_messages_still_shows_them(sqlite_engine):
    with write_session(sqlite_engine) as s:
        admin = actor_of(make_user(s, "admin"))
        written_before = {"filename": "旧.xlsx", "size": 1, "status": "ready", "stage": "checked"}
        job = ImportJob(
            user_id=admin.id,
            **written_before,
            result={
                "warnings": ["工作表“说明”已忽略"],
                "missing": ["缺少“项目名称”列"],
                "errors": ["工作表“清单”第5行J列：不是数字"],
                "year": 2022,
                "year_source": "标题“2022年清单”",
            },
            error=json.dumps({"key": "import_job.refused", "params": {}}),
        )
        s.add(job)
        s.flush()
        job_id = job.id
    with read_session(sqlite_engine) as s:
        view = import_jobs.job_view(s, actor=admin, job_id=job_id)
    assert view.warnings == ["工作表“说明”已忽略"] and view.missing == ["缺少“项目名称”列"]
    assert view.errors == ["工作表“清单”第5行J列：不是数字"]
    assert view.year_source == "标题“2022年清单”"
    assert view.error.render("en") and not HAN.search(view.error.render("en"))
