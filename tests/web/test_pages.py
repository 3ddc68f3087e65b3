"""Pages and read-only callbacks over HTTP (no browser): bell, downloads, filters."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge
from tracker.config import load_settings
from tracker.db import write_session
from tracker.models import Notification, Project, User
from tracker.web.app import create_app
from tracker.web.shell import ShellIds


def _client(engine, username: str):
    app = create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)
    with write_session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
    client = app.server.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.version}"
    return app, client, user


def _notify(engine, user_id: int, n: int, **fields) -> None:
    with write_session(engine) as s:
        for i in range(n):
            values = {
                "user_id": user_id,
                "channel": "inapp",
                "reason": "due_soon",
                "dedupe_key": f"{fields.get('channel', 'inapp')}:{user_id}:{i}:{fields.get('read_at')}",
                "subject": "节点即将到期",
                **fields,
            }
            s.add(Notification(**values))


def test_the_bell_counts_unread_in_app_notifications_of_the_user(demo_engine):
    app, client, user = _client(demo_engine, "yunxian")
    _notify(demo_engine, user.id, 3)
    _notify(demo_engine, user.id, 2, read_at=datetime(2026, 11, 1, tzinfo=UTC))
    _notify(demo_engine, user.id, 4, channel="email")
    layout = client.get("/_dash-layout").get_json()
    text = str(layout)
    assert ShellIds.BELL in text and "'label': '3'" in text
    body = forge(app, "refresh_bell", {f"{ShellIds.BELL_TIMER}.n_intervals": 1})
    response = client.post("/_dash-update-component", json=body).get_json()
    assert response["response"][ShellIds.BELL] == {"label": "3", "disabled": False}


def test_the_excel_export_holds_the_rows_and_columns_of_the_view_in_order(demo_engine):
    app, client, _ = _client(demo_engine, "leader")
    with write_session(demo_engine) as s:
        projects = s.exec(select(Project).order_by(Project.id).limit(3)).all()
        projects[0].name = '=HYPERLINK("http://evil")'
        ids = [p.id for p in projects]
    shown = [{"id": ids[2]}, {"id": ids[0]}]
    state = [
        {"colId": "name", "hide": False},
        {"colId": "code", "hide": False},
        {"colId": "county", "hide": True},
    ]
    body = forge(
        app,
        "download_project_view",
        {"pl-download.n_clicks": 1, "pl-grid.virtualRowData": shown, "pl-grid.columnState": state},
    )
    data = client.post("/_dash-update-component", json=body).get_json()
    download = data["response"]["pl-download-file"]["data"]
    assert download["filename"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == ["项目名称", "项目编号"]
    assert [r[1] for r in rows[1:]] == [projects[2].code, projects[0].code]
    assert rows[2][0] == '=HYPERLINK("http://evil")'
    assert sheet["A5"].data_type == "s"


def test_a_project_list_filter_travels_to_the_url(demo_engine):
    app, client, _ = _client(demo_engine, "leader")
    body = forge(app, "refresh_project_list", {"pl-county.value": "云县", "pl-light.value": "red"})
    response = client.post("/_dash-update-component", json=body).get_json()["response"]
    rows = response["pl-grid"]["rowData"]
    assert (
        rows and {r["county"] for r in rows} == {"云县"} and {r["light"] for r in rows} == {"red"}
    )
    assert response["pl-url-sync"]["data"] == "county=%E4%BA%91%E5%8E%BF&light=red"
