"""Fuzzing every data-changing callback as each role (#12).

Hypothesis posts random and boundary payloads to /_dash-update-component for each callback of
the authorization matrix, signed in as each role: the values the page would send, each
field kept or replaced by something hostile (NaN, Infinity, 1e27, 2**63, 0x10, a 5,000-
character text, NUL and other control characters, lone surrogates, year 9999, lists and
dicts where a number belongs …), or every field hostile at once. For every call:

* never a 500, and nothing logged as an error (anonymous calls get 401);
* a call the role may not make changes no row of any table;
* a refusal says why: a pressed button whose call changed nothing answers with a message.

After the run, the demo's bulletin still compiles and every page renders for the role.
Runs on SQLite and on PostgreSQL (which refuses NUL bytes, lone surrogates, over-long text
and out-of-range numbers that SQLite would store). ``TRACKER_FUZZ_EXAMPLES`` sets the
examples per callback, role and database (default 3 in CI); the
figures (payloads tried, 500s, rows changed by refused calls, refusals without a message)
are printed at the end of the module.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import traceback
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD, PG_URL, postgres_unavailable
from tests.web.dashcalls import callback, forge, render
from tests.web.signin import sign_in
from tests.web.test_authorization_matrix import (
    CASES,
    NOVEMBER,
    ROLES,
    Case,
    World,
    _allowed,
    _world,
)
from tracker.config import load_settings
from tracker.db import make_engine, migrate, read_session, write_session
from tracker.excel.bulletin import bulletin_workbook
from tracker.models import Notification
from tracker.services.auth import SYSTEM
from tracker.services.bulletin import build_bulletin
from tracker.services.demo import build_demo
from tracker.web.app import create_app

PER_CALLBACK = int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "3"))
PAGES = ["/", "/battle-map", "/map", "/projects", "/reports", "/ledger", "/bulletin", "/admin"]
FIGURES: Counter[str] = Counter()
_CJK = re.compile(r"[\u4e00-\u9fff]")

# --- hostile values ----------------------------------------------------------------------------

KEYS = [
    "milestone_id", "version", "item_id", "project_id", "period", "id", "row_id", "username",
    "role", "county", "lead_unit", "active", "completed_month", "progress_pct", "orig",
    "editable", "status", "level", "text", "owner", "due_date", "query", "started",
]  # fmt: skip
BOUNDARY = st.sampled_from(
    [
        0,
        1,
        -1,
        2**31 - 1,
        2**31,
        2**63,
        -(2**63),
        10**30,
        1e27,
        1e15,
        1e-300,
        -0.0,
        0.1 + 0.2,
        99.999,
        100.01,
        float("nan"),
        float("inf"),
        float("-inf"),
        True,
        False,
        "",
        " ",
        "NaN",
        "Infinity",
        "-inf",
        "0x10",
        "1e27",
        "1e-400",
        "１２３４",
        "1,234.5",
        "12,34",
        "-5",
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
        "2026-11-28",
        "1989-12-31",
        "\x00",
        "资金\x00未到位",
        "\r\n",
        "a\u202eb",
        "\ud800",
        "\uffff",
        "x" * 5000,
        "李" * 51,
        "长" * 4001,
        "'; DROP TABLE project;--",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x")',
        "../../etc/passwd",
        "admin",
        "county",
        "云县",
        "沧源县",
        "data:application/octet-stream;base64,UEsDBBQ=",
        "data:x;base64,!!!",
        "2026-11-01",
        "2100-12-31",
        "2101-01-01",
    ]  # fmt: skip
)
SCALARS = st.one_of(
    BOUNDARY,
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
)
HOSTILE = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=12,
)


def mutated(valid: Any) -> st.SearchStrategy:
    """``valid`` as the page sends it, with any part kept (mostly) or made hostile."""
    if isinstance(valid, dict):
        keyed = st.fixed_dictionaries({k: mutated(v) for k, v in valid.items()})
        return st.one_of(keyed, keyed, keyed, HOSTILE)
    if isinstance(valid, list) and valid:
        items = st.tuples(*(mutated(v) for v in valid)).map(list)
        return st.one_of(items, items, items, HOSTILE, st.lists(HOSTILE, max_size=3))
    return st.one_of(st.just(valid), st.just(valid), HOSTILE)


def payload(case: Case, world: World) -> st.SearchStrategy:
    valid = case.values(world)
    pattern = case.pattern(world) if case.pattern else None
    # each field as the page sends it or hostile; or every field hostile at once
    kept = st.fixed_dictionaries({k: mutated(v) for k, v in valid.items()})
    fields = st.one_of(kept, kept, st.fixed_dictionaries({k: HOSTILE for k in valid}))
    patterns = (
        st.fixed_dictionaries(
            {k: (st.just(v) if k == "type" else mutated(v)) for k, v in pattern.items()}
        )
        if pattern
        else st.none()
    )
    return st.tuples(fields, patterns)


# --- the checks ---------------------------------------------------------------------------------


def _rows(engine) -> dict[str, list[tuple]]:
    """Every row of every table; a session's last use is not data (it moves on its own)."""
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    present = set(inspect(engine).get_table_names())
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in tables:
            if table not in present:
                continue
            result = conn.execute(text(f'SELECT * FROM "{table}"'))
            keys = list(result.keys())
            rows = []
            for row in result.all():
                values = dict(zip(keys, row, strict=True))
                values.pop("last_seen_at", None)
                rows.append(tuple(map(repr, values.values())))
            out[table] = sorted(rows)
    return out


def _changed(before, after) -> int:
    return sum(len(set(before[t]) ^ set(after[t])) for t in before)


