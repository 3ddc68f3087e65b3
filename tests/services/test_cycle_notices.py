"""The monthly cycle's notices (reporting open, reminders, milestones, the bulletin ready)
are catalogue messages: the e-mail goes in its recipient's language, the bell shows each in
its reader's, and the Chinese text is what it always was (#13)."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import select

from tests.factories import actor_of, make_project, make_user
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.domain.messages import render
from tracker.models import Milestone, Notification, ReportingPeriod
from tracker.services import bell, dispatch

SETTINGS = dispatch_settings()
CJK = re.compile(r"[\u3400-\u9fff]")
NOVEMBER = date(2026, 11, 1)


def _people(engine):
    with write_session(engine) as s:
        project = make_project(s, county="云县", name="云县边境旅游环线项目")
        s.add(Milestone(project_id=project.id, seq=1, name="开工建设",
                        baseline_date=date(2026, 11, 30), planned_date=date(2026, 11, 30)))  # fmt: skip
        zh = make_user(s, "county", county="云县", username="yunxian")
        en = make_user(s, "county", county="云县", username="yunxian_en")
        en.language = "en"
        s.add(en)
        return actor_of(zh), actor_of(en)


def test_the_cycle_s_notices_read_in_each_reader_s_language(engine):
    zh, en = _people(engine)
    with write_session(engine) as s:
        dispatch.open_period(s, settings=SETTINGS, period=NOVEMBER, today=date(2026, 11, 20))
        dispatch.milestone_watch(s, settings=SETTINGS, today=date(2026, 11, 25))
        due = s.exec(select(ReportingPeriod.due_on)).one()
        dispatch.reminders(s, settings=SETTINGS, today=due)
    with read_session(engine) as s:
        stored_en = s.exec(select(Notification.subject).where(Notification.user_id == en.id)).all()
        drawer_zh, drawer_en = bell.drawer(s, actor=zh), bell.drawer(s, actor=en)
    # three notices each: reporting open, a milestone due soon, the due day's reminder
    assert len(drawer_zh.notes) == len(drawer_en.notes) == 3
    assert all(not CJK.search(subject.replace("云县", "")) for subject in stored_en), stored_en
    english = [
        (render(n.subject_message, "en"), render(n.body_message, "en")) for n in drawer_en.notes
    ]
    for subject, body in english:  # project names are the office's own words: left as written
        assert not CJK.search(subject), subject
        assert not CJK.search(body.replace("云县边境旅游环线项目", "").replace("开工建设", "")), (
            body
        )
    subjects = {s for s, _ in english}
    assert any(s.startswith("Reporting for November 2026 is open") for s in subjects), subjects
    assert "Milestones due soon: 1" in subjects
    assert "Reminder: the November 2026 report is due today" in subjects
    chinese = {render(n.subject_message, "zh") for n in drawer_zh.notes}
    assert "提醒：2026年11月月度调度表今天截止" in chinese  # as the office has always read it
    assert "节点即将到期：1 个" in chinese
