from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from sqlmodel import select

from tests.factories import (
    EARLIER_REPORT,
    actor_of,
    make_project,
    make_report,
    make_user,
    report_values,
)
from tests.services.dispatch_helpers import dispatch_settings, open_period
from tracker.db import read_session, write_session
from tracker.models import AuditLog, MonthlyReport, ProblemItem
from tracker.services import audit, reports
from tracker.services.auth import SYSTEM
from tracker.services.bell import note_of
from tracker.services.cycle import PeriodLocked, get_period, mark_closed
from tracker.services.errors import ConflictError, InvalidInput, PermissionDenied
from tracker.services.reports import ReportInvalid

D = Decimal
APRIL = date(2026, 4, 1)
SETTINGS = dispatch_settings()
TODAY = date(2026, 4, 24)


good = partial(report_values, next_steps="继续推进")


def _report(action, s, actor, project_id, *, values=None, seen=0, today, period=APRIL):
    """``action`` (submit or save as draft) with this file's settings; ``good()`` unless given."""
    return action(
        s,
        actor=actor,
        project_id=project_id,
        period=period,
        values=values or good(),
        seen_version=seen,
        today=today,
        settings=SETTINGS,
    )


submit = partial(_report, reports.submit_report)
save = partial(_report, reports.save_draft)


def give_back(s, actor, project_id, comment, *, seen, today, **settings):
    """``reports.return_report`` on April."""
    return reports.return_report(
        s,
        actor=actor,
        project_id=project_id,
        period=APRIL,
        comment=comment,
        seen_version=seen,
        today=today,
        **settings,
    )


def grid(s, actor, *, today):
    """April's report grid as ``actor`` sees it on ``today``."""
    return reports.report_grid(s, actor=actor, period=APRIL, today=today, settings=SETTINGS)


@pytest.fixture
def office(engine):
    """双江县 lead, 市科技局 unit account, admin; a 双江县 project reported in March; April open."""
    with write_session(engine) as s:
        lead = make_user(s, "county", county="双江县")
        unit = make_user(s, "unit", lead_unit="市能源局")
        admin = make_user(s, "admin")
        p = make_project(
            s,
            county="双江县",
            lead_unit="市科技局",
            annual_plan={2026: 1200},
            actual_start=date(2026, 1, 5),
        )
        other = make_project(
            s,
            county="临翔区",
            lead_unit="市能源局",
            annual_plan={2026: 800},
            actual_start=date(2026, 1, 5),
        )
        make_report(
            s, p, date(2026, 3, 1), **EARLIER_REPORT, problems="用地手续滞后", next_steps="加快施工"
        )
        open_period(s, APRIL)
        ids = {"lead": actor_of(lead), "unit": actor_of(unit), "admin": actor_of(admin)}
        return ids, p.id, other.id


def test_the_grid_shows_only_the_actor_s_projects_prefilled_from_last_month(engine, office):
    actors, pid, other = office
    with read_session(engine) as s:
        lead_lines = grid(s, actors["lead"], today=date(2026, 4, 21))
        unit_lines = grid(s, actors["unit"], today=date(2026, 4, 21))
        admin_lines = grid(s, actors["admin"], today=date(2026, 4, 21))
    assert [line.project_id for line in lead_lines] == [pid]
    assert [line.project_id for line in unit_lines] == [other]
    assert {line.project_id for line in admin_lines} == {pid, other}
    line = lead_lines[0]
    assert line.status == "new" and line.version == 0 and line.editable
    assert line.values.completed_month is None  # this month's amount blank
    assert line.values.completed_ytd == D("300") and line.values.completed_total == D("900")
    assert line.values.problems == "用地手续滞后" and line.values.reporter == "李明"


