"""No workbook the product exports carries a formula made of user text (CSV/formula
injection, OWASP), and user text reads back exactly as it was stored.

Hostile text is stored where users put text (project names, units, contacts, scope,
milestone names and notes, monthly report texts, ledger items) in the demo office, then
every exporter is run through the path the product uses: the project list
(``services.plan_import.export_project_list_bytes``), the project view download (the
``download_project_view`` callback over HTTP), the bulletin (live, and frozen at close), and
the county's report form (``services.reports.report_form``).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge
from tests.web.signin import sign_in
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.domain.periods import month_start
from tracker.excel.bulletin import bulletin_workbook
from tracker.excel.cells import FORMULA_TRIGGERS
from tracker.models import Milestone, MonthlyReport, ProblemItem, Project, User
from tracker.services.auth import SYSTEM, Actor
from tracker.services.bulletin import build_bulletin, freeze
from tracker.services.plan_import import export_project_list_bytes
from tracker.services.reports import report_form, scoped_projects
from tracker.web.app import create_app
from tracker.web.views.projects import COLUMNS, ProjectsIds

PAYLOADS = (
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "=1+1",
    "=cmd|' /C calc'!A0",
    "#N/A",
)
COUNTY = "云县"
PERIOD = month_start(DEMO_AS_OF)
# every field a user types text into: the project's, then those of what belongs to it
PROJECT_TEXT = (
    "name",
    "lead_unit",
    "responsible_units",
    "contact_person",
    "contact_phone",
    "scope",
)
PROJECT_PARTS_TEXT = (
    (Milestone, ("name", "note")),
    (
        MonthlyReport,
        ("progress_text", "milestone_status", "problems", "next_steps", "coordination", "reporter"),
    ),
    (ProblemItem, ("text", "owner")),
)


@pytest.fixture
def hostile(demo_engine):
    """The demo office with a payload in every user-text field of some of 云县's projects
    that report this month (one payload per project, so each is a whole project name)."""
    with write_session(demo_engine) as session:
        lead = session.exec(select(User).where(User.county == COUNTY)).one()
        # projects that report this month, so the county's report form lists them too
        projects = scoped_projects(session, actor=Actor.of(lead), period=PERIOD)
        assert len(projects) >= len(PAYLOADS)
        for project, text in zip(projects, PAYLOADS, strict=False):
            for field in PROJECT_TEXT:
                setattr(project, field, text)
            session.add(project)
            for model, fields in PROJECT_PARTS_TEXT:
                for row in session.exec(select(model).where(model.project_id == project.id)).all():
                    for field in fields:
                        setattr(row, field, text)
                    session.add(row)
    return demo_engine


def cells(data: bytes) -> Iterator:
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def check(data: bytes, expected: tuple[str, ...] = PAYLOADS) -> int:
    """No formula and no error cell anywhere; every payload read back unchanged as the
    whole value of at least one cell, and such cells marked to stay text when edited."""
    values: set[str] = set()
    count = 0
    for cell in cells(data):
        assert cell.data_type not in ("f", "e"), (cell.coordinate, cell.value, cell.data_type)
        if isinstance(cell.value, str):
            values.add(cell.value)
            if cell.value in PAYLOADS and cell.value.startswith(FORMULA_TRIGGERS):
                assert cell.quotePrefix, (cell.coordinate, cell.value)
        count += 1
    missing = [p for p in expected if p not in values]
    assert not missing, f"not read back unchanged: {missing}"
    return count


def test_the_project_list_export(hostile):
    with read_session(hostile) as session:
        data = export_project_list_bytes(session, actor=SYSTEM, as_of=DEMO_AS_OF)
    assert check(data) > 0


def test_the_project_view_download(hostile):
    app = create_app(load_settings(env={}), hostile, today=lambda: DEMO_AS_OF)
    client = app.server.test_client()
    with read_session(hostile) as session:
        admin = session.exec(select(User).where(User.username == "admin")).one()
        ids = session.exec(select(Project.id).order_by(Project.id)).all()
    sign_in(client, hostile, admin)
    body = forge(
        app,
        "download_project_view",
        {
            f"{ProjectsIds.DOWNLOAD}.n_clicks": 1,
            f"{ProjectsIds.GRID}.virtualRowData": [{"id": i} for i in ids],
            f"{ProjectsIds.GRID}.columnState": None,
            f"{ProjectsIds.COLUMNS}.value": [c.key for c in COLUMNS],
        },
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.text[:300]
    sent = response.get_json()["response"][ProjectsIds.DOWNLOAD_FILE]["data"]
    assert sent["base64"]
    assert check(base64.b64decode(sent["content"])) > 0


@pytest.mark.parametrize("frozen", [False, True], ids=["live", "frozen"])
def test_the_bulletin(hostile, frozen):
    settings = load_settings(env={})
    if frozen:
        with write_session(hostile) as session:
            freeze(session, period=PERIOD, today=DEMO_AS_OF, settings=settings)
    with read_session(hostile) as session:
        bulletin = build_bulletin(
            session, actor=SYSTEM, period=PERIOD, today=DEMO_AS_OF, settings=settings
        )
    assert check(bulletin_workbook(bulletin)) > 0


def test_the_report_form(hostile):
    with read_session(hostile) as session:
        lead = session.exec(select(User).where(User.county == COUNTY)).first()
        assert lead is not None and lead.role == "county"
        data = report_form(
            session,
            actor=Actor.of(lead),
            period=PERIOD,
            today=DEMO_AS_OF,
            settings=load_settings(env={}),
        )
    assert check(data) > 0
