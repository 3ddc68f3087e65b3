"""#16 over HTTP (no browser): the indicator pages render for every role in both languages,
show the entry form only to who may enter, the review only to the office, and the list's
filters read from the address."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge, render
from tests.web.signin import sign_in
from tracker.config import load_settings
from tracker.db import write_session
from tracker.models import Indicator, IndicatorValue, User
from tracker.services import indicators
from tracker.services.auth import SYSTEM, Actor
from tracker.web.app import create_app
from tracker.web.views.indicator import IndicatorIds, stored_values
from tracker.web.views.indicator_entry import EntryIds
from tracker.web.views.indicators import IndicatorsIds, SummaryIds
from tracker.web.views.sdg import SdgIds

UNIT = "市科技局"
CONTROLS = (IndicatorIds.SUBMIT, IndicatorIds.ACCEPT, IndicatorIds.RETURN)


@pytest.fixture
def pending(demo_engine) -> int:
    """An indicator of 市科技局 with 2025's value submitted by the unit, waiting for review."""
    spec = indicators.IndicatorSpec(
        system="创新能力监测",
        code="PG-01",
        name="高新技术企业数",
        unit="家",
        baseline_year=2020,
        baseline_value=40,
        targets={2025: 80, 2030: 120},
        lead_unit=UNIT,
        goals=(9,),
    )
    values = [
        indicators.ValueSpec(system="创新能力监测", code="PG-01", period=date(y, 1, 1), value=v)
        for y, v in ((2022, 48), (2023, 52), (2024, 56))  # far behind: red
    ]
    with write_session(demo_engine) as s:
        indicators.apply_catalogue(s, actor=SYSTEM, specs=[spec], values=values, today=DEMO_AS_OF)
        indicator = s.exec(select(Indicator).where(Indicator.code == "PG-01")).one()
        unit = s.exec(select(User).where(User.username == "kejiju")).one()
        indicators.save_value(
            s,
            actor=Actor.of(unit),
            indicator_id=indicator.id,
            period="2025-01-01",
            value="77",
            source="统计公报",
            today=DEMO_AS_OF,
        )
        return indicator.id


def _ids(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            found.add(props["id"])
        for value in node.values():
            _ids(value, found)
    elif isinstance(node, list):
        for value in node:
            _ids(value, found)
    return found


def _page(engine, username: str, path: str, language: str = "zh") -> tuple[set[str], str]:
    app = create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)
    client = app.server.test_client()
    with write_session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
    sign_in(client, engine, user)
    client.get(f"/lang/{language}")
    client.get("/login")  # registers the pages' router callback
    path, _, search = path.partition("?")
    response = render(client, path, f"?{search}" if search else "")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = json.loads(response.get_data(as_text=True))
    return _ids(body, set()), json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize(
    ("username", "enters", "reviews"),
    [
        ("leader", False, False),
        ("yunxian", False, False),
        ("kejiju", True, False),
        ("admin", True, True),
    ],
)
def test_edit_controls_appear_only_for_who_may_use_them(
    demo_engine, pending, username, enters, reviews
):
    ids, text = _page(demo_engine, username, f"/indicators/{pending}")
    assert IndicatorIds.NAME in ids and "高新技术企业数" in text
    assert (IndicatorIds.SUBMIT in ids) is enters
    assert (IndicatorIds.ACCEPT in ids) is reviews and (IndicatorIds.RETURN in ids) is reviews


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_indicator_page_renders_in_both_languages(demo_engine, pending, language):
    words = {
        "zh": ("指标监测", "待审核", "水下生物"),
        "en": ("Indicators", "Waiting for review", "Life below water"),
    }[language]
    lst, lst_text = _page(demo_engine, "admin", "/indicators", language)
    one, one_text = _page(demo_engine, "admin", f"/indicators/{pending}", language)
    sdg, sdg_text = _page(demo_engine, "admin", "/sdg", language)
    home, _ = _page(demo_engine, "admin", "/", language)
    assert IndicatorsIds.GRID in lst and words[0] in lst_text
    assert IndicatorIds.TREND in one and words[1] in one_text
    assert all(SdgIds.tile(goal) in sdg for goal in range(1, 18)) and words[2] in sdg_text
    assert SummaryIds.BOX in home


def test_the_list_reads_its_filters_from_the_address(demo_engine, pending):
    _ids, text = _page(demo_engine, "leader", f"/indicators?unit={UNIT}&goal=9&light=red")
    grid = json.loads(text)
    rows = _find(grid, IndicatorsIds.GRID)["props"]["rowData"]
    assert rows and all(r["responsible"] == UNIT and r["light"] == "red" for r in rows)
    assert all("9" in r["goals"].split("、") for r in rows)
    assert _find(grid, IndicatorsIds.UNIT)["props"]["value"] == UNIT
    assert _find(grid, IndicatorsIds.GOAL)["props"]["value"] == "9"


