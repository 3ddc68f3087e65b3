"""Stored data can't break a page or a job (#12): legacy rows and old imports may hold values
the input rules now refuse (1e27, inf, a negative amount, 9999-12-31). Every page renders
for every role, the bulletin compiles and lists the rows it left out, the month closes, the
battle map draws the rest and says what it left out, and every export answers."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge, render
from tests.web.signin import sign_in
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import (
    InvestmentPlan,
    Milestone,
    MonthlyReport,
    PeriodSnapshot,
    Project,
    ReportingPeriod,
    User,
)
from tracker.web.app import create_app

NOVEMBER = date(2026, 11, 1)
PAGES = ["/", "/battle-map", "/projects", "/reports", "/ledger", "/bulletin", "/admin"]
ROLES = ["leader", "yunxian", "kejiju", "admin"]


@dataclass
class Legacy:
    huge: Project  # November report: 1e27 in 本月 and 年度累计
    infinite: Project  # October report: 开工以来累计 = inf
    negative: Project  # November report: 本月 = -5
    plan: Project  # annual plan 1e27
    draft: Project  # a 云县 November draft: 本月 inf, 形象进度 inf
    far_milestone: Project  # a milestone planned on 9999-12-31
    far_finish: Project  # planned finish 9999-12-31


def _report(s, project: Project, period: date, status: str) -> MonthlyReport:
    report = s.exec(
        select(MonthlyReport)
        .where(MonthlyReport.project_id == project.id)
        .where(MonthlyReport.period == period)
    ).first()
    if report is None:
        report = MonthlyReport(project_id=project.id or 0, period=period, status=status)
        s.add(report)
        s.flush()
    return report


def _legacy(engine) -> Legacy:
    """Write what an old version of the app (or an old import) could have stored."""
    with write_session(engine) as s:
        projects = s.exec(select(Project).order_by(Project.id)).all()
        county = [p for p in projects if p.county == "云县"]
        others = [p for p in projects if p.county != "云县"]
        legacy = Legacy(
            huge=others[0],
            infinite=others[1],
            negative=others[2],
            plan=others[3],
            draft=county[0],
            far_milestone=others[4],
            far_finish=others[5],
        )
        ids = {
            "huge": _report(s, legacy.huge, NOVEMBER, "submitted").id,
            "infinite": _report(s, legacy.infinite, date(2026, 10, 1), "submitted").id,
            "negative": _report(s, legacy.negative, NOVEMBER, "submitted").id,
            "draft": _report(s, legacy.draft, NOVEMBER, "draft").id,
        }
        milestone = s.exec(
            select(Milestone)
            .where(Milestone.project_id == legacy.far_milestone.id)
            .where(Milestone.actual_date.is_(None))  # type: ignore[union-attr]
        ).first()
        plan = s.exec(
            select(InvestmentPlan)
            .where(InvestmentPlan.project_id == legacy.plan.id)
            .where(InvestmentPlan.year == 2026)
        ).first()
        assert milestone is not None and plan is not None
        s.flush()
    with engine.begin() as conn:  # below the ORM, as a legacy row would be
        run = conn.execute
        run(
            text(
                "UPDATE monthlyreport SET completed_month = 1e27, completed_ytd = 1e27 WHERE id = :i"
            ),
            {"i": ids["huge"]},
        )
        run(
            text("UPDATE monthlyreport SET completed_total = 9e999 WHERE id = :i"),
            {"i": ids["infinite"]},
        )
        run(
            text("UPDATE monthlyreport SET completed_month = -5 WHERE id = :i"),
            {"i": ids["negative"]},
        )
        run(
            text(
                "UPDATE monthlyreport SET completed_month = 9e999, progress_pct = 9e999, status = 'draft' WHERE id = :i"
            ),
            {"i": ids["draft"]},
        )
        run(text("UPDATE investmentplan SET amount = 1e27 WHERE id = :i"), {"i": plan.id})
        run(
            text("UPDATE milestone SET planned_date = '9999-12-31' WHERE id = :i"),
            {"i": milestone.id},
        )
        run(
            text("UPDATE project SET planned_finish = '9999-12-31' WHERE id = :i"),
            {"i": legacy.far_finish.id},
        )
    return legacy


def _client(app, engine, username: str):
    with read_session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
    client = app.server.test_client()
    sign_in(client, engine, user)
    client.get("/")  # registers the pages router
    return client


def _call(app, client, name: str, values: dict):
    response = client.post("/_dash-update-component", json=forge(app, name, values))
    assert response.status_code in (200, 204), (name, response.status_code, response.text[:300])
    return response.get_json() if response.status_code == 200 else None


@pytest.fixture
def legacy_app(demo_engine):
    legacy = _legacy(demo_engine)
    app = create_app(
        load_settings(env={}), demo_engine, today=lambda: DEMO_AS_OF, run_job=lambda f, *a: f(*a)
    )
    return app, legacy


@pytest.mark.parametrize("username", ROLES)
def test_every_page_renders_for_every_role_around_bad_stored_values(
    demo_engine, legacy_app, username
):
    app, legacy = legacy_app
    client = _client(app, demo_engine, username)
    for path in [*PAGES, *(f"/projects/{p.id}" for p in vars(legacy).values())]:
        response = render(client, path)
        assert response.status_code == 200, (path, response.text[:300])
        json.loads(response.get_data(as_text=True))  # valid JSON: no NaN or Infinity


def test_the_bulletin_compiles_lists_what_it_left_out_and_downloads(demo_engine, legacy_app):
    app, legacy = legacy_app
    for username in ROLES:
        client = _client(app, demo_engine, username)
        shown = _call(app, client, "show_bulletin", {"bl-month.value": NOVEMBER.isoformat()})
        page = json.dumps(shown, ensure_ascii=False)
        assert "bl-data-problems" in page
        for project in (legacy.huge, legacy.infinite, legacy.negative, legacy.plan):
            assert project.code in page
        download = _call(
            app,
            client,
            "download_bulletin",
            {"bl-download.n_clicks": 1, "bl-month.value": NOVEMBER.isoformat()},
        )
        content = download["response"]["bl-download-file"]["data"]["content"]
        book = load_workbook(io.BytesIO(base64.b64decode(content)))
        problems = [str(c.value) for row in book["数据异常"].iter_rows() for c in row]
        assert any(legacy.huge.code in v for v in problems)
        assert any("e+27" in v for v in problems), problems


def test_the_office_closes_the_month_around_bad_stored_values(demo_engine, legacy_app):
    app, legacy = legacy_app
    client = _client(app, demo_engine, "admin")
    _call(
        app,
        client,
        "compile_bulletin_now",
        {"bl-compile-confirm.n_clicks": 1, "bl-month.value": NOVEMBER.isoformat()},
    )
    with read_session(demo_engine) as s:
        period = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == NOVEMBER)).one()
        snapshot = s.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == NOVEMBER)).one()
    assert period.status == "closed"
    payload = json.loads(json.dumps(snapshot.payload, allow_nan=False))  # finite numbers only
    assert {row["code"] for row in payload["data_problems"]} >= {legacy.huge.code, legacy.plan.code}
    assert payload["totals"]["completed_ytd"] < 1e12


def test_the_battle_map_draws_the_rest_and_says_which_dates_it_left_out(demo_engine, legacy_app):
    app, legacy = legacy_app
    client = _client(app, demo_engine, "leader")
    page = render(client, "/battle-map").get_data(as_text=True)
    assert "9999-12-31" in page  # named in the note …
    figure = json.loads(page)["response"]["_pages_content"]["children"]
    dates = _figure_dates(figure)
    assert dates and max(dates) < "2101" and min(dates) > "1989"  # … and not drawn
    codes = set(json.dumps(figure, ensure_ascii=False).split('"'))
    assert legacy.far_milestone.code in " ".join(codes)
    for trigger in ("bm-export-pdf", "bm-export-html"):
        response = client.post(
            "/_dash-update-component",
            json=forge(
                app, "export_battle_map", {f"{trigger}.n_clicks": 1, "bm-state.data": {"query": ""}}
            )
            | {"changedPropIds": [f"{trigger}.n_clicks"]},
        )
        assert response.status_code == 200, response.text[:300]
        assert response.get_json()["response"]["bm-download"]["data"]["content"]


def _figure_dates(tree) -> list[str]:
    """Every ISO date in the battle map figure's traces."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("bar", "scatter") and "x" in node or "base" in node:
                for key in ("x", "base"):
                    values = node.get(key)
                    if isinstance(values, list):
                        found.extend(v for v in values if isinstance(v, str) and v[:4].isdigit())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(tree)
    return found


