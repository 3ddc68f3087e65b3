"""The load benchmark's helpers: where a profiled stack's CPU is counted (benchmarks/profiling.py)
and the logins it adds for many users (benchmarks/load.py)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from benchmarks.load import PASSWORD, accounts_needed, add_accounts, within
from benchmarks.profiling import (
    ORDER,
    Profiled,
    Totals,
    classify,
    cpu_shares,
    frame_name,
    inclusive_shares,
    merge,
    parse_pyspy,
    request_kind,
    shares,
    top_functions,
    top_self,
)
from tracker.db import read_session
from tracker.domain.places import COUNTIES
from tracker.models import User
from tracker.services.users import authenticate

ROOT = "threading:Thread.run;gunicorn.workers.gthread:ThreadWorker.handle;flask.app:Flask.wsgi_app"
CALLBACK = ROOT + ";dash._callback:_invoke_callback;tracker.web.pages.overview:layout"


@pytest.mark.parametrize(
    ("stack", "category"),
    [
        # a layout's serialisation, down to the components' to_plotly_json and orjson's caller
        (
            ROOT + ";dash.dash:Dash.serve_layout;dash._utils:to_json;plotly.io._json:to_json_plotly"
            ";dash.development.base_component:Component.to_plotly_json",
            "dash json",
        ),
        # brotli under flask-compress's after_request
        (
            ROOT + ";flask.app:Flask.process_response;flask_compress.flask_compress:"
            "Compress.after_request;brotli:compress",
            "compression",
        ),
        (
            CALLBACK + ";sqlalchemy.orm.session:Session.execute;psycopg.cursor:Cursor.execute",
            "queries",
        ),
        # a query made while computing statuses is a query; the status code itself is status
        (
            CALLBACK + ";tracker.services.status:project_statuses;sqlalchemy.orm.query:Query.all",
            "queries",
        ),
        (
            CALLBACK + ";tracker.services.status:project_statuses;tracker.domain.status:light",
            "status",
        ),
        # figure building takes what its validators do, even reading plotly's JSON catalogue
        (
            CALLBACK
            + ";tracker.gantt.slip:slip_trend_figure;plotly.graph_objs._figure:Figure.__init__"
            ";plotly.validator_cache:ValidatorCache.get_validator;json:load",
            "figure",
        ),
        (CALLBACK + ";plotly.basedatatypes:BaseFigure.add_trace", "figure"),
        (ROOT + ";flask_login.utils:_get_user;tracker.services.sessions:resolve", "auth/session"),
        (
            ROOT + ";tracker.services.login:sign_in;argon2._password_hasher:PasswordHasher.verify",
            "auth/session",
        ),
        # the session check's own query is a query
        (
            ROOT + ";flask_login.utils:_get_user;sqlalchemy.engine.base:Connection.execute",
            "queries",
        ),
        # plain JSON: Dash's when nothing else claims it (a callback's body), else the caller's
        (
            ROOT + ";dash.backends._flask:dispatch;flask.wrappers:Request.get_json;json:loads",
            "dash json",
        ),
        (
            CALLBACK
            + ";sqlalchemy.sql.sqltypes:JSON.result_processor;json.decoder:JSONDecoder.decode",
            "queries",
        ),
        # a prefix is a module boundary: jsonschema is not json, tracker.gantty not tracker.gantt
        (CALLBACK + ";jsonschema.validators:validate", "other"),
        (CALLBACK + ";tracker.ganttish:draw", "other"),
        # Flask's signed cookie is the session's; building components is components
        (ROOT + ";flask.sessions:SecureCookieSessionInterface.open_session", "auth/session"),
        (CALLBACK + ";dash.html.Div:Div.__init__", "components"),
        (CALLBACK + ";dash.development.base_component:Component.__init__", "components"),
        # dash._utils' other helpers are not serialisation
        (CALLBACK + ";dash._utils:split_callback_id", "other"),
        (ROOT, "other"),
    ],
)
def test_a_stack_is_counted_where_its_cpu_went(stack: str, category: str) -> None:
    assert classify(stack) == category
    assert classify(stack.split(";")) == category


def test_shares_add_up_per_category_and_inclusive_shares_overlap() -> None:
    status_query = CALLBACK + ";tracker.services.status:statuses;sqlalchemy.orm.query:Query.all"
    status_own = CALLBACK + ";tracker.services.status:statuses"
    compress = ROOT + ";flask_compress.flask_compress:_compress_data;brotli:compress"
    stacks = {status_query: 0.3, status_own: 0.1, compress: 0.1, CALLBACK: 0.5}
    part = shares(stacks)
    assert list(part) == list(ORDER)
    assert part["queries"] == pytest.approx(0.3)
    assert part["status"] == pytest.approx(0.1)
    assert part["compression"] == pytest.approx(0.1)
    assert part["other"] == pytest.approx(0.5)
    assert sum(part.values()) == pytest.approx(1.0)
    inclusive = inclusive_shares(stacks)
    assert inclusive["status"] == pytest.approx(0.4)  # its own code and its queries
    assert inclusive["queries"] == pytest.approx(0.3)
    assert shares({})["other"] == 0.0


def test_top_functions_count_a_recursive_function_once_and_leave_the_plumbing_out() -> None:
    recursive = CALLBACK + ";tracker.x:walk;tracker.x:walk;tracker.x:leaf"
    other = CALLBACK + ";tracker.y:draw"
    cumulative = dict(top_functions({recursive: 3.0, other: 1.0}))
    assert cumulative["tracker.x:walk"] == pytest.approx(0.75)
    assert cumulative["tracker.web.pages.overview:layout"] == pytest.approx(1.0)
    assert not any(f.startswith(("threading:", "gunicorn.", "flask.app:")) for f in cumulative)
    waiting = CALLBACK + ";tracker.y:draw;psycopg.connection:Connection.wait"
    assert top_self({recursive: 3.0, other: 1.0, waiting: 4.0}) == [
        ("tracker.x:leaf", 0.75),
        ("tracker.y:draw", 0.25),
    ]


PYSPY = [
    # the master and a worker's own loop: no request, left out
    'process 10:"gunicorn: master";run (gunicorn/arbiter.py:209);sleep (gunicorn/arbiter.py:360) 40\n',
    'process 11:"gunicorn: worker";Thread.run (threading.py:982);'
    "load_kind[overview filter] (benchmarks/profiling.py:340);"
    "Session.execute (sqlalchemy/orm/session.py:2351) 30\n",
    'process 12:"gunicorn: worker";Thread.run (threading.py:982);'
    "load_kind[overview filter] (benchmarks/profiling.py:340);"
    "Connection.wait (psycopg/connection.py:455) 10\n",
    'process 12:"gunicorn: worker";Thread.run (threading.py:982);'
    "load_kind[GET /_dash-layout] (benchmarks/profiling.py:340);"
    "_find_and_load (<frozen importlib._bootstrap>:1176);to_json (dash/_utils.py:30) 4\n",
]


def test_pyspys_samples_are_split_by_the_kind_frame_and_named_by_module() -> None:
    stacks = parse_pyspy(PYSPY, rate=100)
    assert set(stacks) == {"overview filter", "GET /_dash-layout"}
    assert stacks["overview filter"] == Counter(
        {"sqlalchemy.orm.session:Session.execute": 0.3, "psycopg.connection:Connection.wait": 0.1}
    )
    assert stacks["GET /_dash-layout"] == Counter(
        {"importlib._bootstrap:_find_and_load;dash._utils:to_json": 0.04}
    )
    assert frame_name("Component.__init__ (dash/development/base_component.py:10)") == (
        "dash.development.base_component:Component.__init__"
    )
    assert frame_name("read (tracker/services/__init__.py:3)") == "tracker.services:read"


def test_a_sample_at_a_round_trip_to_postgresql_is_db_wait_not_query_cpu() -> None:
    assert classify(CALLBACK + ";sqlalchemy.orm.session:Session.execute") == "queries"
    assert (
        classify(
            CALLBACK + ";sqlalchemy.orm.session:Session.execute;psycopg.connection:Connection.wait"
        )
        == "db wait"
    )


def test_the_workers_totals_and_the_samples_are_added_up_per_kind(tmp_path: Path) -> None:
    one = {"overview filter": {"requests": 2, "cpu_s": 0.1, "wall_s": 0.3}}
    two = {
        "overview filter": {"requests": 1, "cpu_s": 0.05, "wall_s": 0.1},
        "GET /_dash-layout": {"requests": 4, "cpu_s": 0.04, "wall_s": 0.08},
    }
    (tmp_path / "totals-1.json").write_text(json.dumps(one))
    (tmp_path / "totals-2.json").write_text(json.dumps(two))
    (tmp_path / "pyspy.txt").write_text("".join(PYSPY))
    merged = merge(sorted(tmp_path.glob("totals-*.json")), tmp_path / "pyspy.txt", 100)
    assert merged["overview filter"]["requests"] == 3
    assert merged["overview filter"]["cpu_s"] == pytest.approx(0.15)
    assert merged["overview filter"]["sampled_s"] == pytest.approx(0.4)
    assert merged["GET /_dash-layout"]["requests"] == 4
    assert merged["GET /_dash-layout"]["sampled_s"] == pytest.approx(0.04)


def test_each_kind_runs_in_a_frame_of_its_own_name(tmp_path: Path) -> None:
    seen = []

    def app(environ, start_response):
        seen.append(sys._getframe(1).f_code.co_name)
        return [b"ok"]

    totals = Totals(tmp_path)
    profiled = Profiled(app, totals)
    assert profiled({"HTTP_X_LOAD_NAME": "render overview"}, None) == [b"ok"]
    profiled({"REQUEST_METHOD": "GET", "PATH_INFO": "/_dash-layout"}, None)
    assert seen == ["load_kind[render overview]", "load_kind[GET /_dash-layout]"]
    totals.dump()
    written = json.loads(next(tmp_path.glob("totals-*.json")).read_text())
    assert written["render overview"]["requests"] == 1


def test_a_request_is_named_by_the_load_tests_header_else_by_its_path() -> None:
    assert (
        request_kind({"HTTP_X_LOAD_NAME": "overview filter", "PATH_INFO": "/x"})
        == "overview filter"
    )
    assert (
        request_kind({"REQUEST_METHOD": "GET", "PATH_INFO": "/_dash-layout"}) == "GET /_dash-layout"
    )


def test_two_hundred_users_get_accounts_they_share_at_most_in_pairs(demo_engine) -> None:
    leads, readers = accounts_needed(200)
    assert (leads, readers) == (80, 20)
    assert accounts_needed(50) == (20, 5)
    add_accounts(demo_engine, leads, readers)
    with read_session(demo_engine) as session:
        users = session.exec(select(User)).all()
        per_county = Counter(u.county for u in users if u.role == "county")
        assert set(per_county) == set(COUNTIES)
        assert sum(per_county.values()) >= leads
        assert min(per_county.values()) >= leads // len(COUNTIES)  # every county's leads meet
        assert sum(u.role in {"admin", "viewer"} for u in users) >= readers
        new = next(u for u in users if u.username.startswith("load_county"))
        assert authenticate(session, new.username, PASSWORD) is not None
    assert add_accounts(demo_engine, leads, readers) == 0  # enough already


def test_the_cpu_estimate_leaves_the_round_trips_out_and_scales_the_rest() -> None:
    part = {"queries": 0.2, "db wait": 0.5, "figure": 0.1, "other": 0.2}
    assert cpu_shares(part) == pytest.approx({"queries": 0.4, "figure": 0.2, "other": 0.4})
    assert cpu_shares({"db wait": 1.0, "other": 0.0}) == {"other": 0.0}


def test_a_p95_verdict_needs_requests_to_judge() -> None:
    row = {"requests": 120, "p95": 480.0}
    assert within(row, 500)
    assert not within({**row, "p95": 520.0}, 500)
    assert not within(None, 500)  # no steady state at all (the logins took the run)
    assert not within({"requests": 3, "p95": 10.0}, 500)
