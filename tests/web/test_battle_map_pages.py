"""The battle map page and the project page's slip trend over HTTP and as builders (no browser)."""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import plotly.graph_objects as go
import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge, render
from tests.web.signin import sign_in
from tests.web.test_authorization_matrix import snapshot
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.domain.rules import Thresholds
from tracker.gantt.figure import row_keys
from tracker.models import Milestone, MilestonePlanRecord, Project, User
from tracker.services.auth import Actor
from tracker.services.battle_map import ViewState
from tracker.services.projects import milestone_slip_history, project_detail
from tracker.web.app import create_app
from tracker.web.shell import NAV_ITEMS
from tracker.web.views import battle_map as view
from tracker.web.views.battle_map import BattleMapIds as Ids
from tracker.web.views.slips import streak_sentences

AREAS = ["绿色低碳发展", "推动旅游产业", "生态环境保护", "创新驱动发展"]
STATE = {"query": "", "page_count": 1, "areas": AREAS, "span": ["2025-01-01", "2029-11-30"]}


def demo_project_names(engine) -> list[str]:
    with read_session(engine) as s:
        return list(s.exec(select(Project.name)))


def _client(engine, username: str | None):
    app = create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)
    client = app.server.test_client()
    if username:
        with write_session(engine) as s:
            user = s.exec(select(User).where(User.username == username)).one()
        sign_in(client, engine, user)
    return app, client


def _change(app, client, trigger: str, value, state=None):
    values = {f"{trigger}": value, f"{Ids.STATE}.data": state or STATE}
    body = forge(app, "update_battle_map", values)
    body["changedPropIds"] = [trigger]
    return client.post("/_dash-update-component", json=body)


def test_the_battle_map_is_the_second_item_of_the_navigation():
    assert NAV_ITEMS[1][:2] == ("nav.battle_map", "/battle-map")


def test_a_county_chosen_on_the_page_filters_the_figure_and_goes_into_the_url(demo_engine):
    app, client = _client(demo_engine, "leader")
    before = snapshot(demo_engine)

    response = _change(app, client, f"{Ids.COUNTY}.value", "云县")

    assert response.status_code == 200
    out = response.get_json()["response"]
    assert parse_qs(out[Ids.URL_SYNC]["data"]) == {"county": ["云县"]}
    meta = out[Ids.CHART]["data"]["layout"]["meta"]
    with read_session(demo_engine) as s:
        in_county = len(s.exec(select(Project).where(Project.county == "云县")).all())
    assert meta["project_count"] == in_county
    assert out[Ids.STATE]["data"]["query"] == out[Ids.URL_SYNC]["data"]
    assert snapshot(demo_engine) == before


def test_a_click_on_a_group_folds_it_and_a_second_click_unfolds_it(demo_engine):
    app, client = _client(demo_engine, "leader")
    key = f"area:{AREAS[0]}"
    event = {"kind": "toggle", "key": key, "at": 1}

    folded = _change(app, client, f"{Ids.EVENT}.data", event).get_json()["response"]
    state = folded[Ids.STATE]["data"]
    unfolded = _change(app, client, f"{Ids.EVENT}.data", {**event, "at": 2}, state)

    assert parse_qs(folded[Ids.URL_SYNC]["data"]) == {"fold": [key]}
    rows = row_keys(go.Figure(folded[Ids.CHART]["data"]))
    assert rows[0] == key and rows[1] == f"area:{AREAS[1]}"
    assert unfolded.get_json()["response"][Ids.URL_SYNC]["data"] == ""


def test_the_meeting_timer_moves_on_to_the_next_area(demo_engine):
    app, client = _client(demo_engine, "leader")
    state = {**STATE, "query": ViewState(meeting=True, area=AREAS[0]).to_query()}

    out = _change(app, client, f"{Ids.TIMER}.n_intervals", 1, state).get_json()["response"]

    assert out[Ids.AREA]["value"] == AREAS[1]
    assert out[Ids.ROOT]["className"].endswith("bm-meeting")
    assert out[Ids.TIMER]["disabled"] is False


def test_nothing_happens_for_a_change_that_changes_no_view(demo_engine):
    app, client = _client(demo_engine, "leader")

    response = _change(app, client, f"{Ids.TIMER}.n_intervals", 3)  # not in a meeting

    assert response.status_code == 204


def test_someone_not_signed_in_gets_no_battle_map_from_a_forged_call(demo_engine):
    app, client = _client(demo_engine, None)

    assert _change(app, client, f"{Ids.COUNTY}.value", "云县").status_code == 401


