"""The dispatch pages' builders and helpers, without a server: grid rows and what a save
sends, status labels, the upload's error table, ledger rows, bulletin cells, the bell."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tracker.config import load_settings
from tracker.db import read_session
from tracker.domain.messages import msg
from tracker.domain.reports import (
    FIELDS,
    Carried,
    FieldProblem,
    default_month,
    field_label,
    report_state,
)
from tracker.domain.rules import Light
from tracker.excel.rows import RowError
from tracker.models import User
from tracker.services.auth import Actor
from tracker.services.bell import Note, latest
from tracker.services.bulletin import build_bulletin
from tracker.services.compile_jobs import CompileState
from tracker.services.ledger import Item, LedgerLine
from tracker.services.report_entry import RowOutcome
from tracker.services.reports import ReportLine, ReportValues
from tracker.services.reports.page import PeriodInfo
from tracker.web.views import bell, bulletin, ledger, reports

D = Decimal
NOV = date(2026, 11, 1)


def text_of(component: Any) -> str:
    """Every string in a component tree (what a person would read), titles and labels too."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    if isinstance(component, dict):  # built as the JSON Dash sends (tracker/web/plain.py)
        props = component.get("props", {})
        parts = [props.get(name) for name in ("title", "label", "children")]
        return " ".join(text_of(p) for p in parts if p is not None and not isinstance(p, bool))
    parts = [getattr(component, name, None) for name in ("title", "label", "children")]
    return " ".join(text_of(p) for p in parts if p is not None and not isinstance(p, bool))


def period(status: str = "open") -> PeriodInfo:
    """A month as the report page's use case gives it (plain, never the table's row)."""
    return PeriodInfo(
        period=NOV,
        opens_on=date(2026, 11, 20),
        due_on=date(2026, 11, 25),
        closes_on=date(2026, 12, 5),
        status=status,
    )


def line(**over: Any) -> ReportLine:
    values = dict(
        project_id=7,
        code="LC-01-01",
        name="蔗糖循环经济产业园项目",
        county="双江县",
        lead_unit="市科技局",
        period=NOV,
        report_id=None,
        version=0,
        status="new",
        values=ReportValues(
            completed_ytd=D("300"), completed_total=D("900"), progress_pct=35.0, reporter=""
        ),
        carried=Carried(ytd=D("300"), total=D("900"), has_previous=True),
        editable=True,
        light=Light.AMBER,
    )
    values.update(over)
    return ReportLine(**values)


# --- 月报填报 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, late, overdue, label",
    [
        ("new", False, False, "未填报"),
        ("new", False, True, "未填报 · 逾期"),
        ("draft", False, True, "草稿 · 逾期"),
        ("returned", False, False, "已退回"),
        ("submitted", False, False, "已报送"),
        ("submitted", True, False, "已报送 · 逾期报送"),
    ],
)
def test_a_row_s_status_says_what_a_person_needs_to_know(status, late, overdue, label):
    due = date(2026, 11, 25)
    state = report_state(
        status=status, late=late, due_on=due, period_open=overdue, today=due + timedelta(days=1)
    )
    assert reports.state_label(state, "zh") == label


def test_a_grid_row_is_prefilled_and_names_the_reporter_when_blank():
    row = reports.row(line(), "zh", period=period(), today=DEMO_AS_OF, reporter="双江县牵头人")
    assert row["completed_month"] is None and row["completed_ytd"] == 300.0
    assert row["reporter"] == "双江县牵头人" and row["orig"]["reporter"] == ""
    assert row["status_label"] == "未填报 · 逾期" and row["light_label"] == "黄灯"
    assert reports.is_dirty(row)  # the reporter filled in is an edit worth saving
    locked = reports.row(
        line(editable=False), "zh", period=period(), today=DEMO_AS_OF, reporter="x"
    )
    assert locked["reporter"] == "" and not reports.is_dirty(locked)


def test_running_totals_left_as_loaded_are_sent_blank_so_the_service_computes_them():
    row = reports.row(line(), "zh", period=period(), today=DEMO_AS_OF)
    row["completed_month"] = "120"
    values = reports.values_of(row)
    assert values.completed_month == D("120")
    assert values.completed_ytd is None and values.completed_total is None
    row["completed_ytd"] = 420  # typed (or set by the grid) — sent as it is
    assert reports.values_of(row).completed_ytd == D("420")
    row["completed_month"] = "abc"
    assert reports.values_of(row).completed_month is None


