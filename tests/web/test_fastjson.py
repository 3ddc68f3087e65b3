"""Dash's answers are encoded in one orjson pass (tracker.web.fastjson, #15): the text must
be what plotly's encoder gives for every page the app draws, and for the awkward values."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

import dash
import numpy
import plotly.graph_objects as go
import pytest
from dash import dcc, html
from plotly.io.json import to_json_plotly
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import router
from tests.web.signin import sign_in
from tests.web.test_idle_requests_browser import ADMIN_PAGES, PAGES
from tracker.config import load_settings
from tracker.db import read_session
from tracker.models import Project, User
from tracker.web import fastjson
from tracker.web.app import create_app


def test_awkward_values_are_written_as_plotly_writes_them():
    value = {
        "money": Decimal("12.30"),
        "day": datetime.date(2026, 12, 3),
        "moment": datetime.datetime(2026, 12, 3, 9, 30, 15, 250),
        "aware": datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC),
        "nan": math.nan,
        "inf": [math.inf, -math.inf],
        "ints": numpy.arange(4),
        "floats": numpy.array([[1.5, 2.5], [3.5, 4.5]])[:, 0],  # not contiguous
        "words": numpy.array(["一", "二"]),
        "objects": numpy.array([Decimal("1.5"), "x"], dtype=object),
        "scalar": numpy.float32(2.5),
        "script": "</script><script>alert(1)</script>\u2028",
        1: "a number as a key",
        "tuple": (1, "二", None, True),
        "component": html.Div([dcc.Graph(figure=go.Figure(go.Bar(x=[1, 2], y=[3, 4])))], id="x"),
        "wildcards": html.Span(
            "一", title=None, className="c", **{"aria-label": "标签", "data-row": 3, "data-x": None}
        ),
        "empty": html.Br(),
    }
    assert fastjson.to_json(value) == to_json_plotly(value)


def test_numpy_days_are_written_as_plotly_writes_them_in_an_answer_without_components():
    """plotly's encoder writes datetime64 arrays two ways: as orjson does when the answer has
    no component, as dates when it cleans the value first; ours always as orjson does (the
    app draws its days as text)."""
    value = {"days": numpy.array(["2026-01-01", "2026-02-01"], dtype="datetime64[D]")}
    assert fastjson.to_json(value) == to_json_plotly(value)


def test_what_neither_can_encode_is_refused_by_both():
    for value in ({"s": {1, 2}}, {"o": object()}):
        with pytest.raises(TypeError):
            fastjson.to_json(value)
        with pytest.raises(TypeError):
            to_json_plotly(value)


def test_every_page_is_sent_exactly_as_plotly_would_have_encoded_it(demo_engine, monkeypatch):
    """Each answer the app encodes while every page is drawn for the office and a county lead
    (both languages), with the layout and the dependencies, is compared with plotly's."""
    app = create_app(load_settings(env={}), demo_engine, today=lambda: DEMO_AS_OF)
    compared: list[int] = []

    def both(value):
        fast = fastjson.to_json(value)
        assert fast == to_json_plotly(value)
        compared.append(len(fast))
        return fast

    for module in (dash._utils, dash._callback, dash._validate, dash.dash):
        assert module.to_json is fastjson.to_json  # installed by create_app
        monkeypatch.setattr(module, "to_json", both)
    with read_session(demo_engine) as s:
        project = s.exec(select(Project.id).where(Project.county == "临翔区")).first()
        users = {u.username: u for u in s.exec(select(User)).all()}
    for username, pages in (("linxiang", PAGES), ("admin", ADMIN_PAGES)):
        for language in ("zh", "en"):
            client = app.server.test_client()
            sign_in(client, demo_engine, users[username])
            with client.session_transaction() as session:
                session["lang"] = language
            for path in ("/_dash-layout", "/_dash-dependencies"):
                assert client.get(path).status_code == 200
            for page in pages:
                path = page.format(project=project)
                answer = client.post("/_dash-update-component", json=router(path))
                assert answer.status_code == 200, (username, path)
                assert "_pages_content" in answer.get_json()["response"], (username, path)
    # every page in both languages, and the frame at least once per role (kept afterwards)
    assert len(compared) >= 2 * (len(PAGES) + len(ADMIN_PAGES)) + 2
    assert sum(compared) > 1_000_000  # real pages, not empty answers
