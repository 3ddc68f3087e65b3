"""The report grid reads its cells through the input value rules (#12): what it normalises it
says, what it cannot read it names per cell, and nothing becomes a silent blank or zero."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge
from tests.web.signin import sign_in
from tests.web.test_authorization_matrix import NOVEMBER, _november_report, _world
from tracker.config import load_settings
from tracker.db import read_session
from tracker.models import MonthlyReport
from tracker.web.app import create_app
from tracker.web.views.reports import read_row


def _row(**cells):
    return {
        "completed_month": 10,
        "progress_pct": 50,
        "progress_text": "主体施工",
        "reporter": "李明",
        "orig": {"completed_month": 5, "completed_ytd": 100, "completed_total": 200},
        "completed_ytd": 100,
        "completed_total": 200,
        **cells,
    }


@pytest.mark.parametrize(
    ("cells", "month", "noted"),
    [
        ({}, Decimal("10.00"), False),
        ({"completed_month": "１，２３４.５"}, Decimal("1234.50"), True),
        ({"completed_month": "1,234"}, Decimal("1234.00"), True),
        ({"completed_month": "12万元"}, Decimal("12.00"), False),
        ({"completed_month": None}, None, False),
    ],
)
def test_a_readable_cell_is_read_and_a_normalised_one_is_said(cells, month, noted):
    read = read_row(_row(**cells))
    assert read.values.completed_month == month and not read.problems
    assert bool(read.notes) is noted


def test_running_totals_left_as_loaded_follow_a_changed_month():
    read = read_row(_row(completed_month="20"))
    assert read.values.completed_ytd is None and read.values.completed_total is None


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"completed_month": "0x10"}, "completed_month"),
        ({"completed_month": float("nan")}, "completed_month"),
        ({"completed_ytd": "1e27"}, "completed_ytd"),
        ({"completed_total": [1]}, "completed_total"),
        ({"progress_pct": 101}, "progress_pct"),
        ({"progress_pct": "NaN"}, "progress_pct"),
    ],
)
def test_an_unreadable_cell_is_a_problem_on_its_field_not_a_blank(cells, field):
    read = read_row(_row(**cells))
    assert [p.field for p in read.problems] == [field]


def test_a_saved_row_says_how_a_full_width_amount_was_read(demo_engine):
    world = _world(demo_engine)
    _november_report(world, "draft")
    app = create_app(load_settings(env={}), demo_engine, today=lambda: DEMO_AS_OF)
    client = app.server.test_client()
    sign_in(client, demo_engine, world.users["county_own"])
    row = {
        "row_id": str(world.project.id),
        "project_id": world.project.id,
        "version": world.made["report_version"],
        "status": "draft",
        "editable": True,
        **_row(completed_month="１，２３４.５", orig={}),
        "completed_ytd": None,
        "completed_total": None,
    }
    body = forge(
        app,
        "save_report_drafts",
        {
            "rp-save.n_clicks": 1,
            "rp-grid.rowData": [row],
            "rp-grid.virtualRowData": [row],
            "rp-period.data": NOVEMBER.isoformat(),
        },
    )
    response = client.post("/_dash-update-component", json=body).get_json()["response"]
    saved = next(r for r in response["rp-grid"]["rowData"] if r["project_id"] == world.project.id)
    assert "1234.5" in saved["message"] and "全角" in saved["message"]
    assert "已保存" in json.dumps(response, ensure_ascii=False)
    with read_session(demo_engine) as s:
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == world.project.id)
            .where(MonthlyReport.period == NOVEMBER)
        ).one()
    assert report.completed_month == Decimal("1234.50")
