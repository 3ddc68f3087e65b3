"""The /reports page built as plain dicts (tracker/web/plain.py) sends exactly what the Dash
components send (#15): the page, a month shown, the panels, the phone's cards and form, the
office's return dialog, and a save's answer with refused rows, for a county lead and the
office, in both languages."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from benchmarks.load import prepare_reports
from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge, router
from tests.web.test_plain_components import _app, _client
from tracker.db import read_session
from tracker.models import MonthlyReport, ReportingPeriod
from tracker.web import plain
from tracker.web.fastjson import to_json
from tracker.web.views import reports as view
from tracker.web.views.reports import ReportsIds as Ids
from tracker.web.views.reports import phone


def _answer(app, client, body: dict) -> dict:
    """The answer, the kept page responses dropped first (a miss); the panels' time stamp
    (a save's, ``_stamp``) left out."""
    app.server.extensions["tracker.page_responses"]._items.clear()
    response = client.post(
        "/_dash-update-component", json=body, headers={"Accept-Encoding": "identity"}
    )
    assert response.status_code in (200, 204), response.status_code
    if response.status_code == 204:
        return {}
    answer = json.loads(response.get_data(as_text=True))
    answer.get("response", {}).pop(Ids.PANELS, None)
    return answer


def _same(app, client, body: dict) -> dict:
    built = _answer(app, client, body)
    with plain.as_components():
        real = _answer(app, client, body)
    assert json.dumps(built, ensure_ascii=False) == json.dumps(real, ensure_ascii=False), body
    return built


def _open_month(engine) -> str:
    """The open month, its submitted reports returned by the office (as the cycle does), so
    the county leads have rows to edit."""
    return prepare_reports(engine, DEMO_AS_OF).isoformat()


def _months(engine) -> list[str]:
    with read_session(engine) as s:
        periods = s.exec(select(ReportingPeriod.period).order_by(col(ReportingPeriod.period))).all()
    return [p.isoformat() for p in periods]


@pytest.mark.parametrize(
    ("username", "language"),
    [("yunxian", "zh"), ("yunxian", "en"), ("admin", "zh"), ("admin", "en")],
)
def test_the_reports_page_is_the_json_the_dash_components_give(demo_engine, username, language):
    app = _app(demo_engine)
    client = _client(app, demo_engine, username, language)
    month = _open_month(demo_engine)
    page = _same(app, client, router("/reports"))
    assert "rp-card" in json.dumps(page, ensure_ascii=False)  # the phone's cards are drawn
    months = _months(demo_engine)
    for shown in [*months[-3:], None]:
        _same(app, client, forge(app, "show_report_month", {f"{Ids.MONTH}.value": shown}))
        panels = {f"{Ids.PANELS}.data": 1, f"{Ids.PERIOD}.data": shown}
        _same(app, client, forge(app, "refresh_report_panels", panels))
    rows = _answer(app, client, forge(app, "show_report_month", {f"{Ids.MONTH}.value": month}))[
        "response"
    ][Ids.GRID]["rowData"]
    assert rows
    _same(app, client, forge(app, "show_phone_cards", {f"{Ids.GRID}.rowData": rows}))
    _same(app, client, forge(app, "show_phone_cards", {f"{Ids.GRID}.rowData": []}))
    # a save whose rows are all refused (nothing is written: both builds see the same data)
    editable = [r for r in rows if r.get("editable")]
    assert editable, "no editable row"
    if editable:
        bad = {**editable[0], "completed_month": -5, "problems": "改"}
        stale = [{**r, "version": 999, "problems": "改"} for r in editable[1:]]
        virtual = [bad, *stale, *(r for r in rows if not r.get("editable"))]
        values = {
            f"{Ids.SAVE}.n_clicks": 1,
            f"{Ids.GRID}.rowData": rows,
            f"{Ids.GRID}.virtualRowData": virtual,
            f"{Ids.PERIOD}.data": month,
        }
        saved = _same(app, client, forge(app, "save_report_drafts", values))
        assert saved["response"][Ids.MESSAGES]["children"]


def test_the_views_messages_and_cards_are_what_the_dash_components_give(demo_engine):
    app = _app(demo_engine)
    client = _client(app, demo_engine, "admin")
    month = _open_month(demo_engine)
    rows = _answer(app, client, forge(app, "show_report_month", {f"{Ids.MONTH}.value": month}))[
        "response"
    ][Ids.GRID]["rowData"]
    refused = [
        {**rows[0], "message": "退回", "conflict": True},
        {**rows[1], "message": "数字有误", "refused": True},
        *rows[2:],
    ]
    for language in ("zh", "en"):
        built = [
            view.messages(refused, language),
            view.messages(rows, language),
            phone.cards(refused, language),
            phone.form_modal(language),
            view.return_modal(language),
            view.actions(language, editable=True),
            view.offline_panel(language, office=True, max_mb=10),
            view.offline_panel(language, office=False, max_mb=10),
        ]
        with plain.as_components():
            real = [
                view.messages(refused, language),
                view.messages(rows, language),
                phone.cards(refused, language),
                phone.form_modal(language),
                view.return_modal(language),
                view.actions(language, editable=True),
                view.offline_panel(language, office=True, max_mb=10),
                view.offline_panel(language, office=False, max_mb=10),
            ]
        assert [to_json(b) for b in built] == [to_json(r) for r in real]


def test_a_draft_saved_through_another_app_shows_on_the_next_page_of_this_one(demo_engine):
    reader = _app(demo_engine)
    client = _client(reader, demo_engine, "yunxian")
    month = _open_month(demo_engine)
    body = forge(reader, "show_report_month", {f"{Ids.MONTH}.value": month})
    before = _answer(reader, client, body)["response"][Ids.GRID]["rowData"]
    editable = [r for r in before if r.get("editable")]
    assert editable, "no editable row"
    writer = _app(demo_engine)
    writer_client = _client(writer, demo_engine, "yunxian")
    edited = {**editable[0], "problems": "另一进程保存的问题"}
    values = {
        f"{Ids.SAVE}.n_clicks": 1,
        f"{Ids.GRID}.rowData": before,
        f"{Ids.GRID}.virtualRowData": [
            edited if r["row_id"] == edited["row_id"] else r for r in before
        ],
        f"{Ids.PERIOD}.data": month,
    }
    writer_client.post("/_dash-update-component", json=forge(writer, "save_report_drafts", values))
    with read_session(demo_engine) as s:
        stored = s.exec(
            select(MonthlyReport).where(MonthlyReport.project_id == edited["project_id"])
        ).all()
    assert any(r.problems == "另一进程保存的问题" for r in stored)
    page = json.dumps(_answer(reader, client, router("/reports")), ensure_ascii=False)
    after = _answer(reader, client, body)["response"][Ids.GRID]["rowData"]
    assert "另一进程保存的问题" in page
    assert next(r for r in after if r["row_id"] == edited["row_id"])["problems"] == (
        "另一进程保存的问题"
    )