def _find(node, component_id: str):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for value in node:
            found = _find(value, component_id)
            if found is not None:
                return found
    return None


def test_the_office_lists_only_the_indicators_waiting_for_review(demo_engine, pending):
    _ids, text = _page(demo_engine, "admin", "/indicators?pending=1")
    rows = _find(json.loads(text), IndicatorsIds.GRID)["props"]["rowData"]
    assert pending in {r["id"] for r in rows}
    assert all("待审核" in r["state"] for r in rows)
    _ids, everything = _page(demo_engine, "admin", "/indicators")
    assert len(rows) < len(_find(json.loads(everything), IndicatorsIds.GRID)["props"]["rowData"])


def test_a_unit_s_entry_grid_holds_only_its_own_indicators(demo_engine, pending):
    _ids, text = _page(demo_engine, "kejiju", "/indicator-entry")
    rows = _find(json.loads(text), EntryIds.GRID)["props"]["rowData"]
    with write_session(demo_engine) as s:
        own = {i.id for i in s.exec(select(Indicator).where(Indicator.lead_unit == UNIT))}
    assert rows and {r["indicator_id"] for r in rows} <= own
    # the value the unit sent for PG-01 waits for review: shown, no longer editable
    sent = [r for r in rows if r["indicator_id"] == pending and r["period"] == "2025-01-01"]
    assert sent == [] or (sent[0]["status"] == "待审核" and not sent[0]["editable"])
    ids, text = _page(demo_engine, "yunxian", "/indicator-entry")
    assert EntryIds.GRID not in ids and "权限" in text


def _call(engine, username: str, name: str, values: dict):
    app = create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)
    client = app.server.test_client()
    with write_session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
    sign_in(client, engine, user)
    client.get("/login")
    response = client.post("/_dash-update-component", json=forge(app, name, values))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.loads(response.get_data(as_text=True))["response"]


def _form(engine, indicator_id: int, period: str, **typed) -> dict:
    """The entry form's values as the page holds them for ``indicator_id``."""
    with write_session(engine) as s:
        detail = indicators.indicator_detail(
            s, actor=SYSTEM, indicator_id=indicator_id, as_of=DEMO_AS_OF
        )
    return {
        "ix-submit.n_clicks": 1,
        "ix-indicator.data": indicator_id,
        "ix-period.value": period,
        "ix-stored.data": stored_values(detail),
        **{f"ix-{k}.value": v for k, v in typed.items()},
    }


def test_an_accepted_value_is_revised_only_with_a_reason(demo_engine, pending):
    form = _form(demo_engine, pending, "2024-01-01", value="57", source="统计年鉴")
    refused = _call(demo_engine, "admin", "submit_indicator_value", form)
    assert refused[IndicatorIds.ENTRY_ERROR]["children"]  # the reason is asked for
    form[f"{IndicatorIds.REASON}.value"] = "统计局更正了2024年数据"
    _call(demo_engine, "admin", "submit_indicator_value", form)
    with write_session(demo_engine) as s:
        stored = s.exec(
            select(IndicatorValue)
            .where(IndicatorValue.indicator_id == pending)
            .where(IndicatorValue.period == date(2024, 1, 1))
        ).one()
    assert (stored.status, stored.accepted_value, stored.revision_reason) == (
        "accepted",
        57.0,
        "统计局更正了2024年数据",
    )


def test_a_stale_form_is_refused_with_the_reason_and_nothing_is_written(demo_engine, pending):
    form = _form(demo_engine, pending, "2025-01-01", value="79", source="统计公报")
    _call(demo_engine, "kejiju", "submit_indicator_value", form)  # the unit corrects it …
    before = _form(demo_engine, pending, "2025-01-01")["ix-stored.data"]["2025-01-01"]
    answer = _call(
        demo_engine, "kejiju", "submit_indicator_value", {**form, "ix-value.value": "80"}
    )
    assert "刷新" in answer[IndicatorIds.ENTRY_ERROR]["children"]  # … then saves the old form
    after = _form(demo_engine, pending, "2025-01-01")["ix-stored.data"]["2025-01-01"]
    assert after == before and after["value"] == "79"


def test_a_unit_lands_on_its_own_indicators_and_a_link_that_names_a_filter_wins(
    demo_engine, pending
):
    _ids, text = _page(demo_engine, "kejiju", "/indicators")
    rows = _find(json.loads(text), IndicatorsIds.GRID)["props"]["rowData"]
    assert rows and {r["responsible"] for r in rows} == {UNIT}
    _ids, text = _page(demo_engine, "kejiju", "/indicators?goal=6")
    rows = _find(json.loads(text), IndicatorsIds.GRID)["props"]["rowData"]
    assert len({r["responsible"] for r in rows}) > 1