@pytest.mark.parametrize(
    "raw, number",
    [("1,200.5", D("1200.5")), ("", None), (None, None), ("x", None), (3, D("3")), ("NaN", None)],
)
def test_cells_read_as_decimals(raw, number):
    assert reports.decimal_or_none(raw) == number


def test_which_rows_an_action_sends():
    loaded = [
        reports.row(
            line(project_id=i, status=s), "zh", period=period(), today=DEMO_AS_OF, reporter=""
        )
        for i, s in ((1, "new"), (2, "draft"), (3, "submitted"))
    ]
    loaded.append(
        reports.row(line(project_id=4, editable=False), "zh", period=period(), today=DEMO_AS_OF)
    )
    edited = [dict(r) for r in loaded]
    edited[1]["completed_month"] = 5
    rows_now = reports.current_rows(loaded, edited[1:2])
    assert rows_now[1]["completed_month"] == 5 and rows_now[0] is loaded[0]
    assert [r["project_id"] for r in reports.pick_rows(rows_now, "draft")] == [2]
    assert [r["project_id"] for r in reports.pick_rows(rows_now, "all")] == [1, 2]
    ticked = [{"row_id": "3"}, {"row_id": "4"}]  # 4 is not editable: never sent
    assert [r["project_id"] for r in reports.pick_rows(rows_now, "selected", ticked)] == [3]
    inputs = reports.inputs_of(reports.pick_rows(rows_now, "draft"))
    assert inputs[0].project_id == 2 and inputs[0].seen_version == 0


def test_refused_rows_keep_what_was_typed_and_saved_rows_come_back_fresh():
    rows_now = [
        {
            **reports.row(line(project_id=i), "zh", period=period(), today=DEMO_AS_OF),
            "completed_month": 9,
        }
        for i in (1, 2, 3)
    ]
    fresh = [
        reports.row(
            line(project_id=1, status="submitted", version=1),
            "zh",
            period=period(),
            today=DEMO_AS_OF,
        )
    ]
    outcomes = [
        RowOutcome(1, True, status="submitted", version=1),
        RowOutcome(2, False, problems=[FieldProblem("problems", "须填写存在问题")]),
    ]
    merged = reports.merge_outcomes(rows_now, outcomes, fresh, "zh")
    assert merged[0]["status"] == "submitted" and merged[0]["completed_month"] is None
    assert merged[1]["completed_month"] == 9 and merged[1]["errors"] == {
        "problems": "须填写存在问题"
    }
    assert merged[1]["message"] == "存在问题：须填写存在问题"
    assert merged[2]["completed_month"] == 9 and merged[2]["message"] == ""
    shown = text_of(reports.messages(merged, "zh"))
    assert "1 个项目未通过" in shown and "LC-01-01" in shown
    assert "刷新" not in shown
    stale = [RowOutcome(3, False, message="该月报已被他人修改，请刷新后重试", conflict=True)]
    merged = reports.merge_outcomes(rows_now, stale, [], "zh")
    assert merged[2]["message"] == "该月报已被他人修改，请刷新后重试"
    assert "点“刷新”查看最新内容" in text_of(reports.messages(merged, "zh"))
    summary = reports.outcome_summary(outcomes, submit=True, language="zh")
    assert summary == "已报送 1 个项目，1 个未通过（见表格下方）"


def test_a_saved_row_says_how_it_was_read_and_an_untouched_row_keeps_its_notice():
    rows_now = [
        reports.row(line(project_id=i), "zh", period=period(), today=DEMO_AS_OF) for i in (1, 2)
    ]
    fresh = [
        reports.row(line(project_id=1, version=1), "zh", period=period(), today=DEMO_AS_OF),
        {
            **reports.row(line(project_id=2), "zh", period=period(), today=DEMO_AS_OF),
            "message": "原存储的本月完成投资（inf）无法使用，请重新填写",
        },
    ]
    outcomes = [RowOutcome(1, True, status="draft", version=1, notes=("按 1234 读取",))]
    merged = reports.merge_outcomes(rows_now, outcomes, fresh, "zh")
    assert "按 1234 读取" in merged[0]["message"] and merged[0].get("refused") is not True
    assert "无法使用" in merged[1]["message"]
    assert reports.messages(merged, "zh") is None  # neither is a refusal


