"""One regression test per finding of the attack run behind #12 ("No input, session or stored
value can break the month"). Each goes through the app as the attacker did (the login form,
forged POSTs to /_dash-update-component) or through the public service API, so it runs
against the code before #12 too — and fails there (checked when #12 was built)."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from flask.sessions import SecureCookieSessionInterface
from openpyxl import load_workbook
from sqlalchemy import text
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.factories import make_project, make_user
from tests.web.dashcalls import forge, render
from tests.web.signin import logout_token
from tests.web.test_authorization_matrix import (
    NOVEMBER,
    _november_report,
    _world,
    form_workbook,
    grid_row,
    grid_values,
    snapshot,
    upload_url,
)
from tracker.config import ROOT, SettingsError, load_settings
from tracker.db import read_session, write_session
from tracker.models import Milestone, MonthlyReport, PeriodSnapshot, ProblemItem, Project, User
from tracker.services import cycle
from tracker.services.auth import Actor
from tracker.services.report_entry import RowInput, save_rows
from tracker.services.reports import ReportValues
from tracker.web.app import create_app


def _app(engine, **settings):
    return create_app(
        load_settings(env={}, **settings),
        engine,
        today=lambda: DEMO_AS_OF,
        run_job=lambda f, *a: f(*a),
    )


def _login(app, username: str):
    """A browser signed in through the login form."""
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    client.get("/")  # the first page load registers Dash's pages router
    return client


def _post(app, client, name: str, values: dict, pattern: dict | None = None):
    return client.post("/_dash-update-component", json=forge(app, name, values, pattern))


def _grid(project_id: int, version: int, **cells) -> dict:
    row = grid_row(project_id, version, status="draft", **cells)
    return grid_values(row, **{"rp-save.n_clicks": 1})


def _november(engine, project_id: int) -> MonthlyReport | None:
    with read_session(engine) as s:
        return s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == project_id)
            .where(MonthlyReport.period == NOVEMBER)
        ).first()


# --- 1. a county lead saves 1e27 (or a 5,000-digit number); the month cannot close ------------


def _lead_with_a_november_draft(demo_engine):
    """The world with a November draft of its project, the app, the county lead signed in
    and a snapshot of every table before anything is sent."""
    world = _world(demo_engine)
    _november_report(world, "draft")
    app = _app(demo_engine)
    lead = _login(app, world.users["county_own"].username)
    return world, app, lead, snapshot(demo_engine)


def _grid_save_refused(demo_engine, value) -> str:
    """A county lead saves ``value`` as this month's amount of a November draft in the grid:
    the answer is a page (not a 500), nothing is written; what the page shows, as text."""
    world, app, lead, before = _lead_with_a_november_draft(demo_engine)
    response = _post(
        app,
        lead,
        "save_report_drafts",
        _grid(world.project.id, world.made["report_version"], completed_month=value),
    )
    assert response.status_code == 200
    assert snapshot(demo_engine) == before
    return json.dumps(response.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("value", [1e27, "1e27", "9" * 5000, 1e15])
def test_1_an_absurd_amount_in_the_grid_is_refused_with_the_field_named(demo_engine, value):
    shown = _grid_save_refused(demo_engine, value)
    assert "本月完成投资" in shown and ("超过上限" in shown or "科学计数法" in shown)


def test_1_a_stored_absurd_amount_no_longer_breaks_the_bulletin_its_download_or_the_close(
    demo_engine,
):
    world = _world(demo_engine)
    _november_report(world, "submitted")
    with demo_engine.begin() as conn:  # as an earlier version of the app stored it
        conn.execute(
            text(
                "UPDATE monthlyreport SET completed_month = 1e27, completed_ytd = 1e27,"
                " completed_total = 9e999 WHERE project_id = :p AND period = :m"
            ),
            {"p": world.project.id, "m": NOVEMBER.isoformat()},
        )
    app = _app(demo_engine)
    for username in ("leader", world.users["county_own"].username, "admin"):
        client = _login(app, username)
        shown = _post(app, client, "show_bulletin", {"bl-month.value": NOVEMBER.isoformat()})
        assert shown.status_code == 200
        assert world.project.code in shown.get_data(as_text=True)  # named as left out
        download = _post(
            app,
            client,
            "download_bulletin",
            {"bl-download.n_clicks": 1, "bl-month.value": NOVEMBER.isoformat()},
        )
        assert download.status_code == 200
        content = download.get_json()["response"]["bl-download-file"]["data"]["content"]
        load_workbook(io.BytesIO(base64.b64decode(content)))
    office = _login(app, "admin")
    closed = _post(
        app,
        office,
        "compile_bulletin_now",
        {"bl-compile-confirm.n_clicks": 1, "bl-month.value": NOVEMBER.isoformat()},
    )
    assert closed.status_code == 200
    with read_session(demo_engine) as s:
        frozen = s.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == NOVEMBER)).first()
    assert frozen is not None
    assert frozen.payload["totals"]["completed_ytd"] < 1e12


def _pg_world(engine):
    with write_session(engine) as s:
        row = cycle.ensure_period(s, period=NOVEMBER, settings=load_settings(env={}))
        row.status = "open"
        s.add(row)
        projects = [make_project(s, county="云县") for _ in range(3)]
        lead = make_user(s, "county", county="云县")
        return [p.id for p in projects], Actor.of(lead)


def _values(**fields) -> ReportValues:
    base = {
        "completed_month": Decimal("10"),
        "progress_pct": 50.0,
        "progress_text": "主体施工",
        "reporter": "李明",
    }
    return ReportValues(**{**base, **fields})


def test_1_on_postgresql_an_amount_from_1e15_is_refused_not_a_500(engine):
    ids, lead = _pg_world(engine)
    outcomes = save_rows(
        engine,
        actor=lead,
        period=NOVEMBER,
        rows=[RowInput(ids[0], 0, _values(completed_month=Decimal("1e15")))],
        submit=False,
        today=DEMO_AS_OF,
        settings=load_settings(env={}),
    )
    assert not outcomes[0].ok
    assert "本月完成投资" in json.dumps(
        [p.message for p in outcomes[0].problems], ensure_ascii=False
    )
    assert _november(engine, ids[0]) is None


# --- 2. a milestone moved to 9999-12-31 blanks the battle map; the PDF answers 500 -----------


def test_2_a_reschedule_to_year_9999_is_refused(demo_engine):
    world = _world(demo_engine)
    app = _app(demo_engine)
    lead = _login(app, world.users["county_own"].username)
    response = _post(
        app,
        lead,
        "save_milestone_reschedule",
        {
            "pj-reschedule-save.n_clicks": 1,
            "pj-form.data": {
                "milestone_id": world.milestone.id,
                "version": world.milestone.version,
            },
            "pj-new-date.value": "9999-12-31",
            "pj-reason.value": "征地延迟",
        },
    )
    assert response.status_code == 200
    assert "超出可填范围" in response.get_data(as_text=True) or "2100" in json.dumps(
        response.get_json(), ensure_ascii=False
    )
    with read_session(demo_engine) as s:
        assert s.get(Milestone, world.milestone.id).planned_date.year < 2100


def test_2_a_stored_year_9999_milestone_leaves_the_battle_map_drawn_and_the_pdf_answering(
    demo_engine,
):
    world = _world(demo_engine)
    with demo_engine.begin() as conn:
        conn.execute(
            text("UPDATE milestone SET planned_date = '9999-12-31' WHERE id = :i"),
            {"i": world.milestone.id},
        )
    app = _app(demo_engine)
    viewer = _login(app, "leader")
    page = render(viewer, "/battle-map")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    years = {int(y) for y in re.findall(r'"(\d{4})-\d{2}-\d{2}"', body)}
    assert years and max(years) <= 2100  # nothing drawn in year 9999 …
    assert "9999-12-31" in body  # … and the page says which date it left out
    pdf = viewer.post(
        "/_dash-update-component",
        json=forge(
            app, "export_battle_map", {"bm-export-pdf.n_clicks": 1, "bm-state.data": {"query": ""}}
        )
        | {"changedPropIds": ["bm-export-pdf.n_clicks"]},
    )
    assert pdf.status_code == 200
    assert pdf.get_json()["response"]["bm-download"]["data"]["content"]


# --- 3. logging out does not end the session -------------------------------------------------


def test_3_a_cookie_copied_before_logout_saves_no_milestone_note_after_it(demo_engine):
    world = _world(demo_engine)
    app = _app(demo_engine)
    lead = _login(app, world.users["county_own"].username)
    thief = app.server.test_client()
    thief.set_cookie("tracker_session", lead.get_cookie("tracker_session").value)
    token = logout_token(lead)
    assert lead.post("/logout", data={"csrf_token": token}).status_code == 302
    response = _post(
        app,
        thief,
        "save_milestone_note",
        {
            "pj-note-save.n_clicks": 1,
            "pj-form.data": {
                "milestone_id": world.milestone.id,
                "version": world.milestone.version,
            },
            "pj-note.value": "written after logout",
        },
    )
    assert response.status_code == 401
    with read_session(demo_engine) as s:
        assert s.get(Milestone, world.milestone.id).note != "written after logout"


# --- 4. the example's SECRET_KEY passes; a forged cookie makes an admin account --------------


def test_4_the_deployment_example_s_secret_key_does_not_start_production():
    example = (ROOT / "docs" / "deploy" / "tracker.env.example").read_text(encoding="utf-8")
    keys = re.findall(r"^SECRET_KEY=(.*)$", example, re.MULTILINE)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings(env={"TRACKER_ENV": "production", "SECRET_KEY": keys[0].strip()})


def test_4_a_cookie_forged_with_a_known_key_creates_no_account(demo_engine):
    key = "CHANGE-ME-TO-48-RANDOM-CHARACTERS-AT-LEAST-32-LONG"
    app = _app(demo_engine, SECRET_KEY=key)
    with read_session(demo_engine) as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
    forged = SecureCookieSessionInterface().get_signing_serializer(app.server)
    client = app.server.test_client()
    client.set_cookie(
        "tracker_session",
        forged.dumps({"_user_id": f"{admin.id}:{admin.version}", "_fresh": True}),
    )
    response = _post(
        app,
        client,
        "add_user",
        {
            "ad-add-save.n_clicks": 1,
            "ad-add-username.value": "intruder",
            "ad-add-name.value": "x",
            "ad-add-role.value": "admin",
            "ad-add-password.value": "a-long-password",
        },
    )
    assert response.status_code == 401
    with read_session(demo_engine) as s:
        assert s.exec(select(User).where(User.username == "intruder")).first() is None


# --- 5. concurrent wrong passwords: tests/web/test_login_concurrency.py (SQLite, PostgreSQL) ---

# --- 6. a three-row save on PostgreSQL: row 1 committed, row 2 a 500, row 3 never tried ---------


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"progress_text": "长" * 4001}, "形象进度说明"),
        ({"reporter": "李" * 51}, "填报人"),
        ({"problems": "资金\x00未到位"}, "存在问题"),
    ],
    ids=["text-4001", "reporter-51", "nul"],
)
def test_6_a_bad_row_in_a_batch_is_refused_alone_and_the_rest_saved(engine, bad, field):
    ids, lead = _pg_world(engine)
    outcomes = save_rows(
        engine,
        actor=lead,
        period=NOVEMBER,
        rows=[
            RowInput(ids[0], 0, _values()),
            RowInput(ids[1], 0, _values(**bad)),
            RowInput(ids[2], 0, _values()),
        ],
        submit=False,
        today=DEMO_AS_OF,
        settings=load_settings(env={}),
    )
    assert [o.ok for o in outcomes] == [True, False, True]
    said = " ".join([str(outcomes[1].message)] + [p.message for p in outcomes[1].problems])
    assert field in said
    assert _november(engine, ids[0]) is not None and _november(engine, ids[2]) is not None
    assert _november(engine, ids[1]) is None


# --- 7. NaN, Infinity, 0x10, 1e-400 saved as 0 with "已保存"; a NaN cell in a form: a 500 ----------


@pytest.mark.parametrize("value", ["NaN", "Infinity", "0x10", "1e-400", "abc"])
def test_7_a_value_that_is_not_a_plain_number_is_refused_not_saved_as_zero(demo_engine, value):
    shown = _grid_save_refused(demo_engine, value)
    assert "本月完成投资" in shown and "已保存 1" not in shown


def test_7_a_nan_money_cell_in_an_uploaded_form_is_a_row_error_not_a_500(demo_engine):
    from tracker.excel.report_form import FIRST_ROW, LETTER, SHEET

    world, app, lead, before = _lead_with_a_november_draft(demo_engine)
    data = form_workbook(world, status="draft", problems="")
    book = load_workbook(io.BytesIO(data))
    book[SHEET][f"{LETTER['completed_month']}{FIRST_ROW}"] = "NaN"  # typed into the cell
    out = io.BytesIO()
    book.save(out)
    response = _post(
        app,
        lead,
        "upload_report_form",
        {
            "rp-upload.contents": upload_url(out.getvalue()),
            "rp-upload.filename": "月度调度表.xlsx",
            "rp-upload-draft.checked": True,
        },
    )
    assert response.status_code == 200
    assert "本月完成投资" in json.dumps(response.get_json(), ensure_ascii=False)
    assert snapshot(demo_engine) == before


# --- 8. a viewer's download repeats every id it is sent ----------------------------------------


def test_8_a_download_holds_each_project_once_however_often_its_id_is_sent(demo_engine):
    app = _app(demo_engine)
    viewer = _login(app, "leader")
    with read_session(demo_engine) as s:
        first = s.exec(select(Project).order_by(Project.id)).first()
    response = _post(
        app,
        viewer,
        "download_project_view",
        {
            "pl-download.n_clicks": 1,
            "pl-grid.virtualRowData": [{"id": first.id}] * 2000 + [{"id": str(first.id)}],
            "pl-columns.value": ["code", "name"],
        },
    )
    assert response.status_code == 200
    content = response.get_json()["response"]["pl-download-file"]["data"]["content"]
    sheet = load_workbook(io.BytesIO(base64.b64decode(content))).active
    codes = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert codes == [first.code]


# --- 9. a report saved and submitted for a project not due this month ---------------------------


@pytest.mark.parametrize("action", ["save_report_drafts", "submit_reports"])
def test_9_a_report_for_a_project_not_due_this_month_is_refused(demo_engine, action):
    world = _world(demo_engine)
    with write_session(demo_engine) as s:
        project = s.get(Project, world.project.id)
        project.planned_start, project.actual_start = date(2027, 6, 1), None
        project.baseline_start = date(2027, 6, 1)
        s.add(project)
        for report in s.exec(
            select(MonthlyReport).where(MonthlyReport.project_id == project.id)
        ).all():
            if report.period >= NOVEMBER:
                for item in s.exec(
                    select(ProblemItem).where(ProblemItem.report_id == report.id)
                ).all():
                    s.delete(item)
                s.flush()
                s.delete(report)
    app = _app(demo_engine)
    lead = _login(app, world.users["county_own"].username)
    values = _grid(world.project.id, 0)
    if action == "submit_reports":
        values = {
            **{k: v for k, v in values.items() if k != "rp-save.n_clicks"},
            "rp-submit-selected.n_clicks": 1,
            "rp-grid.selectedRows": [{"row_id": str(world.project.id)}],
        }
    before = snapshot(demo_engine)
    response = _post(app, lead, action, values)
    assert response.status_code == 200
    assert snapshot(demo_engine) == before
    assert "无需填报" in json.dumps(response.get_json(), ensure_ascii=False)


# --- 10. the office's list refreshes answer 500 to others; /login?next= with CR/LF: a 500 -------


@pytest.mark.parametrize(
    ("name", "trigger"),
    [("refresh_users", "ad-users-refresh.data"), ("refresh_pending", "ad-pending-refresh.data")],
)
def test_10_the_office_s_list_refreshes_answer_other_roles_cleanly(demo_engine, name, trigger):
    app = _app(demo_engine)
    for username in ("leader", "yunxian", "kejiju"):
        client = _login(app, username)
        response = _post(app, client, name, {trigger: 1})
        assert response.status_code in (200, 204), (username, response.status_code)
        assert "yunxian" not in response.get_data(as_text=True)


def test_10_a_login_whose_next_address_carries_cr_lf_is_not_a_500(demo_engine):
    app = _app(demo_engine)
    client = app.server.test_client()
    target = "/projects\r\nSet-Cookie: evil=1"
    assert client.get("/login", query_string={"next": target}).status_code == 200
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"username": "leader", "password": DEMO_PASSWORD, "csrf_token": token, "next": target},
    )
    assert response.status_code == 302
    assert "\n" not in response.headers["Location"] and "evil" not in response.headers["Location"]


# --- 11. cookies are not Secure in production unless set -------------------------------------


def test_11_production_marks_the_session_cookie_secure_by_default(demo_engine):
    import secrets

    settings = load_settings(
        env={"TRACKER_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48)}
    )
    app = create_app(settings, demo_engine, today=lambda: DEMO_AS_OF)
    client = app.server.test_client()
    page = client.get("/login")
    cookie = next(h for h in page.headers.getlist("Set-Cookie") if h.startswith("tracker_session="))
    assert "Secure" in cookie
