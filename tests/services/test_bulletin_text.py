"""Draft → edit → 定稿: the office's section edits are kept and marked, the other sections
redraft when the figures change, and a 定稿's text reads the same after any later change;
editing is refused once signed, until the month is reopened."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import DEMO_AS_OF
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.models import AuditLog
from tracker.services.auth import SYSTEM, Actor
from tracker.services.bulletin import freeze
from tracker.services.bulletin_text import document, edit_section
from tracker.services.errors import ConflictError, PermissionDenied

NOVEMBER = date(2026, 11, 1)
SETTINGS = dispatch_settings()
OFFICE = Actor(id=None, username="office", role="admin")
COUNTY = Actor(id=None, username="lincang", role="county", county="临翔区")
EDITED = "一是用地报批滞后。\n二是专项资金拨付慢。"


def _doc(engine, today=DEMO_AS_OF):
    with read_session(engine) as s:
        return document(s, actor=SYSTEM, period=NOVEMBER, today=today, settings=SETTINGS)


def _edit(engine, key="problems", value=EDITED, actor=OFFICE, seen=None):
    with write_session(engine) as s:
        return edit_section(
            s,
            actor=actor,
            period=NOVEMBER,
            key=key,
            text=value,
            today=DEMO_AS_OF,
            settings=SETTINGS,
            seen_version=seen,
        )


def _bump_reports(engine):
    with engine.begin() as conn:
        conn.execute(
            text("update monthlyreport set completed_ytd = completed_ytd + 5000 where period = :p"),
            {"p": NOVEMBER.isoformat()},
        )


def test_an_edited_section_is_kept_and_marked_while_the_others_redraft(demo_engine):
    _edit(demo_engine)
    before = {s.key: s for s in _doc(demo_engine).sections}
    assert before["problems"].text == EDITED and before["problems"].edited
    assert not before["overall"].edited
    _bump_reports(demo_engine)
    after = {s.key: s for s in _doc(demo_engine).sections}
    assert after["problems"].text == EDITED and after["problems"].edited
    assert after["overall"].text != before["overall"].text  # redrafted with the new figures
    with read_session(demo_engine) as s:
        entry = s.exec(
            __import__("sqlmodel")
            .select(AuditLog)
            .where(AuditLog.action == "bulletin.section_edit")
        ).one()
        assert entry.after["text"] == EDITED


def test_an_empty_text_returns_the_section_to_its_draft(demo_engine):
    _edit(demo_engine)
    _edit(demo_engine, value="   ")
    problems = {s.key: s for s in _doc(demo_engine).sections}["problems"]
    assert not problems.edited and problems.text.startswith("本月")


def test_a_save_over_a_colleague_s_newer_text_is_refused_and_theirs_kept(demo_engine):
    """Two office staff open 三、存在问题 on the draft (version 0); the first saves; the
    second's save, made on what they saw before, would silently overwrite it: refused."""
    first = _edit(demo_engine, value="甲：用地报批滞后。", seen=0)
    assert first.version == 1
    with pytest.raises(ConflictError) as refused:
        _edit(demo_engine, value="乙：资金拨付慢。", seen=0)
    assert "已被其他人修改" in str(refused.value)
    assert "changed or sent back to the draft by someone else" in refused.value.render("en")
    problems = {s.key: s for s in _doc(demo_engine).sections}["problems"]
    assert problems.text == "甲：用地报批滞后。"
    again = _edit(demo_engine, value="乙：资金拨付慢。", seen=first.version)  # on the latest
    assert again.version == 2 and again.text == "乙：资金拨付慢。"
    with pytest.raises(ConflictError):  # a reset made on an old view is refused too
        _edit(demo_engine, value="", seen=first.version)


def test_only_the_office_edits(demo_engine):
    with pytest.raises(PermissionDenied):
        _edit(demo_engine, actor=COUNTY)


def test_a_final_reads_the_same_after_the_data_changes_and_refuses_edits(demo_engine):
    _edit(demo_engine)
    with write_session(demo_engine) as s:
        freeze(s, period=NOVEMBER, today=date(2026, 12, 5), settings=SETTINGS)
    signed = _doc(demo_engine, date(2026, 12, 6))
    assert signed.status == "定稿" and signed.date_line == "2026年12月5日"
    _bump_reports(demo_engine)
    with demo_engine.begin() as conn:  # next month's milestones move, a unit is renamed
        conn.execute(text("update milestone set planned_date = '2026-12-15' where seq = 1"))
    later = _doc(demo_engine, date(2027, 1, 10))
    assert later == signed
    assert {s.key: s.text for s in later.sections}["problems"] == EDITED
    with pytest.raises(ConflictError) as refused:
        _edit(demo_engine, value="改写")
    assert "已定稿" in str(refused.value)
