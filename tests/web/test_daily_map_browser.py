"""#19 in headless Chromium: the change log, the slip panel and meeting mode as a user sees
them on the demo office."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import live_server, login
from tests.web.daily_map_changes import audit_every_kind
from tracker.db import read_session
from tracker.models import Project

pytestmark = pytest.mark.browser

HISTORY = "#pj-history"
RAW_MARKS = ("field.", "action.", "entity.", "['", "[[", "{'", "节点名称")


def _history_rows(page) -> list[str]:
    return page.locator(f"{HISTORY} tbody tr").all_inner_texts()


def test_the_change_log_reads_in_words_in_both_languages(demo_engine, watched):
    pid = audit_every_kind(demo_engine, today=DEMO_AS_OF)
    with read_session(demo_engine) as s:
        name = s.get(Project, pid).name
        assert s.exec(select(Project).where(Project.id == pid)).one()
    page = watched.page
    with live_server(demo_engine, DEMO_AS_OF) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path=f"/projects/{pid}")
        page.wait_for_selector(f"{HISTORY} tbody tr")
        page.locator(HISTORY).scroll_into_view_if_needed()
        shot(page, "i19_changelog_zh")
        rows = _history_rows(page)
        imported = [r for r in rows if "清单导入·更新" in r]
        assert imported, rows
        # the project's name is 项目名称, milestones one per line, lists joined with 、
        assert "项目名称" in imported[0] and name in imported[0]
        assert "完成前期手续 2026-04-30\n" in imported[0]
        assert "市工业和信息化局、双江县人民政府" in imported[0]
        assert any("清单导入·新增" in r for r in rows)
        for row in rows:
            for mark in RAW_MARKS:
                if mark == "节点名称" and "清单导入" not in row:
                    continue  # a milestone's own name change may say 节点名称
                assert mark not in row, (mark, row)

        page.click("#lang-en")
        page.wait_for_function(
            f"() => (document.querySelector('{HISTORY}') || {{}}).innerText"
            "?.includes('Imported (changed)')"
        )
        shot(page, "i19_changelog_en")
        rows = _history_rows(page)
        imported = next(r for r in rows if "Imported (changed)" in r)
        assert "Project name" in imported and "Responsible units" in imported
        assert "Milestones" in imported and "Work measure" in imported
        for row in rows:
            for mark in RAW_MARKS[:-1]:
                assert mark not in row, (mark, row)
