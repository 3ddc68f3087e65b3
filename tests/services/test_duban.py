"""Coordination and 督办 (#14): cause and responsible unit from a report's text, the office's
hand on both, escalation by age (notified once, audited), the 督办单 with its 文号, and the
bulletin's coordination list as at its data date."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document as read_docx
from sqlmodel import select

from tests.factories import actor_of, make_project, make_user
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.models import AuditLog, MonthlyReport, Notification, ProblemItem, Project
from tracker.services import bulletin, dispatch, ledger
from tracker.services.auth import SYSTEM
from tracker.services.errors import InvalidInput, PermissionDenied

SETTINGS = dispatch_settings(
    KNOWN_UNITS="市生态环境局、市自然资源和规划局",
    DUBAN_LEVEL2_DAYS=30,
    DUBAN_LEVEL3_DAYS=60,
    DUBAN_NUMBER_PREFIX="临示办",
)


def submit(s, project, *, problems="", coordination="", period=date(2026, 10, 1), today=None):
    report = MonthlyReport(
        project_id=project.id,
        period=period,
        problems=problems,
        coordination=coordination,
        status="submitted",
    )
    s.add(report)
    s.flush()
    return ledger.sync_from_report(
        s,
        actor=SYSTEM,
        report=report,
        project=project,
        today=today or date(2026, 10, 22),
        settings=SETTINGS,
    )


@pytest.fixture
def office(engine):
    with write_session(engine) as s:
        p = make_project(s, county="双江县", lead_unit="市水务局", name="南汀河防洪治理工程")
        make_project(s, county="云县", lead_unit="市能源局")
        admin = make_user(s, "admin", username="office")
        lead = make_user(s, "county", county="双江县", username="shuangjiang")
        energy = make_user(s, "unit", lead_unit="市能源局", username="nengyuan")
        other = make_user(s, "county", county="云县", username="yunxian")
        return {
            "p": p.id,
            "admin": actor_of(admin),
            "lead": actor_of(lead),
            "energy": actor_of(energy),
            "other": actor_of(other),
        }


def test_a_report_s_items_get_their_cause_and_the_unit_their_text_names(engine, office):
    with write_session(engine) as s:
        p = s.get(Project, office["p"])
        raised = submit(
            s,
            p,
            problems="林地报批未完成\n施工用电未接通",
            coordination=(
                "1. 请市生态环境局加快环评审批\n"
                "2. 协调市自然资源和规划局解决用地指标\n"
                "3. 请市能源局协调施工用电\n"
                "4. 请上级协调资金"
            ),
        )
        got = [(i.kind, i.cause, i.owner, i.level) for i in raised]
    assert got == [
        ("problem", "land", "市水务局", "office"),  # the project's own unit
        ("problem", "factors", "市水务局", "office"),
        ("coordination", "approval", "市生态环境局", "office"),  # from KNOWN_UNITS
        ("coordination", "land", "市自然资源和规划局", "office"),
        ("coordination", "factors", "市能源局", "office"),  # another project's lead unit
        ("coordination", "funds", "", "office"),  # names none: 待明确, never the office
    ]


def test_the_cause_and_a_hand_level_are_edited_with_a_version_check_and_audited(engine, office):
    with write_session(engine) as s:
        p = s.get(Project, office["p"])
        (item,) = submit(s, p, coordination="请上级协调资金")
        item_id = item.id
    with write_session(engine) as s:
        changed = ledger.update_item(
            s, actor=office["lead"], item_id=item_id, seen_version=1, cause="approval"
        )
        assert (changed.cause, changed.version) == ("approval", 2)
    with write_session(engine) as s, pytest.raises(InvalidInput, match="问题成因"):
        ledger.update_item(s, actor=office["lead"], item_id=item_id, seen_version=2, cause="x")
    with write_session(engine) as s, pytest.raises(PermissionDenied):  # the office's alone
        ledger.update_item(
            s,
            actor=office["lead"],
            item_id=item_id,
            seen_version=2,
            level="mayor",
            today=date(2026, 11, 1),
        )
    with write_session(engine) as s:
        ledger.update_item(
            s,
            actor=office["admin"],
            item_id=item_id,
            seen_version=2,
            level="mayor",
            owner="市财政局",
            today=date(2026, 11, 1),
        )
    with read_session(engine) as s:
        audits = s.exec(
            select(AuditLog).where(AuditLog.entity == "problemitem").order_by(AuditLog.id)
        ).all()
    assert [a.action for a in audits] == ["raise", "update", "update"]
    assert (audits[1].before["cause"], audits[1].after["cause"]) == ("funds", "approval")
    assert audits[2].after["level"] == "mayor" and audits[2].after["level_by_hand_on"] == (
        "2026-11-01"
    )
    assert audits[2].after["owner"] == "市财政局"


def _escalate(engine, day):
    with write_session(engine) as s:
        return dispatch.duban_escalation(s, settings=SETTINGS, today=day)


def test_escalation_by_age_is_notified_once_to_the_responsible_accounts_and_audited(engine, office):
    with write_session(engine) as s:
        p = s.get(Project, office["p"])
        # raised 22 October, deadline 25 December (far): age alone escalates
        (item,) = submit(s, p, coordination="请市能源局协调施工用电", today=date(2026, 10, 22))
        item.due_date = date(2026, 12, 25)
        s.add(item)
        item_id = item.id
    assert _escalate(engine, date(2026, 11, 20))["escalated"] == 0  # 29 days
    assert _escalate(engine, date(2026, 11, 21))["escalated"] == 1  # 30 days
    assert _escalate(engine, date(2026, 11, 22))["escalated"] == 0  # no repeat
    assert _escalate(engine, date(2026, 12, 21))["escalated"] == 1  # 60 days
    assert _escalate(engine, date(2027, 2, 1))["escalated"] == 0  # never above 3
    with read_session(engine) as s:
        row = s.get(ProblemItem, item_id)
        assert row.level == "mayor"
        notes = s.exec(select(Notification).where(Notification.reason == "duban_escalation")).all()
        audits = s.exec(select(AuditLog).where(AuditLog.action == "escalate")).all()
    # one notice a person a day of escalations, naming the level the item reached
    told = sorted(
        (n.user_id, n.dedupe_key.split(":")[-1], "市长" in n.subject) for n in notes if n.user_id
    )
    who = {office[k].id for k in ("admin", "lead", "energy")}  # never 云县's account
    assert told == sorted(
        (u, day, day == "2026-12-21") for u in who for day in ("2026-11-21", "2026-12-21")
    )
    assert [(a.before["level"], a.after["level"], a.actor_name) for a in audits] == [
        ("office", "city", "系统"),
        ("city", "mayor", "系统"),
    ]
    text = next(n for n in notes if n.user_id == office["admin"].id and "市长" in n.subject)
    assert "南汀河防洪治理工程" in text.subject and "已历时 60 天" in text.body


def test_a_day_s_escalations_reach_each_person_as_one_notice_in_their_language(engine, office):
    """After an upgrade the first run may raise dozens of old items: one notice a person,
    listing theirs, not one an item; the bell reads it in its reader's language."""
    from tracker.domain.messages import render
    from tracker.services import bell

    with write_session(engine) as s:
        p = s.get(Project, office["p"])
        submit(
            s, p, coordination="请市能源局协调施工用电；请市能源局协调材料运输",
            today=date(2026, 10, 22),
        )  # fmt: skip
    assert _escalate(engine, date(2026, 11, 21))["escalated"] == 2
    with read_session(engine) as s:
        mine = s.exec(
            select(Notification)
            .where(Notification.user_id == office["energy"].id)
            .where(Notification.channel == "inapp")
        ).all()
        drawer = bell.drawer(s, actor=office["energy"])
    assert len(mine) == 1 and mine[0].subject == "督办升级：2 项"
    assert "请市能源局协调施工用电" in mine[0].body and "请市能源局协调材料运输" in mine[0].body
    (note,) = drawer.notes
    assert render(note.subject_message, "en") == "Follow-ups escalated: 2"
    assert "Unit responsible: 市能源局" in render(note.body_message, "en")