def test_january_restarts_the_year_to_date_but_not_the_since_start_total(engine):
    with write_session(engine) as s:
        admin = actor_of(make_user(s, "admin"))
        p = make_project(s, annual_plan={2027: 1000}, actual_start=date(2026, 1, 5))
        make_report(s, p, date(2026, 12, 1), completed_ytd=D("1100"), completed_total=D("1500"))
        open_period(s, date(2027, 1, 1))
        line = reports.report_grid(
            s, actor=admin, period=date(2027, 1, 1), today=date(2027, 1, 21), settings=SETTINGS
        )[0]
        assert (line.values.completed_ytd, line.values.completed_total) == (D("0"), D("1500"))
        report = submit(
            s,
            admin,
            p.id,
            values=good(completed_month=D("50")),
            today=date(2027, 1, 22),
            period=date(2027, 1, 1),
        )
        assert (report.completed_ytd, report.completed_total) == (D("50"), D("1550"))


def test_draft_then_submit_on_time_then_the_office_returns_and_the_lead_resubmits(engine, office):
    actors, pid, _ = office
    lead, admin = actors["lead"], actors["admin"]
    with write_session(engine) as s:
        draft = save(
            s,
            lead,
            pid,
            values=good(completed_month=D("80"), progress_text=""),
            today=date(2026, 4, 21),
        )
        assert (draft.status, draft.version, draft.completed_ytd) == ("draft", 1, D("380"))
    with write_session(engine) as s:
        submitted = submit(
            s, lead, pid, values=good(completed_month=D("80")), seen=1, today=date(2026, 4, 24)
        )
        assert (submitted.status, submitted.late, submitted.version) == ("submitted", False, 2)
        assert submitted.completed_total == D("980")
    with write_session(engine) as s, pytest.raises(InvalidInput, match="已报送"):
        save(s, lead, pid, seen=2, today=date(2026, 4, 24))
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        give_back(s, lead, pid, "x", seen=2, today=date(2026, 4, 26))
    with write_session(engine) as s:
        returned = give_back(
            s, admin, pid, "本月投资与财务数据不符，请核实", seen=2, today=date(2026, 4, 27)
        )
        assert (returned.status, returned.version) == ("returned", 3)
    with read_session(engine) as s:
        line = grid(s, lead, today=date(2026, 4, 27))[0]
        assert line.status == "returned" and line.editable
        assert line.return_comment == "本月投资与财务数据不符，请核实"
    with write_session(engine) as s:
        again = submit(
            s, lead, pid, values=good(completed_month=D("75")), seen=3, today=date(2026, 4, 28)
        )
        # Resubmitted after the due day, but the first submission was on time.
        assert (again.status, again.late, again.completed_ytd) == ("submitted", False, D("375"))
        assert again.return_comment == ""
    with read_session(engine) as s:
        actions = [
            a.action
            for a in s.exec(
                select(AuditLog).where(AuditLog.entity == "monthlyreport").order_by(AuditLog.id)
            )
        ]
    assert actions == ["report.draft", "report.submit", "report.return", "report.submit"]


def test_a_submission_after_the_due_day_is_flagged_late(engine, office):
    actors, pid, _ = office
    with write_session(engine) as s:
        due = get_period(s, APRIL).due_on
        report = submit(s, actors["lead"], pid, today=date.fromordinal(due.toordinal() + 1))
    assert report.late


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (good(completed_month=D("-5")), "completed_month"),
        (good(completed_ytd=D("999")), "completed_ytd"),
        (good(completed_total=D("1")), "completed_total"),
        (good(progress_pct=120.0), "progress_pct"),
        (good(progress_text=""), "progress_text"),
        (good(reporter=""), "reporter"),
        (good(completed_month=None), "completed_month"),
    ],
)
def test_a_submission_that_fails_a_check_says_which_field(engine, office, values, field):
    actors, pid, _ = office
    with write_session(engine) as s, pytest.raises(ReportInvalid) as caught:
        submit(s, actors["lead"], pid, values=values, today=date(2026, 4, 22))
    assert field in {p.field for p in caught.value.problems}