def test_the_month_picker_defaults_to_the_open_month():
    rows = [
        period("closed"),
        PeriodInfo(
            period=date(2026, 10, 1), opens_on=NOV, due_on=NOV, closes_on=NOV, status="closed"
        ),
    ]
    options = reports.month_options(rows, "zh")
    assert options[0] == {"value": "2026-11-01", "label": "2026年11月 · 已关账"}
    assert default_month([r.period for r in rows], None) == NOV
    assert default_month([r.period for r in rows], date(2026, 10, 1)) == date(2026, 10, 1)


def test_a_closed_month_shows_the_lock():
    shown = text_of(
        reports.period_info(period("closed"), [line(status="submitted")], "zh", today=DEMO_AS_OF)
    )
    assert "已锁定" in shown and "2026-12-05" in shown and "已报送 1 / 1" in shown


def test_a_refused_upload_lists_every_error_with_sheet_row_column_and_reason():
    errors = [
        RowError("月度调度表", 5, "H", "本月完成投资（万元）", "不能为负数"),
        RowError("月度调度表", 0, "", "", "调度已关账"),
    ]
    shown = text_of(
        reports.upload_result(saved=0, skipped=0, errors=errors, submit=True, language="zh")
    )
    assert "2 处错误" in shown and "月度调度表 5 H 本月完成投资（万元） 不能为负数" in shown
    assert "调度已关账" in shown
    ok = text_of(reports.upload_result(saved=3, skipped=1, errors=[], submit=True, language="zh"))
    assert "已报送 3 个项目" in ok


def test_the_office_s_review_lists_submitted_reports_and_the_missing_by_county():
    lines = [
        line(
            project_id=1,
            status="submitted",
            version=2,
            submitted_at=datetime(2026, 11, 24, 2, tzinfo=UTC),
        ),
        line(project_id=2, status="returned", county="云县"),
        line(project_id=3, status="new", county="云县"),
    ]
    review = reports.review_table(lines, "zh", can_return=True)
    assert "2026-11-24 10:00" in text_of(review)  # Beijing time
    assert text_of(review).count("退回") == 1
    missing = text_of(reports.missing_list(lines, period(), "zh", today=DEMO_AS_OF))
    assert "尚有 2 个项目未报送" in missing and "云县 2" in missing and "已退回 · 逾期" in missing
    assert reports.return_target(lines[0]) == {
        "project_id": 1,
        "period": "2026-11-01",
        "version": 2,
    }


# --- 问题台账 ----------------------------------------------------------------------------------


def ledger_line(**over: Any) -> LedgerLine:
    item = Item(
        id=3,
        project_id=7,
        kind="coordination",
        text="请市发展改革委协调",
        owner="示范区建设办公室",
        level="city",
        status="open",
        raised_on=date(2026, 10, 31),
        period=None,
        due_date=date(2026, 11, 25),
        closed_on=None,
        close_note="",
        version=2,
    )
    values = dict(
        item=item,
        project_code="LC-01-01",
        project_name="蔗糖循环经济产业园项目",
        county="双江县",
        lead_unit="市科技局",
        ageing=Light.RED,
        days_open=28,
    )
    values.update(over)
    return LedgerLine(**values)


def test_a_ledger_row_carries_the_item_and_links_to_its_project():
    row = ledger.row(ledger_line(), "zh")
    assert row["id"] == 7 and row["item_id"] == 3 and row["version"] == 2
    assert (row["kind_label"], row["level_label"], row["age_label"]) == (
        "需协调事项",
        "分管市领导督办",
        "已超期",
    )
    assert (row["cause_label"], row["owner_label"]) == ("其他", "示范区建设办公室")
    unnamed = ledger.row(ledger_line(item=replace(ledger_line().item, owner="")), "zh")
    assert unnamed["owner_label"] == "待明确"
    assert ledger.count_label([ledger_line()], "zh") == "共 1 项，其中超期 1 项"
    assert ledger.subject(row).county == "双江县"


def test_ledger_filters_ignore_what_they_do_not_know():
    assert ledger.filters("open", "", "mayor", "云县", "land") == {
        "status": "open",
        "kind": None,
        "level": "mayor",
        "county": "云县",
        "cause": "land",
    }
    assert ledger.filters("", "x", None, "纽约", "天气") == {
        "status": None,
        "kind": None,
        "level": None,
        "county": None,
        "cause": None,
    }