def test_escalation_never_lowers_a_level_the_office_set_by_hand(engine, office):
    with write_session(engine) as s:
        p = s.get(Project, office["p"])
        (item,) = submit(s, p, coordination="请上级协调资金", today=date(2026, 10, 22))
        item.due_date = None
        s.add(item)
        item_id = item.id
    with write_session(engine) as s:
        ledger.update_item(
            s,
            actor=office["admin"],
            item_id=item_id,
            seen_version=1,
            level="mayor",
            today=date(2026, 10, 23),
        )
    assert _escalate(engine, date(2026, 12, 31))["escalated"] == 0
    with write_session(engine) as s:  # the office lowers it on 1 January: the clock restarts
        ledger.update_item(
            s,
            actor=office["admin"],
            item_id=item_id,
            seen_version=2,
            level="office",
            today=date(2027, 1, 1),
        )
    assert _escalate(engine, date(2027, 1, 30))["escalated"] == 0  # 29 days since
    assert _escalate(engine, date(2027, 1, 31))["escalated"] == 1
    with read_session(engine) as s:
        assert s.get(ProblemItem, item_id).level == "city"


def test_the_督办单_gets_a_文号_per_year_and_names_item_and_unit(engine, office, tmp_path):
    with write_session(engine) as s:
        p = s.get(Project, office["p"])
        first, second = submit(s, p, coordination="请市生态环境局加快环评审批\n请上级协调资金")
        ids = first.id, second.id
    files = {}
    for item_id, day in ((ids[0], date(2026, 12, 30)), (ids[1], date(2027, 1, 4))):
        with write_session(engine) as s:
            files[item_id] = ledger.duban_file(
                s, actor=office["admin"], item_id=item_id, fmt="docx", today=day, settings=SETTINGS
            )
    with write_session(engine) as s:  # a later copy keeps its number
        again = ledger.duban_file(
            s,
            actor=office["admin"],
            item_id=ids[0],
            fmt="pdf",
            today=date(2027, 3, 1),
            settings=SETTINGS,
        )
    assert [f.number for f in files.values()] == ["临示办督〔2026〕1号", "临示办督〔2027〕1号"]
    assert again.number == "临示办督〔2026〕1号" and again.content.startswith(b"%PDF")
    assert files[ids[0]].name == "督办单-临示办督〔2026〕1号.docx"
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        ledger.duban_file(
            s,
            actor=office["lead"],
            item_id=ids[0],
            fmt="docx",
            today=date(2027, 1, 4),
            settings=SETTINGS,
        )
    word = read_docx(io.BytesIO(files[ids[1]].content))
    cells = [c.text for row in word.tables[0].rows for c in row.cells]
    assert "待明确" in cells and "请上级协调资金" in cells and "资金" in cells
    with read_session(engine) as s:
        issued = s.exec(select(AuditLog).where(AuditLog.action == "duban.issue")).all()
    assert len(issued) == 2  # the first download of each; copies are not issues


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_the_督办单_docx_converts_with_libreoffice_and_reads_right(engine, office, tmp_path):
    with write_session(engine) as s:
        p = s.get(Project, office["p"])
        (item,) = submit(s, p, coordination="请市生态环境局加快环评审批")
        found = ledger.duban_file(
            s,
            actor=office["admin"],
            item_id=item.id,
            fmt="docx",
            today=date(2026, 11, 3),
            settings=SETTINGS,
        )
    source = tmp_path / "duban.docx"
    source.write_bytes(found.content)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "duban.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    flat = "".join(text.split())
    for words in ("临示办督〔2026〕1号", "请市生态环境局加快环评审批", "市生态环境局", "审批",
                  "办公室督办", "南汀河防洪治理工程", "2026年11月25日"):  # fmt: skip
        assert words in flat, words


