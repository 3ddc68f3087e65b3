"""CPU per request, in-process, for the requests a dispatch meeting is made of.

    python3 benchmarks/request_cpu.py [--runs 30] [--engine auto|json|orjson] [--sqlite] [--only TEXT]

Builds the demo office in a fresh PostgreSQL database (``--sqlite``: a temporary SQLite
file), creates the app as gunicorn's workers do, signs in a county lead and the office, and
times each request through Flask's test client: the process's CPU time (what two cores
share under load; the database's own CPU is not in it) per request, median and p90 of
``--runs``. Page routes are timed twice: ``miss`` drops the kept page responses before
each request (the first reader after a write), ``hit`` keeps them. Saves (a milestone's note
and reschedule, the /reports page's drafts) go through their callbacks as the browser sends
them, each on the version the previous one made; ``SQL`` is the statements a request sends.
The open month's submitted reports are returned first, as ``benchmarks/load.py`` does, so
the county lead has drafts to save.

``--engine`` sets plotly's JSON engine, which Dash uses for every answer (``auto`` is what
the app would get without the setting: orjson when installed). Run it before and after a
change to per-request code; `benchmarks/load.py` says what that does to 200 users.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "request-cpu-2026"


def _client(app, engine, username: str):
    from tracker.services.login import LoginPolicy, sign_in

    result = sign_in(
        engine,
        username=username,
        password=PASSWORD,
        ip="127.0.0.1",
        user_agent="bench",
        policy=LoginPolicy(),
    )
    client = app.server.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = result.token, True
    return client


def _find(node, component_id: str):
    """The component with ``component_id`` in a layout's JSON, or None."""
    if isinstance(node, list):
        return next((f for f in (_find(n, component_id) for n in node) if f), None)
    if not isinstance(node, dict):
        return None
    props = node.get("props", {})
    if props.get("id") == component_id:
        return node
    return _find(props.get("children"), component_id)


def _time(
    run: Callable[[], object],
    runs: int,
    statements: list[int],
    before: Callable[[], object] | None = None,
) -> tuple[float, float, float]:
    """``run``'s CPU per call (median, p90) and SQL statements per call; ``before`` runs
    ahead of each call, untimed and uncounted."""
    run()  # warm: imports, first compile of each statement
    samples = []
    statements[0] = 0
    counted = 0
    for _ in range(runs):
        if before is not None:
            before()
        ahead = statements[0]
        began = time.process_time()
        run()
        samples.append((time.process_time() - began) * 1000)
        counted += statements[0] - ahead
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1], counted / runs