def test_the_item_panel_offers_only_what_the_user_may_do():
    row = ledger.row(ledger_line(), "zh")
    lead = text_of(ledger.panel(row, "zh", can_edit=True, can_close=False))
    assert "保存修改" in lead and "销号" not in lead
    office = text_of(ledger.panel(row, "zh", can_edit=True, can_close=True))
    assert "销号" in office
    assert "督办单" not in office
    issuer = text_of(ledger.panel(row, "zh", can_edit=True, can_close=True, can_issue=True))
    assert "督办单（Word）" in issuer and "督办单（PDF）" in issuer
    viewer = text_of(ledger.panel(row, "zh", can_edit=False, can_close=False))
    assert "只能查看" in viewer
    closed = {**row, "status": "closed"}
    assert "重新打开" in text_of(ledger.panel(closed, "zh", can_edit=True, can_close=True))


# --- 调度通报 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, kind, shown",
    [
        (1234.5, "money", "1,234.50"),
        (123456.0, "yi", "12.35"),
        (0.932, "pct", "93.2%"),
        (-1.44, "pp", "-1.4"),
        (None, "pct", "—"),
        (["甲", "", "乙"], "list", "甲；乙"),
        ([], "list", "—"),
        ("city", "level", "分管市领导督办"),
        ("mayor", "level", "市长督办"),
        ("<b>x</b>", "text", "<b>x</b>"),
    ],
)
def test_bulletin_cells_print_as_the_office_writes_them(value, kind, shown):
    assert bulletin.cell(value, kind, "zh") == shown


def test_the_bulletin_page_shows_every_part_of_the_demo_s_november(demo_engine):
    with read_session(demo_engine) as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
        b = build_bulletin(
            s, actor=Actor.of(admin), period=NOV, today=DEMO_AS_OF, settings=load_settings({})
        )
    shown = text_of(bulletin.body(b, "zh"))
    for part in (
        "未定稿",
        b.headline,
        "分领域",
        "红黄灯项目",
        "逾期节点",
        "未报送项目",
        "县（区）综合排名",
        "计分办法",
        "较上月变化",
        "合计",
    ):
        assert part in shown, part
    assert b.red_amber[0]["code"] in shown and b.ranking["rows"][0]["county"] in shown


def test_the_compile_line_moves_then_says_how_it_ended():
    now = 1000.0
    running = text_of(
        bulletin.compile_state(CompileState(NOV, "running"), "zh", started=now - 3, now=now)
    )
    assert "已用时 3 秒" in running
    done = CompileState(NOV, "done", finished_at=datetime(2026, 11, 28, 4, tzinfo=UTC))
    assert "2026-11-28 12:00" in text_of(bulletin.compile_state(done, "zh", started=None, now=now))
    failed = CompileState(NOV, "failed", detail="OperationalError")
    assert "OperationalError" in text_of(
        bulletin.compile_state(failed, "zh", started=None, now=now)
    )
    interrupted = CompileState(NOV, "failed", detail=msg("bulletin.compile_interrupted"))
    english = text_of(bulletin.compile_state(interrupted, "en", started=None, now=now))
    assert "interrupted" in english and not re.search(r"[\u4e00-\u9fff]", english)
    assert "计算中断" in text_of(bulletin.compile_state(interrupted, "zh", started=None, now=now))
    old = CompileState(NOV, "failed", finished_at=datetime.fromtimestamp(now - 60, UTC))
    assert not bulletin.fresh_since(old, now) and bulletin.fresh_since(done, None)


# --- the bell ----------------------------------------------------------------------------------


def note(i: int, read: bool) -> Note:
    at = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=i)
    return Note(
        id=i,
        channel="inapp",
        reason="report_open",
        subject=f"通知{i}",
        body="",
        recipient="",
        attempts=0,
        last_error="",
        created_at=at,
        read_at=at if read else None,
    )


def test_the_bell_lists_unread_first_then_the_latest_at_most_twenty():
    unread = [note(30, False), note(5, False)]
    recent = sorted(
        [note(i, read=True) for i in range(1, 41) if i not in (5, 30)] + unread,
        key=lambda n: -n.id,
    )[:20]
    shown = latest(unread, recent)
    assert [n.id for n in shown[:2]] == [30, 5] and len(shown) == 20
    assert [n.id for n in shown[2:5]] == [40, 39, 38]  # then the latest read ones
    text = text_of(bell.content(shown, "zh", unread=2, failed=[]))
    assert "2 条未读" in text and "全部标为已读" in text and "没有发送失败的通知" in text
    assert "发送失败" not in text_of(bell.content(shown, "zh", unread=0, failed=None))