def test_a_red_project_must_state_its_problems(engine):
    with write_session(engine) as s:
        admin = actor_of(make_user(s, "admin"))
        # Far behind 序时进度 in April: ytd 10 of a 1200 plan.
        p = make_project(s, annual_plan={2026: 1200}, actual_start=date(2026, 1, 5))
        open_period(s, APRIL)
        with pytest.raises(ReportInvalid, match="存在问题"):
            submit(
                s,
                admin,
                p.id,
                values=good(completed_month=D("10"), completed_total=D("10")),
                today=date(2026, 4, 22),
            )
        report = submit(
            s,
            admin,
            p.id,
            values=good(completed_month=D("10"), completed_total=D("10"), problems="资金未到位"),
            today=date(2026, 4, 22),
        )
        assert report.status == "submitted"


def test_a_save_on_a_stale_version_is_refused(engine, office):
    actors, pid, _ = office
    with write_session(engine) as s:
        save(s, actors["lead"], pid, today=date(2026, 4, 21))
    for seen in (0, 5):
        with write_session(engine) as s, pytest.raises(ConflictError, match="刷新"):
            save(
                s,
                actors["admin"],
                pid,
                values=good(completed_month=D("1")),
                seen=seen,
                today=date(2026, 4, 21),
            )


def test_a_lead_cannot_report_for_another_county(engine, office):
    actors, _, other = office
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        save(s, actors["lead"], other, today=date(2026, 4, 21))
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        viewer = actor_of(make_user(s, "viewer"))
        grid(s, viewer, today=date(2026, 4, 21))


def test_reports_lock_when_the_period_closes(engine, office):
    actors, pid, _ = office
    with write_session(engine) as s:
        row = get_period(s, APRIL)
        mark_closed(row)
        s.add(row)
    for actor in (actors["lead"], actors["admin"], SYSTEM):
        with write_session(engine) as s, pytest.raises(PeriodLocked, match="已锁定"):
            submit(s, actor, pid, today=date(2026, 5, 6))
    with read_session(engine) as s:
        line = grid(s, actors["lead"], today=date(2026, 5, 6))[0]
        assert not line.editable


def test_reporting_before_the_period_opens_is_refused(engine, office):
    actors, pid, _ = office
    with write_session(engine) as s, pytest.raises(PeriodLocked, match="尚未"):
        save(s, actors["lead"], pid, today=date(2026, 5, 2), period=date(2026, 5, 1))


def test_submitting_raises_ledger_items_once_even_when_resubmitted(engine, office):
    actors, pid, _ = office
    lead, admin = actors["lead"], actors["admin"]
    with write_session(engine) as s:
        submit(
            s,
            lead,
            pid,
            values=good(
                problems="1. 用地手续滞后\n2. 资金缺口", coordination="请市自然资源局协调用地"
            ),
            today=date(2026, 4, 22),
        )
        give_back(s, admin, pid, "核实", seen=1, today=date(2026, 4, 23))
        submit(
            s,
            lead,
            pid,
            values=good(problems="用地手续滞后；资金缺口", coordination="请市自然资源局协调用地"),
            seen=2,
            today=date(2026, 4, 24),
        )
    with read_session(engine) as s:
        items = s.exec(select(ProblemItem).order_by(ProblemItem.id)).all()
        assert [(i.kind, i.text, i.status) for i in items] == [
            ("problem", "用地手续滞后", "open"),
            ("problem", "资金缺口", "open"),
            ("coordination", "请市自然资源局协调用地", "open"),
        ]
        assert all(i.period == APRIL for i in items)
        assert s.exec(select(MonthlyReport).where(MonthlyReport.period == APRIL)).one().version == 3