def test_the_grid_shows_an_unusable_draft_value_as_blank_with_a_notice_and_takes_a_fix(
    demo_engine, legacy_app
):
    app, legacy = legacy_app
    client = _client(app, demo_engine, "yunxian")
    shown = _call(app, client, "show_report_month", {"rp-month.value": NOVEMBER.isoformat()})
    rows = shown["response"]["rp-grid"]["rowData"]
    row = next(r for r in rows if r["project_id"] == legacy.draft.id)
    assert row["completed_month"] is None and row["progress_pct"] is None
    assert "无法使用" in row["message"] and "本月完成投资" in row["message"]
    fixed = {
        **row,
        "completed_month": 12.5,
        "progress_pct": 40,
        "progress_text": "主体施工",
        "reporter": "李四",
    }
    saved = _call(
        app,
        client,
        "save_report_drafts",
        {
            "rp-save.n_clicks": 1,
            "rp-grid.rowData": [fixed],
            "rp-grid.virtualRowData": [fixed],
            "rp-period.data": NOVEMBER.isoformat(),
        },
    )
    assert "已保存 1" in json.dumps(saved, ensure_ascii=False) or "1" in json.dumps(saved)
    with read_session(demo_engine) as s:
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == legacy.draft.id)
            .where(MonthlyReport.period == NOVEMBER)
        ).one()
    assert float(report.completed_month) == 12.5 and report.progress_pct == 40


def test_exports_answer_around_bad_stored_values(demo_engine, legacy_app):
    app, legacy = legacy_app
    viewer = _client(app, demo_engine, "leader")
    with read_session(demo_engine) as s:
        ids = [p for p in s.exec(select(Project.id)).all()]
    listed = _call(
        app,
        viewer,
        "download_project_view",
        {
            "pl-download.n_clicks": 1,
            "pl-grid.virtualRowData": [{"id": i} for i in ids],
            "pl-columns.value": None,
        },
    )
    assert listed["response"]["pl-download-file"]["data"]["content"]
    lead = _client(app, demo_engine, "yunxian")
    form = _call(
        app,
        lead,
        "download_report_form",
        {"rp-form-download.n_clicks": 1, "rp-period.data": NOVEMBER.isoformat()},
    )
    assert form["response"]["rp-form-file"]["data"]["content"]
