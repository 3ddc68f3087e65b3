"""A county lead's report page is kept while no write touches the county's projects (#15),
and never served after one: two apps on one database stand for two gunicorn workers; what a
worker serves is the page a worker without any cache builds."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import router
from tests.web.test_page_cache import _app, _client, _responses
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import MonthlyReport, Project, User
from tracker.services.auth import Actor
from tracker.services.reports import ReportValues, return_report, save_draft

NOVEMBER = date(2026, 11, 1)  # the demo's open month on DEMO_AS_OF


def _page(client, search: str = "") -> str:
    response = client.post(
        "/_dash-update-component",
        json=router("/reports", search),
        headers={"Accept-Encoding": "identity"},
    )
    assert response.status_code == 200, response.status_code
    return json.dumps(response.get_json(), ensure_ascii=False)


def _fresh(engine, username: str = "yunxian") -> str:
    """The page as a new worker (nothing kept) builds it."""
    return _page(_client(_app(engine), engine, username))


def _actor(engine, username: str) -> Actor:
    with read_session(engine) as s:
        return Actor.of(s.exec(select(User).where(User.username == username)).one())


def _report(engine, county: str) -> MonthlyReport:
    """The first of ``county``'s submitted reports of the open month."""
    with read_session(engine) as s:
        return s.exec(
            select(MonthlyReport)
            .join(Project, Project.id == MonthlyReport.project_id)
            .where(Project.county == county)
            .where(MonthlyReport.period == NOVEMBER)
            .where(MonthlyReport.status == "submitted")
            .order_by(MonthlyReport.project_id)
        ).first()


def _return(engine, report: MonthlyReport, comment: str) -> MonthlyReport:
    with write_session(engine) as s:
        returned = return_report(
            s,
            actor=_actor(engine, "admin"),
            project_id=report.project_id,
            period=NOVEMBER,
            comment=comment,
            seen_version=report.version,
            today=DEMO_AS_OF,
        )
        s.expunge(returned)
        return returned


def _hit(app, ask) -> tuple[str, bool]:
    """What ``ask()`` answered, and whether the app served it from a kept response."""
    hits = _responses(app).hits
    answer = ask()
    return answer, _responses(app).hits == hits + 1


def test_the_lead_s_page_asked_again_is_the_kept_one_and_the_one_built_afresh(demo_engine):
    app = _app(demo_engine)
    client = _client(app, demo_engine, "yunxian")
    first = _page(client)
    again, kept = _hit(app, lambda: _page(client))
    assert kept and again == first == _fresh(demo_engine)


def test_a_write_in_the_county_is_on_the_next_page_the_other_worker_serves(demo_engine):
    reader = _app(demo_engine)  # holds the lead's page; the writes go through the services
    client = _client(reader, demo_engine, "yunxian")
    lead = _actor(demo_engine, "yunxian")
    _page(client)

    returned = _return(demo_engine, _report(demo_engine, lead.county), "请补充形象进度照片说明")
    after_return, kept = _hit(reader, lambda: _page(client))
    assert not kept and "请补充形象进度照片说明" in after_return
    assert after_return == _fresh(demo_engine)

    with write_session(demo_engine) as s:
        save_draft(
            s,
            actor=lead,
            project_id=returned.project_id,
            period=NOVEMBER,
            values=ReportValues(progress_text="主体结构施工", problems="雨季影响土方外运"),
            seen_version=returned.version,
            today=DEMO_AS_OF,
            settings=load_settings(env={}),
        )
    after_draft, kept = _hit(reader, lambda: _page(client))
    assert not kept and "雨季影响土方外运" in after_draft
    assert after_draft == _fresh(demo_engine)


def test_a_write_in_another_county_keeps_the_lead_s_page(demo_engine):
    reader = _app(demo_engine)
    client = _client(reader, demo_engine, "yunxian")
    before = _page(client)
    lead = _actor(demo_engine, "yunxian")
    elsewhere = _report(demo_engine, "临翔区")
    assert elsewhere is not None and lead.county != "临翔区"
    _return(demo_engine, elsewhere, "其他县的退回")
    again, kept = _hit(reader, lambda: _page(client))
    assert kept and again == before == _fresh(demo_engine)


def test_a_project_moved_into_the_county_is_on_the_next_page(demo_engine):
    reader = _app(demo_engine)
    client = _client(reader, demo_engine, "yunxian")
    _page(client)
    lead = _actor(demo_engine, "yunxian")
    moved = _report(demo_engine, "临翔区")
    with write_session(demo_engine) as s:
        project = s.get(Project, moved.project_id)
        project.county = lead.county
        s.add(project)
        code = project.code
    after, kept = _hit(reader, lambda: _page(client))
    assert not kept and code in after
    assert after == _fresh(demo_engine)


def test_the_office_s_page_and_a_month_asked_by_address_are_not_kept(demo_engine):
    app = _app(demo_engine)
    office = _client(app, demo_engine, "admin")
    lead = _client(app, demo_engine, "yunxian")
    for ask in (lambda: _page(office), lambda: _page(lead, "?month=2026-11")):
        first = ask()
        again, kept = _hit(app, ask)
        assert not kept and again == first


def _grid_rows(answer: dict) -> list[dict]:
    from tracker.web.views.reports import ReportsIds

    return answer["response"][ReportsIds.GRID]["rowData"]


def test_a_save_s_answer_shows_what_it_saved_and_the_next_save_on_it_is_accepted(demo_engine):
    """A save's answer is read under the version its own write made, never under the one the
    request read with its login session before writing (under 200 users the answer came
    back from the rows kept before the save: the old version, so the lead's next save
    was refused as somebody else's)."""
    from tests.web.dashcalls import forge
    from tracker.web.views.reports import ReportsIds

    app = _app(demo_engine)
    client = _client(app, demo_engine, "yunxian")
    lead = _actor(demo_engine, "yunxian")
    returned = _return(demo_engine, _report(demo_engine, lead.county), "请核对投资数")
    _page(client)  # the page, and with it the lines, kept under the version before the saves
    shown = client.post(
        "/_dash-update-component",
        json=forge(app, "show_report_month", {f"{ReportsIds.MONTH}.value": NOVEMBER.isoformat()}),
    ).get_json()
    rows = _grid_rows(shown)
    for attempt in ("第一次保存的问题", "第二次保存的问题"):
        row = next(r for r in rows if r["project_id"] == returned.project_id)
        assert row.get("editable"), row
        edited = {**row, "problems": attempt}
        answer = client.post(
            "/_dash-update-component",
            json=forge(
                app,
                "save_report_drafts",
                {
                    f"{ReportsIds.SAVE}.n_clicks": 1,
                    f"{ReportsIds.GRID}.rowData": rows,
                    f"{ReportsIds.GRID}.virtualRowData": [
                        edited if r["row_id"] == row["row_id"] else r for r in rows
                    ],
                    f"{ReportsIds.PERIOD}.data": NOVEMBER.isoformat(),
                },
            ),
        ).get_json()
        rows = _grid_rows(answer)
        mine = next(r for r in rows if r["project_id"] == returned.project_id)
        assert not mine.get("conflict") and not mine.get("message"), mine
        with read_session(demo_engine) as s:
            stored = s.exec(
                select(MonthlyReport)
                .where(MonthlyReport.project_id == returned.project_id)
                .where(MonthlyReport.period == NOVEMBER)
            ).one()
        assert stored.problems == attempt
        assert mine["version"] == stored.version, "the answer holds the row as saved"
        assert mine["problems"] == attempt