def _submitted_and_returned(engine, actors, pid):
    """The lead submits April's report; the office returns it; the notices it made."""
    from tracker.models import Notification

    with write_session(engine) as s:
        submit(s, actors["lead"], pid, today=date(2026, 4, 24))
    with write_session(engine) as s:
        give_back(
            s,
            actors["admin"],
            pid,
            "投资数据与财务不符",
            seen=1,
            today=date(2026, 4, 27),
            settings=SETTINGS,
        )
    with read_session(engine) as s:
        return s.exec(select(Notification).where(Notification.reason == "report_returned")).all()


def test_a_returned_report_tells_whoever_reported_it_with_the_reason(engine, office):
    actors, pid, _ = office
    told = _submitted_and_returned(engine, actors, pid)
    assert [n.user_id for n in told if n.channel == "inapp"] == [actors["lead"].id]
    assert "投资数据与财务不符" in told[0].body
    # the bell shows it in its reader's language (the reason stays as the office wrote it)
    [note] = [note_of(n) for n in told if n.channel == "inapp"]
    assert note.subject_in("en").startswith("Report for 2026-04 returned: ")
    assert note.body_in("en").endswith("Returned because: 投资数据与财务不符")
    assert note.subject_in("zh").startswith("2026年4月月报被退回：")
    assert note.subject == note.subject_in("zh")  # the lead's language: the stored text's


def test_a_returned_report_is_written_in_the_language_its_reporter_chose(engine, office):
    from tracker.models import User

    actors, pid, _ = office
    with write_session(engine) as s:
        s.get(User, actors["lead"].id).language = "en"
    [told] = _submitted_and_returned(engine, actors, pid)
    assert told.subject.startswith("Report for 2026-04 returned: ")  # what an e-mail says


def test_a_notice_stored_as_plain_text_still_shows_as_written(engine, office):
    from tracker.models import Notification

    actors, _, _ = office
    with write_session(engine) as s:
        row = Notification(
            user_id=actors["lead"].id,
            channel="inapp",
            reason="report_returned",
            dedupe_key="inapp:old",
            subject="2026年4月月报被退回：LC-01 旧项目",
            body="退回原因：旧",
        )
        s.add(row)
        s.flush()
        note = note_of(row)
    assert (note.subject_in("en"), note.body_in("en")) == (
        "2026年4月月报被退回：LC-01 旧项目",
        "退回原因：旧",
    )


def test_each_audit_entry_holds_the_row_as_the_database_stored_it(engine, office):
    """A save reads back the row it wrote (UPDATE … RETURNING, #15) into what it audits and
    returns: the stored row, with its rounding, version and moments, as a fresh read has it;
    and the running totals carry from March's report read with the stored one."""
    actors, pid, _ = office
    lead, admin = actors["lead"], actors["admin"]
    steps = [
        lambda s: save(s, lead, pid, values=good(completed_month=D("12.3")), today=TODAY),
        lambda s: save(s, lead, pid, values=good(completed_month=D("12.5")), seen=1, today=TODAY),
        lambda s: submit(s, lead, pid, values=good(completed_month=D("80")), seen=2, today=TODAY),
        lambda s: give_back(s, admin, pid, "请核实", seen=3, today=TODAY),
        lambda s: submit(s, lead, pid, values=good(completed_month=D("75")), seen=4, today=TODAY),
    ]
    for step in steps:
        with write_session(engine) as s:
            returned = audit.snapshot(step(s))
        with read_session(engine) as s:
            stored = s.exec(
                select(MonthlyReport)
                .where(MonthlyReport.project_id == pid)
                .where(MonthlyReport.period == APRIL)
            ).one()
            entry = s.exec(
                select(AuditLog)
                .where(AuditLog.entity == "monthlyreport")
                .order_by(AuditLog.id.desc())
            ).first()
            assert entry.after == audit.snapshot(stored) == returned
    with read_session(engine) as s:
        line = grid(s, lead, today=TODAY)[0]
        march = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == pid)
            .where(MonthlyReport.period == date(2026, 3, 1))
        ).one()
    assert stored.completed_ytd == march.completed_ytd + D("75")
    assert line.version == 5 and line.status == "submitted"