@pytest.mark.parametrize("state", [None, 1, "x", {"query": 5, "areas": "abc", "span": [1]}])
def test_a_malformed_state_from_the_browser_is_survived(demo_engine, state):
    app, client = _client(demo_engine, "leader")
    values = {f"{Ids.COUNTY}.value": "云县", f"{Ids.STATE}.data": state}
    body = forge(app, "update_battle_map", values)
    body["changedPropIds"] = [f"{Ids.COUNTY}.value"]

    response = client.post("/_dash-update-component", json=body)

    assert response.status_code == 200
    assert parse_qs(response.get_json()["response"][Ids.URL_SYNC]["data"]) == {"county": ["云县"]}


def test_the_pdf_export_of_a_forged_call_is_the_filtered_view(demo_engine):
    app, client = _client(demo_engine, "leader")
    values = {f"{Ids.EXPORT_PDF}.n_clicks": 1, f"{Ids.STATE}.data": {"query": "county=云县"}}
    body = forge(app, "export_battle_map", values)
    body["changedPropIds"] = [f"{Ids.EXPORT_PDF}.n_clicks"]

    out = client.post("/_dash-update-component", json=body).get_json()["response"]

    download = out[Ids.DOWNLOAD]["data"]
    assert download["filename"] == "挂图作战_2026-11-28.pdf"
    assert base64.b64decode(download["content"]).startswith(b"%PDF-")


def test_the_page_layout_reads_the_whole_view_from_the_url(demo_engine):
    app, client = _client(demo_engine, "leader")
    query = "group=county&county=云县&zoom=year&fold=county%3A云县&meeting=1&every=30"
    client.get("/")

    response = render(client, "/battle-map", "?" + query)

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    state = ViewState.from_query(query)
    assert state.meeting and state.interval == 30
    # the first area (meeting mode picks one), the folded county, a 30-second timer
    assert '"interval":30000' in text.replace(" ", "")
    assert "bm-meeting" in text
    assert "county:云县" in text


# --- builders -------------------------------------------------------------------------------


def test_the_range_slider_stands_for_whole_months_of_the_plan():
    start = date(2025, 1, 1)

    assert view.slider_dates([12, 15], start) == (date(2026, 1, 1), date(2026, 4, 30))
    assert view.slider_dates([15, 12], start) == (date(2026, 1, 1), date(2026, 4, 30))
    for bad in (None, [1], [1, 1], ["a", 2], [True, 3], [-1, 4], 7):
        assert view.slider_dates(bad, start) is None


def test_next_view_ignores_what_it_does_not_understand():
    start = ViewState(county="云县")

    assert view.next_view(start, "bm-nonsense", 1, STATE) == start
    assert view.next_view(start, Ids.EVENT, {"kind": "explode"}, STATE) == start
    assert view.next_view(start, Ids.EVENT, "toggle", STATE) == start
    assert view.next_view(start, Ids.PAGER, "2", STATE) == start
    assert view.next_view(start, Ids.RANGE, [3, 9], {"span": ["garbage"]}) == start


def test_next_view_turns_controls_into_view_changes():
    start = ViewState()

    assert view.next_view(start, Ids.RANGE, [12, 17], STATE) == ViewState(
        zoom="custom", x_range=(date(2026, 1, 1), date(2026, 6, 30))
    )
    dragged = {"kind": "range", "from": "2026-02-03 11:00", "to": "2026-05-01"}
    assert view.next_view(start, Ids.EVENT, dragged, STATE).x_range == (
        date(2026, 2, 3),
        date(2026, 5, 1),
    )
    assert view.next_view(ViewState(zoom="year"), Ids.EVENT, {"kind": "autorange"}, STATE) == start
    assert view.next_view(start, Ids.MEETING, True, STATE) == ViewState(meeting=True, area=AREAS[0])
    assert view.next_view(ViewState(meeting=True), Ids.EXIT, 1, STATE) == start
    assert view.next_view(start, Ids.LIGHT, "", STATE) == start
    assert view.next_view(start, Ids.LIGHT, "red", STATE) == ViewState(light="red")


def test_the_png_of_the_modebar_is_named_after_the_day_and_drawn_at_twice_the_size():
    config = view.graph_config(DEMO_AS_OF, "zh")

    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": "挂图作战_2026-11-28",
        "scale": 2,
    }
    assert view.graph_config(DEMO_AS_OF, "en")["toImageButtonOptions"]["filename"] == (
        "battle_map_2026-11-28"
    )


# --- the slip trend of the project page -------------------------------------------------------


def _admin(engine) -> Actor:
    with read_session(engine) as s:
        return Actor.of(s.exec(select(User).where(User.username == "admin")).one())