def test_every_label_the_dispatch_pages_build_from_a_value_is_in_the_catalogue():
    from tracker.i18n import CATALOGUE
    from tracker.services.ledger import KINDS, LEVELS

    keys = {f"report.status.{s}" for s in ("new", "draft", "submitted", "returned", "overdue")}
    keys |= {f"period.status.{s}" for s in ("scheduled", "open", "closed")}
    keys |= {f"ledger.kind.{k}" for k in KINDS} | {f"ledger.level.{v}" for v in LEVELS}
    keys |= {f"ledger.status.{s}" for s in ("open", "closed")}
    keys |= {f"ledger.age.{light.value}" for light in Light}
    keys |= {f"bell.channel.{c}" for c in ("inapp", "email", "webhook")}
    keys |= {field_label(name).key for name in FIELDS} | {c.label for c in reports.GRID_COLUMNS}
    keys |= {label for _, label, _ in bulletin.FIGURE_COLUMNS}
    keys |= {label for cols in bulletin.TABLES.values() for _, label, _ in cols}
    keys |= {label for _, label, _ in ledger.COLUMNS}
    assert sorted(keys - set(CATALOGUE)) == []


def _with_ids(component: Any) -> list[Any]:
    """Every component in a tree that has an id."""
    if isinstance(component, list | tuple):
        return [i for c in component for i in _with_ids(c)]
    if not hasattr(component, "to_plotly_json"):
        return []
    found = [component] if getattr(component, "id", None) is not None else []
    return found + _with_ids(getattr(component, "children", None))


def _text_page(engine, username: str, month: date):
    from tracker.services.bulletin_page import bulletin_page

    with read_session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        return bulletin_page(
            s,
            actor=Actor.of(user),
            month=month,
            today=DEMO_AS_OF,
            settings=load_settings({}),
            assessment=False,
        )


def test_the_bulletin_text_is_the_office_s_to_edit_until_signed_and_the_readers_to_read(
    demo_engine,
):
    from tracker.web.views import bulletin_text

    ids = bulletin_text.BulletinTextIds

    def of_type(component: Any, kind: str) -> list[Any]:
        return [c for c in _with_ids(component) if isinstance(c.id, dict) and c.id["type"] == kind]

    def typed(component: Any, kind: str) -> list[str]:
        return [c.id["index"] for c in of_type(component, kind)]

    keys = ["overall", "progress", "problems", "next_steps"]
    draft = _text_page(demo_engine, "admin", NOV)  # November: still in reporting
    shown = bulletin_text.panel(draft, "zh")
    assert typed(shown, ids.TEXT) == keys and typed(shown, ids.SAVE) == keys
    assert typed(shown, ids.RESET) == []  # nothing edited yet: nothing to send back
    assert [m.children for m in of_type(shown, ids.MARK)] == ["自动起草"] * 4
    assert "草稿（未定稿）" in text_of(shown)

    signed = _text_page(demo_engine, "admin", date(2026, 10, 1))  # October: 定稿
    shown = bulletin_text.panel(signed, "zh")
    assert typed(shown, ids.TEXT) == [] and typed(shown, ids.SAVE) == []
    assert "已定稿（正文已冻结）" in text_of(shown)
    assert signed.sections[0].text.split("\n")[0] in text_of(shown)

    leader = _text_page(demo_engine, "leader", NOV)
    shown = bulletin_text.panel(leader, "zh")
    assert typed(shown, ids.TEXT) == [] and typed(shown, ids.MARK) == []
    assert "以定稿为准" in text_of(shown)  # a draft says it is one
    assert [s.text for s in leader.sections] == [s.text for s in draft.sections]


@pytest.mark.parametrize(
    ("month", "span"),
    [(None, "Q1"), (date(2026, 2, 1), "Q1"), (date(2026, 6, 1), "H1"), (date(2026, 10, 1), "Q3"),
     (date(2026, 12, 1), "Y")],
)  # fmt: skip
def test_the_span_control_opens_on_the_latest_span_the_month_completes(month, span):
    from tracker.web.views.bulletin_text import default_span

    assert default_span(month) == span