def october_frozen_on(engine, day: date):
    """October's bulletin frozen (定稿) on ``day``, read back in January."""
    with write_session(engine) as s:
        bulletin.freeze(s, period=date(2026, 10, 1), today=day, settings=SETTINGS)
    with read_session(engine) as s:
        return bulletin.build_bulletin(
            s, actor=SYSTEM, period=date(2026, 10, 1), today=date(2027, 1, 15), settings=SETTINGS
        )


def test_a_bulletin_lists_only_coordination_items_that_existed_at_its_data_date(engine, office):
    """The October 定稿 listed items raised on 30 November and aged them to today."""
    with write_session(engine) as s:
        p = s.get(Project, office["p"])
        (october,) = submit(s, p, coordination="请市能源局协调施工用电", today=date(2026, 10, 22))
        (closed_later,) = submit(
            s, p, coordination="请上级协调资金", period=date(2026, 9, 1), today=date(2026, 10, 23)
        )
        closed_later.status, closed_later.closed_on = "closed", date(2026, 11, 10)
        s.add(closed_later)
        (closed_before,) = submit(
            s, p, coordination="征地拆迁", period=date(2026, 8, 1), today=date(2026, 10, 2)
        )
        closed_before.status, closed_before.closed_on = "closed", date(2026, 10, 20)
        s.add(closed_before)
        submit(
            s, p, coordination="请市生态环境局加快环评审批", period=date(2026, 11, 1),
            today=date(2026, 11, 30),
        )  # fmt: skip
    frozen = october_frozen_on(engine, date(2026, 12, 2))
    with read_session(engine) as s:
        live = bulletin.compute_bulletin(
            s, period=date(2026, 10, 1), today=date(2027, 1, 15), settings=SETTINGS
        )
    for b in (frozen, live):
        assert [(c["text"], c["days_open"], c["cause"], c["owner"]) for c in b.coordination] == [
            ("请市能源局协调施工用电", 9, "factors", "市能源局"),  # 22 → 31 October
            ("请上级协调资金", 8, "funds", ""),  # closed in November: open at the month's end
        ]


