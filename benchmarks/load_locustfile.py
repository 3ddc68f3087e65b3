"""Locust users for ``benchmarks/load.py`` (run it through that script, not on its own).

The runner writes a plan (logins, each county's projects and milestones, the Dash callback
specs taken from ``app.callback_map``) to the file named by LOAD_PLAN; every request is
recorded with its kind (login / read / save) and outcome, and every acknowledged save with
what it wrote, into LOAD_SAMPLES and LOAD_ACKS when locust quits. Nothing here imports the
app: the callback bodies are forged from the plan's specs, the way the browser builds them.

Outcomes: ``ok``; ``conflict`` (a save refused because somebody saved first: an expected
answer, counted apart); ``refused`` (any other refusal the app explains, e.g. a date rule);
``error`` (HTTP error, exception, timeout, or an answer the browser could not use).
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests.web

from tests.web.dashcalls import outputs  # noqa: E402  (json only: nothing of the app)
from tests.web.dashcalls import router as pages_router  # noqa: E402

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
SAMPLES: list[dict[str, Any]] = []
ACKS: list[dict[str, Any]] = []
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STALE = PLAN["stale_marker"]  # the text of a refused stale save ("已被他人修改")
DASH = "/_dash-update-component"
KIND_HEADER = "X-Load-Name"  # benchmarks/profiling.py reads it (no import: locust runs alone)
KEEP_ALIVE = os.environ.get("LOAD_KEEP_ALIVE") == "1"
# where /login goes: the logins' own gunicorn when load.py runs one (as nginx routes it), else
# the readers' workers
LOGIN = os.environ.get("LOAD_LOGIN_HOST", "") + "/login"
# share of page visits that load the whole page; the others navigate inside the app, as its
# links do (seen in Chromium: a click on the navigation posts the router's callback and the
# page's own, and fetches neither the index, the layout nor the dependencies)
FULL_LOADS = float(os.environ.get("LOAD_FULL_LOADS", "1"))
THINK = (float(os.environ.get("LOAD_THINK_MIN", "1")), float(os.environ.get("LOAD_THINK_MAX", "5")))


@events.request.add_listener
def _record(
    request_type: str,
    name: str,
    response_time: float,
    response_length: int,
    exception: BaseException | None = None,
    context: dict | None = None,
    **_kw: Any,
) -> None:
    context = context or {}
    box = context.get("box") or {}  # the caller's dict (locust copies ``context`` itself)
    outcome = box.get("outcome") or ("error" if exception else "ok")
    if exception and outcome != "error":
        outcome = "error"
    SAMPLES.append(
        {
            "t": time.time(),
            "kind": context.get("kind", "read"),
            "name": name,
            "ms": response_time,
            "bytes": response_length,
            "outcome": outcome,
            "error": (box.get("why") or str(exception))[:200] if exception else "",
        }
    )


@events.quitting.add_listener
def _dump(**_kw: Any) -> None:
    with open(os.environ["LOAD_SAMPLES"], "w", encoding="utf-8") as out:
        for sample in SAMPLES:
            out.write(json.dumps(sample, ensure_ascii=False) + "\n")
    with open(os.environ["LOAD_ACKS"], "w", encoding="utf-8") as out:
        for ack in ACKS:
            out.write(json.dumps(ack, ensure_ascii=False) + "\n")


# --- forging Dash callback bodies (with tests/web/dashcalls.py, from the plan's specs) ------


def _outputs(key: str) -> Any:
    out = outputs(key)
    return out if key.startswith("..") else out[0]


def forge(
    name: str,
    values: dict[str, Any],
    *,
    pattern: dict | None = None,
    initial: bool = False,
    trigger: str | None = None,
) -> dict:
    """The body the browser posts to run callback ``name``. ``pattern``: the clicked button of
    a pattern-matching input."""
    spec = PLAN["callbacks"][name]

    def entry(item: dict) -> Any:
        raw = item["id"]
        if raw.startswith("{"):
            assert pattern is not None, name
            return [{"id": pattern, "property": item["property"], "value": 1}]
        return {
            "id": raw,
            "property": item["property"],
            "value": values.get(f"{raw}.{item['property']}"),
        }

    first = spec["inputs"][0]
    if trigger is not None:
        changed: list[str] = [trigger]
    elif initial:
        changed = []
    elif pattern is not None:
        changed = [
            json.dumps(pattern, sort_keys=True, separators=(",", ":")) + "." + first["property"]
        ]
    else:
        changed = [f"{first['id']}.{first['property']}"]
    return {
        "output": spec["output"],
        "outputs": _outputs(spec["output"]),
        "inputs": [entry(i) for i in spec["inputs"]],
        "state": [entry(i) for i in spec["state"]],
        "changedPropIds": changed,
    }


def router(path: str, search: str = "") -> dict:
    """Dash pages' own callback: the page's layout for a path (the browser's first load
    names both the path and the query as changed)."""
    return pages_router(path, search) | {
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"]
    }


def _response(resp) -> dict:
    try:
        data = resp.json()
    except Exception:
        return {}
    return data.get("response", {}) if isinstance(data, dict) else {}


# --- the users ----------------------------------------------------------------------------


class Visitor(FastHttpUser):
    """Logs in once, then browses: the overview (page + filter), a project page, the battle
    map's filter when the app has one."""

    abstract = True
    wait_time = between(*THINK)
    account: dict[str, Any]

    def on_start(self) -> None:
        """Log in; a login that fails (e.g. the client's 60 s timeout in a burst) is tried
        again, as a person would, and a user who cannot log in leaves rather than browsing
        without a session (which only piled 401s on the errors)."""
        self.account = self.pick_account()
        for _ in range(3):
            if self.login():
                return
            gevent.sleep(random.uniform(1.0, 3.0))
        raise StopUser()

    def pick_account(self) -> dict[str, Any]:
        raise NotImplementedError

    # requests ----------------------------------------------------------------------------

    def call(self, name: str, kind: str, method: str, path: str, check=None, **kw: Any):
        """One request, marked ``kind`` and judged by ``check(resp, context)``, which may set
        ``context['outcome']`` (default: ok for 2xx/3xx as expected, else error)."""
        context: dict[str, Any] = {"outcome": None}
        # the request's name, for benchmarks/profiling.py's per-kind profile
        kw["headers"] = {**kw.get("headers", {}), KIND_HEADER: name}
        if not KEEP_ALIVE:  # as a reverse proxy talks to gunicorn: one request a connection
            kw["headers"] = {**kw["headers"], "Connection": "close"}
        with self.client.request(
            method,
            path,
            name=name,
            catch_response=True,
            context={"kind": kind, "box": context},
            **kw,
        ) as resp:
            if resp.status_code >= 400 or resp.status_code == 0:
                context["outcome"] = "error"
                context["why"] = f"HTTP {resp.status_code} {getattr(resp, 'error', '') or ''}"
                resp.failure(context["why"])
                return resp
            if check is not None:
                check(resp, context)
            if context["outcome"] == "error":
                resp.failure(context.get("why", "unusable answer"))
            else:
                context["outcome"] = context["outcome"] or "ok"
                resp.success()
            return resp

    def cached(self, name: str, path: str) -> None:
        """A GET the browser keeps in its HTTP cache: sent again with the ETag it was given
        (``If-None-Match``), answered 304 while the body is unchanged."""
        etags = self.__dict__.setdefault("_etags", {})
        headers = {"If-None-Match": etags[path]} if path in etags else {}
        resp = self.call(name, "read", "GET", path, headers=headers)
        if resp.status_code == 200 and resp.headers.get("ETag"):
            etags[path] = resp.headers["ETag"]

    def dash(self, name: str, kind: str, body: dict, check=None):
        return self.call(name, kind, "POST", DASH, check=check, json=body)

    def login(self) -> bool:
        resp = self.call("GET /login", "login", "GET", LOGIN)
        match = CSRF.search(resp.text or "")
        if match is None:
            return False
        done: dict[str, bool] = {}

        def redirected(r, c):
            if r.status_code != 302 or "/login" in (r.headers.get("Location") or ""):
                c["outcome"], c["why"] = "error", f"login refused ({r.status_code})"
            else:
                done["ok"] = True

        self.call(
            "POST /login",
            "login",
            "POST",
            LOGIN,
            check=redirected,
            data={
                "csrf_token": match.group(1),
                "username": self.account["username"],
                "password": PLAN["password"],
                "next": "/",
            },
            allow_redirects=False,
        )
        return bool(done)

    def page(self, path: str, label: str) -> dict:
        """A page visit as the browser makes it: a whole page load (the index, layout,
        dependencies, the frame's callback, then the router) on the first visit and on a
        share FULL_LOADS of the others; else a navigation inside the app (the router)."""
        if not self.__dict__.get("_loaded") or random.random() < FULL_LOADS:
            self._loaded = True
            self.call(f"GET {label}", "read", "GET", path)
            self.cached("GET /_dash-layout", "/_dash-layout")
            self.cached("GET /_dash-dependencies", "/_dash-dependencies")
            if "user_frame" in PLAN["callbacks"]:  # the frame's own part: name, bell, period
                self.dash("user frame", "read", forge("user_frame", {}, initial=True))
        holder: dict = {}

        def keep(r, c):
            holder.update(_response(r))
            if "_pages_content" not in holder:
                c["outcome"], c["why"] = "error", "no page content"

        self.dash(f"render {label}", "read", router(path), check=keep)
        return holder

    # tasks -------------------------------------------------------------------------------

    @task(3)
    def overview(self) -> None:
        self.page("/", "overview")

    @task(2)
    def overview_filter(self) -> None:
        values = {
            "ov-county.value": random.choice([None, *PLAN["counties"]]),
            "ov-area.value": random.choice([None, *PLAN["areas"]]),
            "ov-measure.value": None,
        }
        self.dash(
            "overview filter", "read", forge("refresh_overview", values), check=_has("ov-body")
        )

    if PLAN.get("battle_map"):  # only when the app has the page

        @task(2)
        def battle_map_filter(self) -> None:
            """Open /battle-map, then change one or two of its filters (county, light, area),
            each answered with a new figure, as the page's own callback does it."""
            bm = PLAN["battle_map"]
            layout = self.page("/battle-map", "battle-map page").get("_pages_content", {})
            store = _find(layout.get("children"), bm["state"])
            state = (store or {}).get("props", {}).get("data") or {}
            current: dict[str, Any] = {}  # the page opens unfiltered
            for _ in range(random.randint(1, 2)):
                key = random.choice(list(bm["filters"]))
                value = random.choice([v for v in bm["filters"][key] if v != current.get(key)])
                current[key] = value  # always a real change: the figure is drawn again
                holder: dict = {}

                def drawn(r, c, holder=holder):
                    if r.status_code == 204:  # the view did not change: nothing to draw
                        return
                    resp = _response(r)
                    if bm["graph"] not in resp:
                        c["outcome"], c["why"] = "error", "no figure in the answer"
                    holder.update(resp)

                self.dash(
                    "battle-map filter",
                    "read",
                    forge(
                        bm["callback"],
                        {**current, f"{bm['state']}.data": state},
                        trigger=key,
                    ),
                    check=drawn,
                )
                state = holder.get(bm["state"], {}).get("data", state)
                gevent.sleep(random.uniform(0.5, 1.5))

    @task(3)
    def project(self) -> None:
        self.open_project(random.choice(self.projects()))

    def projects(self) -> list[dict]:
        return PLAN["all_projects"]

    def open_project(self, project: dict) -> None:
        # The browser asks for the page only: its callbacks no longer fire when it arrives
        # (tracker/web/notices.py; tests/web/test_idle_requests_browser.py checks it).
        self.page(f"/projects/{project['id']}", "project page")


