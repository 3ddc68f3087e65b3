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