def test_a_month_s_items_are_those_its_reports_raised_read_on_the_day_its_reporting_closed(
    engine, office
):
    """October's reports come in until 5 November: the items they raise are October's, aged to
    the close; an item November's reports raise is not, nor one closed before the close."""
    from tracker.models import ReportingPeriod

    with write_session(engine) as s:
        s.add(
            ReportingPeriod(
                period=date(2026, 10, 1),
                opens_on=date(2026, 10, 20),
                due_on=date(2026, 10, 26),
                closes_on=date(2026, 11, 5),
                status="closed",
            )
        )
        p = s.get(Project, office["p"])
        items = submit(
            s, p, problems="施工用地未交付",
            coordination="请市能源局协调施工用电；请上级协调资金", today=date(2026, 11, 3),
        )  # fmt: skip
        (closed_first,) = [i for i in items if i.text == "请上级协调资金"]
        closed_first.status, closed_first.closed_on = "closed", date(2026, 11, 4)
        s.add(closed_first)
        submit(
            s, p, coordination="请市生态环境局加快环评审批", period=date(2026, 11, 1),
            today=date(2026, 11, 4),
        )  # fmt: skip
    october = october_frozen_on(engine, date(2026, 11, 5))
    assert [(c["text"], c["days_open"]) for c in october.coordination] == [
        ("请市能源局协调施工用电", 2),  # raised 3 November by October's report, aged to the 5th
    ]
    with read_session(engine) as s:  # the red/amber list's problems are read the same way
        read = ledger.open_items_by_project(
            s, [office["p"]], as_of=date(2026, 11, 5), month=date(2026, 10, 1)
        )
        assert [i.text for i in read[office["p"]]] == ["施工用地未交付", "请市能源局协调施工用电"]
        september = ledger.open_items_by_project(
            s, [office["p"]], as_of=date(2026, 10, 5), month=date(2026, 9, 1)
        )
        assert september == {}  # October's items are not September's
