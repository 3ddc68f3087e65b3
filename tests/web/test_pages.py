"""Pages and read-only callbacks over HTTP (no browser): bell, downloads, filters."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge, render
from tests.web.signin import sign_in, user_frame
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
    sign_in(client, engine, user)
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
    assert user_frame(client)[ShellIds.BELL] == {"label": "3", "disabled": False}
    body = forge(app, "user_frame", {f"{ShellIds.BELL_TIMER}.n_intervals": 1})
    response = client.post("/_dash-update-component", json=body).get_json()
    assert response["response"][ShellIds.BELL] == {"label": "3", "disabled": False}


def test_the_excel_export_holds_the_rows_and_columns_of_the_view_in_order(demo_engine):
    app, client, _ = _client(demo_engine, "leader")
    with write_session(demo_engine) as s:
        projects = s.exec(select(Project).order_by(Project.id).limit(3)).all()
        projects[0].name = '=HYPERLINK("http://evil")'
        ids = [p.id for p in projects]
    shown = [{"id": ids[2]}, {"id": ids[0]}]
    state = [{"colId": "name"}, {"colId": "code"}, {"colId": "county"}]  # the grid's order
    body = forge(
        app,
        "download_project_view",
        {
            "pl-download.n_clicks": 1,
            "pl-grid.virtualRowData": shown,
            "pl-grid.columnState": state,
            "pl-columns.value": ["code", "name"],  # the choice: what is shown
        },
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


def _render(client, path: str, search: str = "") -> dict:
    client.get("/")  # registers the pages router
    response = render(client, path, search)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


def _find(tree, component_id):
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == component_id:
            return props
        for value in props.values():
            found = _find(value, component_id)
            if found:
                return found
    if isinstance(tree, list):
        for item in tree:
            found = _find(item, component_id)
            if found:
                return found
    return None


def test_a_link_with_edit_opens_the_form_for_those_who_may_edit(demo_engine):
    from tracker.models import Milestone

    with write_session(demo_engine) as s:
        project = s.exec(
            select(Project).where(Project.county == "云县").order_by(Project.id)
        ).first()
        milestone = s.exec(select(Milestone).where(Milestone.project_id == project.id)).first()
    _, own, _ = _client(demo_engine, "yunxian")
    page = _render(own, f"/projects/{project.id}", f"?edit={milestone.id}")
    assert _find(page, "pj-modal")["opened"] is True
    assert _find(page, "pj-form")["data"] == {
        "milestone_id": milestone.id,
        "version": milestone.version,
    }
    _, other, _ = _client(demo_engine, "cangyuan")
    page = _render(other, f"/projects/{project.id}", f"?edit={milestone.id}")
    assert _find(page, "pj-modal")["opened"] is False
    assert "没有权限" in str(page)


def test_the_project_page_says_its_refusals_in_the_readers_language(demo_engine):
    import re

    with write_session(demo_engine) as s:
        project = s.exec(select(Project).order_by(Project.id)).first()
    _, client, _ = _client(demo_engine, "admin")
    with client.session_transaction() as flask_session:
        flask_session["lang"] = "en"
    missing = str(_render(client, "/projects/99999999"))
    assert "No such project" in missing and "项目不存在" not in missing
    page = _render(client, f"/projects/{project.id}", "?edit=99999999")
    alert = str(page)
    assert "No such milestone" in alert and "节点不存在" not in alert
    assert _find(page, "pj-modal")["opened"] is False
    with client.session_transaction() as flask_session:
        flask_session["lang"] = "zh"
    assert "项目不存在" in str(_render(client, "/projects/abc"))
    assert re.search("节点不存在", str(_render(client, f"/projects/{project.id}", "?edit=x")))