def _pressed(app, name: str, sent: dict, pattern: dict | None) -> bool:
    """Whether the call's trigger (its first input, which ``forge`` names as changed)
    carries a click or a file, as a user's would."""
    _, spec = callback(app, name)
    first = spec["inputs"][0]
    if first["id"].startswith("{"):  # a pattern-matching trigger: a component id holds
        # strings, numbers and booleans only, and Dash answers a click on an id that cannot
        # exist with an empty response
        return pattern is not None and all(
            isinstance(v, str | int | float | bool) for v in pattern.values()
        )
    return bool(sent.get(f"{first['id']}.{first['property']}"))


def _says_why(response) -> bool:
    """The answer carries words for the user (decoded: JSON may escape them)."""
    if response.status_code == 401:
        return "error" in (response.get_json(silent=True) or {})
    if response.status_code != 200:
        return False
    decoded = json.dumps(response.get_json(silent=True), ensure_ascii=False)
    return bool(_CJK.search(decoded))


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def figures_line() -> str:
    """The run's figures (tests/web/conftest.py prints them in the terminal summary)."""
    return (
        f"fuzz: {FIGURES['payloads']} payloads tried ({PER_CALLBACK} per callback, role and "
        f"database; {len(CASES)} callbacks, {len(ROLES)} roles incl. anonymous, SQLite and "
        f"PostgreSQL); 500s seen: {FIGURES['500s']}; errors logged: {FIGURES['errors']}; "
        f"rows changed by refused calls: {FIGURES['rows changed by refused calls']}; refusals "
        f"without a message: {FIGURES['silent refusals']}; allowed calls: {FIGURES['changed']}"
    )


@pytest.fixture(scope="module")
def pg_demo():
    """The demo office in a PostgreSQL schema of its own, built once for the module."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    schema = f"fuzz_{os.getpid()}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    migrate(engine)
    with write_session(engine) as session:
        build_demo(session, as_of=DEMO_AS_OF, password=DEMO_PASSWORD)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def fuzz_engine(request):
    if request.param == "sqlite":
        return request.getfixturevalue("demo_engine")
    return request.getfixturevalue("pg_demo")


@pytest.mark.parametrize("role", ROLES)
def test_no_payload_breaks_a_callback_changes_what_it_may_not_or_refuses_silently(
    fuzz_engine, role
):
    demo_engine = fuzz_engine
    world = _world(demo_engine)
    for case in CASES:  # the records each case works on
        if case.setup is not None:
            with contextlib.suppress(Exception):  # a setup that already ran (unique keys)
                case.setup(world)
    world.made.setdefault("report_version", 1)
    if "notification" not in world.made:  # made by an earlier role on this database
        with read_session(demo_engine) as session:
            world.made["notification"] = session.exec(
                select(Notification.id).where(Notification.dedupe_key == "email:matrix:failed")
            ).one()
    app = create_app(
        load_settings(env={}), demo_engine, today=lambda: DEMO_AS_OF, run_job=lambda f, *a: f(*a)
    )
    client = app.server.test_client()
    if role != "anonymous":
        sign_in(client, demo_engine, world.users[role])
        client.get("/")
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    problems: dict[str, str] = {}  # one line per kind of problem: where, and an example

    def problem(kind: str, example: str) -> None:
        problems.setdefault(kind, example[:600])

    @settings(
        max_examples=PER_CALLBACK,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def call(case, data):
        values, pattern = data.draw(payload(case, world), label="payload")
        allowed = _allowed(role, case, world)
        before = None if allowed else _rows(demo_engine)
        logged = len(errors.records)
        body = forge(app, case.name, values, pattern)
        response = client.post("/_dash-update-component", json=body)
        FIGURES["payloads"] += 1
        status = response.status_code
        sent = json.dumps({"values": values, "pattern": pattern}, default=str)[:300]
        if status >= 500:
            FIGURES["500s"] += 1
        if len(errors.records) > logged:
            FIGURES["errors"] += 1
            record = errors.records[-1]
            where = ""
            if record.exc_info:
                frames = traceback.extract_tb(record.exc_info[2])
                own = [f for f in frames if "/tracker/" in f.filename] or frames
                where = f"{own[-1].filename.split('/tracker/')[-1]}:{own[-1].lineno} "
                where += f"{record.exc_info[0].__name__}: {str(record.exc_info[1])[:120]}"
            problem(f"{case.name} error at {where}", f"{status} {sent}")
        elif status >= 500:
            problem(f"{case.name} {status}", sent)
        expected = (401,) if role == "anonymous" else (200, 204)
        if status not in expected and status < 500:
            problem(f"{case.name} answered {status}", sent)
        if before is not None:
            changed = _changed(before, _rows(demo_engine))
            if changed:
                FIGURES["rows changed by refused calls"] += changed
                problem(f"{case.name} refused, yet rows changed", sent)
            elif _pressed(app, case.name, values, pattern) and not _says_why(response):
                FIGURES["silent refusals"] += 1
                problem(f"{case.name} refused without a word ({status})", sent)
        else:
            FIGURES["changed"] += 1

    try:
        for case in CASES:  # every callback gets its examples
            call(case)
    finally:
        logging.getLogger().removeHandler(errors)
    assert not problems, "\n".join(f"{role} {k}\n    e.g. {v}" for k, v in problems.items())

    # the month still compiles and every page renders for the role
    with read_session(demo_engine) as s:
        bulletin = build_bulletin(
            s, actor=SYSTEM, period=NOVEMBER, today=DEMO_AS_OF, settings=load_settings(env={})
        )
    assert bulletin_workbook(bulletin)
    json.dumps(bulletin.to_dict(), allow_nan=False)
    if role != "anonymous":
        for path in [*PAGES, f"/projects/{world.project.id}"]:
            response = render(client, path)
            assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
