"""#19 in headless Chromium: the change log, the slip panel and meeting mode as a user sees
them on the demo office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.daily_map_changes import audit_every_kind
from tests.web.live import live_server, login
from tracker.db import read_session, write_session
from tracker.models import Milestone, MilestonePlanRecord, Project
from tracker.services import milestones
from tracker.services.auth import Actor

pytestmark = pytest.mark.browser
SYSTEM_ADMIN = Actor(id=None, username="office", role="admin", display_name="办公室")

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


# --- item 2: the slip panel's heading agrees with its legend -------------------------------

SLIP_NOTE = "#pj-slip-streaks"
SLIP_LEGEND = "#pj-slip-chart .legendtext"


def _slip_once(engine) -> tuple[int, str]:
    """Move one open milestone of a project whose dates have held: it slipped once."""
    with read_session(engine) as s:
        rows = s.exec(
            select(Milestone, Project)
            .join(Project, Project.id == Milestone.project_id)
            .where(Milestone.actual_date.is_(None), Milestone.pending_date.is_(None))
            .where(Milestone.planned_date > DEMO_AS_OF)
            .order_by(Project.id, Milestone.seq)
        ).all()
        moved = {r.milestone_id for r in s.exec(select(MilestonePlanRecord))}
        held = [(m, p) for m, p in rows if m.planned_date == m.baseline_date]
        milestone, project = next((m, p) for m, p in held if m.id in moved)
    with write_session(engine) as s:
        milestones.reschedule(
            s,
            actor=SYSTEM_ADMIN,
            milestone_id=milestone.id,
            new_date=milestone.planned_date + timedelta(days=45),
            reason="征地延后",
            seen_version=milestone.version,
            today=DEMO_AS_OF,
        )
    return project.id, milestone.name


def test_a_milestone_that_slipped_once_is_not_called_a_run_of_slips(demo_engine, watched):
    pid, name = _slip_once(demo_engine)
    page = watched.page
    with live_server(demo_engine, DEMO_AS_OF) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path=f"/projects/{pid}")
        page.wait_for_selector(SLIP_LEGEND)
        page.locator(SLIP_NOTE).scroll_into_view_if_needed()
        shot(page, "i19_slip_once_zh")
        note = page.locator(SLIP_NOTE).inner_text()
        legend = " ".join(page.locator(SLIP_LEGEND).all_text_contents())
        assert "连续1个月" not in legend and "连续1个月" not in note
        mine = [t for t in page.locator(SLIP_LEGEND).all_text_contents() if name in t]
        assert mine and "最近一个月推迟" in mine[0], legend
        # the sentence above names what the legend shows, rather than "nothing slipped"
        assert name in note and "推迟了一次" in note, note

        page.click("#lang-en")
        page.wait_for_function(
            f"() => document.querySelector('{SLIP_NOTE}')?.innerText.includes('slipped once')"
        )
        shot(page, "i19_slip_once_en")
        note = page.locator(SLIP_NOTE).inner_text()
        legend = " ".join(page.locator(SLIP_LEGEND).all_text_contents())
        assert "1 months" not in legend and "1 months" not in note
        assert name in note and "slipped in the latest month" in legend