def _answer(response) -> dict:
    """A callback's outputs by component id (Dash's ``response`` object)."""
    import json

    return json.loads(response.get_data())["response"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--engine", choices=("auto", "json", "orjson"), default=None)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--only", default="", help="time only the requests whose label has this")
    args = parser.parse_args()

    from sqlalchemy import event
    from sqlmodel import col, select

    from benchmarks.load import (
        create_database,
        database_url,
        drop_database,
        prepare_reports,
        run_cli,
    )
    from tests.web.dashcalls import forge, router
    from tracker.config import load_settings
    from tracker.db import make_engine, read_session, write_session
    from tracker.models import Milestone, Project
    from tracker.web.app import create_app
    from tracker.web.views import overview as overview_view
    from tracker.web.views.project import ProjectIds
    from tracker.web.views.reports import ReportsIds

    folder = tempfile.mkdtemp(prefix="request-cpu-")
    name = f"request_cpu_{os.getpid()}"
    if args.sqlite:
        url = f"sqlite:///{folder}/demo.db"
    else:
        create_database(name)
        url = database_url(name)
    try:
        env = dict(os.environ, DATABASE_URL=url, TRACKER_ENV="development")
        run_cli(env, "init")
        run_cli(env, "demo", "--password", PASSWORD)
        engine = make_engine(url)
        app = create_app(load_settings(env={"DATABASE_URL": url}), engine)
        statements = [0]

        @event.listens_for(engine, "before_cursor_execute")
        def _count(*_args) -> None:
            statements[0] += 1

        if args.engine is not None:
            import plotly.io as pio

            pio.json.config.default_engine = args.engine
        import plotly.io as pio

        engine_used = pio.json.config.default_engine
        pages = app.server.extensions["tracker.page_responses"]
        drawings = getattr(overview_view, "DRAWN", None)  # the overview's kept drawings
        with read_session(engine) as session:
            own = session.exec(
                select(Project.id).where(Project.county == "临翔区").order_by(Project.id)
            ).all()
            open_milestones = session.exec(
                select(Milestone.id, Milestone.version, Milestone.planned_date)
                .where(col(Milestone.project_id).in_(own))
                .where(col(Milestone.actual_date).is_(None))
                .order_by(Milestone.id)
            ).all()
        lead = _client(app, engine, "linxiang")
        office = _client(app, engine, "admin")
        project = own[0]
        month = prepare_reports(engine, app.server.extensions["tracker"].today())

        def post(client, body):
            def run():
                response = client.post(
                    "/_dash-update-component",
                    json=body,
                    headers={"Accept-Encoding": "br, gzip"},
                )
                assert response.status_code in (200, 204), response.status_code
                response.get_data()

            return run

        def miss(run):
            def again():
                pages._items.clear()
                pages._bytes = 0
                run()

            return again

        def redrawn(run):
            def again():
                if drawings is not None:
                    drawings.clear()
                miss(run)()

            return again

        def get(client, path):
            def run():
                response = client.get(path, headers={"Accept-Encoding": "br, gzip"})
                assert response.status_code in (200, 304), response.status_code
                response.get_data()

            return run

        def battle_map_filter(client, lead: bool):
            """The map's own callback after one filter change (the page opened unfiltered
            as benchmarks/load.py's users open it, with the state it sent): the light for a
            county lead (whose map is their county's), another county for the office."""
            from tracker.web.views.battle_map import BattleMapIds as Ids

            response = client.post("/_dash-update-component", json=router("/battle-map"))
            layout = response.get_json()["response"]["_pages_content"]["children"]
            state = _find(layout, Ids.STATE)["props"]["data"]
            trigger, value = (Ids.LIGHT, "red") if lead else (Ids.COUNTY, "凤庆县")
            values = {f"{trigger}.value": value, f"{Ids.STATE}.data": state}
            body = forge(app, "update_battle_map", values)
            body["changedPropIds"] = [f"{trigger}.value"]
            return post(client, body)

        with read_session(engine) as session:
            elsewhere = session.exec(
                select(Project.id).where(Project.county != "临翔区").order_by(Project.id)
            ).first()
            noted = {
                target: session.exec(
                    select(Milestone.id)
                    .where(Milestone.project_id == target)
                    .order_by(Milestone.id)
                ).first()
                for target in (project, elsewhere)
            }

        def note(target: int = project) -> Callable[[], None]:
            """A note on one milestone of ``target`` (as a lead saves one): a write that
            bumps the data version and changes nothing the pages' lights or the map show."""

            def write() -> None:
                with write_session(engine) as session:
                    milestone = session.get(Milestone, noted[target])
                    milestone.note = "" if milestone.note == "request-cpu" else "request-cpu"

            return write

        def milestone_saves():
            """Open the form, save a note, save a reschedule: each on the version before."""
            (mid, version, planned), step = open_milestones[0], [0]
            opened = post(
                lead,
                forge(
                    app, "open_milestone_form", {}, pattern={"type": ProjectIds.EDIT, "index": mid}
                ),
            )

            def form() -> dict:
                return {
                    f"{ProjectIds.FORM}.data": {"milestone_id": mid, "version": version + step[0]}
                }

            def saved(response) -> None:
                assert _answer(response)[ProjectIds.MODAL]["opened"] is False, _answer(response)
                step[0] += 1

            def note():
                values = {
                    **form(),
                    f"{ProjectIds.NOTE_SAVE}.n_clicks": 1,
                    f"{ProjectIds.NOTE}.value": f"基准测试说明 {step[0]}",
                }
                saved(
                    lead.post(
                        "/_dash-update-component", json=forge(app, "save_milestone_note", values)
                    )
                )

            def reschedule():
                values = {
                    **form(),
                    f"{ProjectIds.RESCHEDULE_SAVE}.n_clicks": 1,
                    f"{ProjectIds.NEW_DATE}.value": (
                        planned + timedelta(days=1 + step[0] % 2)
                    ).isoformat(),
                    f"{ProjectIds.REASON}.value": f"基准测试调整 {step[0]}",
                }
                saved(
                    lead.post(
                        "/_dash-update-component",
                        json=forge(app, "save_milestone_reschedule", values),
                    )
                )

            return [
                ("county lead: open milestone form", opened),
                ("county lead: save milestone note", note),
                ("county lead: save milestone reschedule", reschedule),
            ]

        def report_saves():
            """Change one editable row's 存在问题 and save the drafts (the page's own callback,
            on the rows its previous answer gave back), then the panels' refresh after it."""
            shown = lead.post(
                "/_dash-update-component",
                json=forge(
                    app, "show_report_month", {f"{ReportsIds.MONTH}.value": month.isoformat()}
                ),
            )
            rows = [_answer(shown)[ReportsIds.GRID]["rowData"]]
            assert any(r.get("editable") for r in rows[0]), "no editable report row"
            ids = {"grid": ReportsIds.GRID, "period": ReportsIds.PERIOD}

            def drafts():
                edited = next(r for r in rows[0] if r.get("editable"))
                edited = {**edited, "problems": f"基准测试问题 {time.perf_counter_ns()}"}
                virtual = [edited if r["row_id"] == edited["row_id"] else r for r in rows[0]]
                response = lead.post(
                    "/_dash-update-component",
                    json=forge(
                        app,
                        "save_report_drafts",
                        {
                            f"{ReportsIds.SAVE}.n_clicks": 1,
                            f"{ids['grid']}.rowData": rows[0],
                            f"{ids['grid']}.virtualRowData": virtual,
                            f"{ids['period']}.data": month.isoformat(),
                        },
                    ),
                )
                back = _answer(response)[ReportsIds.GRID]["rowData"]
                mine = next(r for r in back if r["row_id"] == edited["row_id"])
                assert not mine.get("message") and not mine.get("conflict"), mine
                rows[0] = back

            panels = post(
                lead,
                forge(
                    app,
                    "refresh_report_panels",
                    {f"{ReportsIds.PANELS}.data": 1, f"{ids['period']}.data": month.isoformat()},
                ),
            )
            return [
                ("county lead: save report drafts", drafts),
                ("county lead: reports panels after save", panels),
            ]

        cases: list[tuple[str, Callable[[], object]]] = []
        after_write: dict[str, Callable[[], object]] = {}
        for who, client in (("county lead", lead), ("office", office)):
            for path in ("/", f"/projects/{project}", "/reports", "/battle-map"):
                if path == "/reports" and who == "office":
                    continue
                run = post(client, router(path))
                cases.append((f"{who}: page {path} miss", miss(run)))
                if path == "/":  # the first reader after a save that changes its figures
                    cases.append((f"{who}: page {path} miss, redrawn", redrawn(run)))
                cases.append((f"{who}: page {path} hit", run))
                if path == "/battle-map":  # under load a write lands between most reads
                    label = f"{who}: page {path} after a note"
                    cases.append((label, run))
                    after_write[label] = note()
                    if client is lead:  # a note in another county (most of a lead's writes)
                        cases.append((f"{label} elsewhere", run))
                        after_write[f"{label} elsewhere"] = note(elsewhere)
            run = battle_map_filter(client, client is lead)
            cases.append((f"{who}: battle-map filter", run))
            cases.append((f"{who}: battle-map filter after a note", run))
            after_write[f"{who}: battle-map filter after a note"] = note()
            if client is lead:
                cases.append((f"{who}: battle-map filter after a note elsewhere", run))
                after_write[f"{who}: battle-map filter after a note elsewhere"] = note(elsewhere)
            refresh = {"pj-refresh.data": 1, "pj-project.data": project}
            cases.append(
                (
                    f"{who}: project refresh after save",
                    post(client, forge(app, "refresh_project_page", refresh)),
                )
            )
            chosen = {"ov-county.value": "临翔区"} if who == "office" else {}
            cases.append(
                (f"{who}: overview filter", post(client, forge(app, "refresh_overview", chosen)))
            )
            cases.append((f"{who}: user frame", post(client, forge(app, "user_frame", {}))))
            cases.append((f"{who}: GET /_dash-layout", get(client, "/_dash-layout")))
        cases += milestone_saves() + report_saves()
        print(f"plotly JSON engine: {engine_used}; {'SQLite' if args.sqlite else 'PostgreSQL'}")
        print(f"{'request':<56} {'CPU p50 ms':>11} {'p90 ms':>8} {'SQL':>6}")
        for label, run in cases:
            if args.only not in label:
                continue
            p50, p90, sql = _time(run, args.runs, statements, after_write.get(label))
            print(f"{label:<56} {p50:>11.1f} {p90:>8.1f} {sql:>6.1f}")
        engine.dispose()
    finally:
        if not args.sqlite:
            drop_database(name)


if __name__ == "__main__":
    main()