class CountyLead(Visitor):
    """A county's lead: reads like everybody, and saves milestone notes and reschedules on
    their own county's projects (several users share a county's account, so they meet)."""

    weight = 4
    _next = 0

    def pick_account(self) -> dict[str, Any]:
        accounts = PLAN["county_accounts"]
        account = accounts[CountyLead._next % len(accounts)]
        CountyLead._next += 1
        return account

    def projects(self) -> list[dict]:
        own = self.account["projects"]
        return own if random.random() < 0.7 else PLAN["all_projects"]

    def _milestone(self, open_only: bool) -> tuple[dict, int]:
        projects = self.account["projects"]
        hot = self.account["hot"]
        if random.random() < 0.5 and hot and not open_only:
            return hot[0], random.choice(hot[1])
        choices = [(p, m) for p in projects for m in (p["open"] if open_only else p["milestones"])]
        project, milestone = random.choice(choices)
        return project, milestone

    def _open_form(self, milestone_id: int) -> dict | None:
        holder: dict = {}

        def form(r, c):
            resp = _response(r)
            data = resp.get("pj-form", {}).get("data")
            if not isinstance(data, dict) or "version" not in data:
                c["outcome"], c["why"] = "error", "form did not open"
                return
            holder.update(resp)

        self.dash(
            "open milestone form",
            "read",
            forge(
                "open_milestone_form",
                {},
                pattern={"index": milestone_id, "type": PLAN["edit_type"]},
            ),
            check=form,
        )
        return holder or None

    def _save(self, label: str, name: str, values: dict, ack: dict) -> None:
        def judge(r, c):
            resp = _response(r)
            error = resp.get("pj-form-error", {}).get("children")
            if resp.get("pj-modal", {}).get("opened") is False:
                ACKS.append({**ack, "t": time.time()})
                return
            if isinstance(error, str) and STALE in error:
                c["outcome"] = "conflict"
                return
            if isinstance(error, str) and error:
                c["outcome"], c["why"] = "refused", error[:100]
                return
            c["outcome"], c["why"] = "error", "no answer to the save"

        self.dash(label, "save", forge(name, values), check=judge)

    def _refresh(self, project_id: int) -> None:
        values = {"pj-refresh.data": int(time.time() * 1000), "pj-project.data": project_id}
        self.dash("project refresh after save", "read", forge("refresh_project_page", values))

    @task(2)
    def milestone_note(self) -> None:
        project, milestone = self._milestone(open_only=False)
        opened = self._open_form(milestone)
        if opened is None:
            return
        form = opened["pj-form"]["data"]
        gevent.sleep(random.uniform(1.0, 3.0))  # typing
        note = f"负载测试 {self.account['username']} {random.getrandbits(40):010x}"
        self._save(
            "save milestone note",
            "save_milestone_note",
            {"pj-note-save.n_clicks": 1, "pj-form.data": form, "pj-note.value": note},
            {"what": "milestone.note", "id": milestone, "seen": form["version"], "note": note},
        )
        self._refresh(project["id"])

    @task(1)
    def milestone_reschedule(self) -> None:
        project, milestone = self._milestone(open_only=True)
        opened = self._open_form(milestone)
        if opened is None:
            return
        form = opened["pj-form"]["data"]
        current = date.fromisoformat(opened["pj-new-date"]["value"][:10])
        target = current + timedelta(days=random.randint(1, 20))
        gevent.sleep(random.uniform(1.0, 3.0))
        reason = f"负载测试调整 {random.getrandbits(40):010x}"
        self._save(
            "save milestone reschedule",
            "save_milestone_reschedule",
            {
                "pj-reschedule-save.n_clicks": 1,
                "pj-form.data": form,
                "pj-new-date.value": target.isoformat(),
                "pj-reason.value": reason,
            },
            {
                "what": "milestone.reschedule",
                "id": milestone,
                "seen": form["version"],
                "date": target.isoformat(),
                "reason": reason,
            },
        )
        self._refresh(project["id"])

    if PLAN.get("reports"):  # only when the app has the report-entry page

        @task(2)
        def report_draft(self) -> None:
            """Open /reports, change one row's 存在问题, save the drafts (the page's own
            callback), then the panels refresh the browser makes after a save."""
            layout = self.page("/reports", "reports page").get("_pages_content", {})
            grid = _find(layout.get("children"), PLAN["reports"]["grid"])
            rows = (grid or {}).get("props", {}).get("rowData") or []
            editable = [r for r in rows if r.get("editable")]
            if not editable:
                return
            pool = editable[:2] if random.random() < 0.5 else editable
            row = random.choice(pool)
            gevent.sleep(random.uniform(1.0, 3.0))  # typing
            text = f"负载测试问题 {self.account['username']} {random.getrandbits(40):010x}"
            edited = {**row, "problems": text}
            virtual = [edited if r.get("row_id") == row.get("row_id") else r for r in rows]
            ids = PLAN["reports"]

            def judge(r, c):
                resp = _response(r)
                back = resp.get(ids["grid"], {}).get("rowData")
                if not isinstance(back, list):
                    c["outcome"], c["why"] = "error", "no grid in the answer"
                    return
                mine = next((x for x in back if x.get("project_id") == row["project_id"]), None)
                if mine is None:
                    c["outcome"], c["why"] = "error", "the row is gone"
                elif mine.get("conflict"):
                    c["outcome"] = "conflict"
                elif mine.get("message"):
                    c["outcome"], c["why"] = "refused", str(mine["message"])[:100]
                else:
                    ACKS.append(
                        {
                            "what": "report.draft",
                            "project_id": row["project_id"],
                            "seen": row.get("version") or 0,
                            "version": mine.get("version"),
                            "problems": text,
                            "t": time.time(),
                        }
                    )

            self.dash(
                "save report drafts",
                "save",
                forge(
                    "save_report_drafts",
                    {
                        f"{ids['save']}.n_clicks": 1,
                        f"{ids['grid']}.rowData": rows,
                        f"{ids['grid']}.virtualRowData": virtual,
                        f"{ids['period']}.data": ids["period_value"],
                    },
                ),
                check=judge,
            )
            self.dash(
                "reports panels after save",
                "read",
                forge(
                    "refresh_report_panels",
                    {
                        f"{ids['panels']}.data": int(time.time() * 1000),
                        f"{ids['period']}.data": ids["period_value"],
                    },
                ),
            )


class OfficeReader(Visitor):
    """The office and the city's leaders: read only."""

    weight = 1

    def pick_account(self) -> dict[str, Any]:
        return random.choice(PLAN["reader_accounts"])


def _find(tree: Any, component_id: str) -> dict | None:
    """The component with ``component_id`` in a layout as Dash serialises it."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict):
                if props.get("id") == component_id:
                    return node
                stack.extend(props.values())
    return None


def _has(component: str):
    def check(r, c):
        if component not in _response(r):
            c["outcome"], c["why"] = "error", f"no {component} in the answer"

    return check