def _streak_project(engine) -> int:
    with read_session(engine) as s:
        return s.exec(select(Project.id).where(Project.name == "耿马佤族文化智慧小镇项目")).one()


def test_the_demo_s_red_project_says_its_milestone_slipped_three_months_running(demo_engine):
    with read_session(demo_engine) as s:
        detail = project_detail(
            s,
            actor=_admin(demo_engine),
            project_id=_streak_project(demo_engine),
            as_of=DEMO_AS_OF,
            thresholds=Thresholds(),
        )

    assert detail.status.light.value == "red"
    assert streak_sentences(detail.slips, "zh") == [
        "节点“开工建设”已连续 3 个月推迟，计划日期由 2026-06-30 推至 2026-09-30"
    ]
    assert "slipped 3 months running" in streak_sentences(detail.slips, "en")[0]


def test_a_plan_moved_since_the_last_close_shows_as_the_next_dispatch_month(demo_engine):
    pid = _streak_project(demo_engine)
    with write_session(demo_engine) as s:
        first = s.exec(
            select(Milestone).where(Milestone.project_id == pid).order_by(Milestone.seq)
        ).all()[-1]
        first.planned_date = date(2028, 3, 31)
        s.add(first)
    with read_session(demo_engine) as s:
        detail = project_detail(
            s,
            actor=_admin(demo_engine),
            project_id=pid,
            as_of=DEMO_AS_OF,
            thresholds=Thresholds(),
        )
        last_close = max(
            r.period
            for r in s.exec(
                select(MilestonePlanRecord).where(
                    MilestonePlanRecord.milestone_id.in_([m.id for m in detail.milestones])  # type: ignore[attr-defined]
                )
            )
        )

    # On 28 November the last close is October's (November closes in December): the move is
    # shown under November, the month whose close will record it.
    assert last_close == date(2026, 10, 1)
    latest = [e for e in detail.slips if e[0] > last_close]
    assert {e[0] for e in latest} == {date(2026, 11, 1)}
    assert len(latest) == len(detail.milestones)  # every milestone, so months line up
    assert (date(2026, 11, 1), "竣工验收", date(2028, 3, 31)) in latest


def test_a_project_without_records_shows_its_current_plan_this_month(demo_engine):
    pid = _streak_project(demo_engine)
    with write_session(demo_engine) as s:
        for record in s.exec(select(MilestonePlanRecord)).all():
            s.delete(record)
    with read_session(demo_engine) as s:
        detail = project_detail(
            s, actor=_admin(demo_engine), project_id=pid, as_of=DEMO_AS_OF, thresholds=Thresholds()
        )
        history = milestone_slip_history(s, milestones=detail.milestones, as_of=DEMO_AS_OF)

    assert {e[0] for e in history} == {date(2026, 11, 1)}
    assert streak_sentences(history, "zh") == []


# --- the plotly.js bundle the charts load ------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
BASIC_TRACES = {"bar", "scatter", "pie"}  # what plotly.js's basic bundle draws


def test_the_vendored_plotly_bundle_is_the_plotly_js_of_the_python_package():
    from plotly.offline import get_plotlyjs_version

    loader = (ROOT / "assets" / "tracker.js").read_text(encoding="utf-8")
    name = re.search(r'"assets/vendor/(plotly-basic-[\d.]+\.min\.js)"', loader).group(1)
    bundle = ROOT / "assets" / "vendor" / name
    head = bundle.read_text(encoding="utf-8")[:200]

    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in head, (
        "plotly was upgraded: put the matching plotly.js-basic-dist-min in assets/vendor"
    )
    assert name == f"plotly-basic-{get_plotlyjs_version()}.min.js"


def test_every_chart_of_the_app_uses_trace_types_of_the_basic_bundle():
    import plotly.graph_objects as go
    from plotly.basedatatypes import BaseTraceType

    traces = {
        name.lower()
        for name in go.__all__
        if isinstance(getattr(go, name), type) and issubclass(getattr(go, name), BaseTraceType)
    }
    used: set[str] = set()
    for path in (ROOT / "tracker").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= {t for t in re.findall(r'"type":\s*"(\w+)"', source) if t in traces}
        used |= {t.lower() for t in re.findall(r"\bgo\.(\w+)\(", source) if t.lower() in traces}

    assert used and used <= BASIC_TRACES, sorted(used - BASIC_TRACES)


def test_the_bundle_is_loaded_on_demand_not_on_every_page(demo_engine):
    _, client = _client(demo_engine, "leader")

    index = client.get("/").get_data(as_text=True)
    bundle = client.get("/assets/vendor/plotly-basic-4.1.1.min.js")

    assert "plotly-basic" not in index and "plotly.min.js" not in index
    assert bundle.status_code == 200
