"""Where a request's CPU goes, per request kind, under load (``benchmarks/load.py --profile``).

Two halves:

- In each gunicorn worker (``benchmarks/profiled_app.py`` wraps ``app:server`` with
  :class:`Profiled`): a sampling profiler weighted by CPU. Every ``interval`` a thread of the
  worker looks at the threads that are serving a request, reads each one's CPU clock
  (``pthread_getcpuclockid``) and adds the CPU it used since the last look to its current
  stack. Waiting on PostgreSQL, on the GIL or on the socket costs no CPU and so weighs
  nothing; a request's exact CPU (``time.thread_time``) is counted apart. The request kind is
  the load test's own name for it (header ``X-Load-Name``), else the method and path. Stacks
  are folded ("module:function;..." root first) and written every few seconds as
  ``profile-<pid>.json`` into ``LOAD_PROFILE_DIR``.
- In the runner: :func:`merge` reads the workers' files, :func:`classify` puts a stack in one
  category (Dash's JSON, queries, figure building, status computation, auth/session,
  compression, other), :func:`shares` and :func:`top_functions` make the tables.

Nothing here is imported by the app; the app runs unchanged unless gunicorn is told to load
``benchmarks.profiled_app:server``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

KIND_HEADER = "X-Load-Name"
_ENVIRON_KEY = "HTTP_" + KIND_HEADER.upper().replace("-", "_")

# --- classification (the runner) -------------------------------------------------------------

# Category -> frames that belong to it: (module prefix, function name or None for any).
# A module prefix matches the module and its submodules ("json" matches json.encoder, not
# jsonschema). C code (orjson, zlib, argon2's core) has no frame of its own: its time falls on
# the Python frame that called it, which is why the callers are listed.
CATEGORIES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "dash json": (
        ("dash._utils", "to_json"),
        ("plotly.io._json", None),
        ("plotly.io.json", None),
        ("_plotly_utils.utils", None),  # PlotlyJSONEncoder
    ),
    "compression": (
        ("flask_compress", None),
        ("gzip", None),
        ("zlib", None),
        ("brotli", None),
    ),
    "queries": (
        ("sqlalchemy", None),
        ("sqlmodel", None),
        ("psycopg", None),
        ("psycopg2", None),
        ("psycopg_pool", None),
    ),
    "figure": (
        ("plotly.graph_objs", None),
        ("plotly.graph_objects", None),
        ("plotly.basedatatypes", None),
        ("plotly.validators", None),
        ("plotly.express", None),
        ("_plotly_utils.basevalidators", None),
        ("tracker.gantt", None),
    ),
    "status": (("tracker.services.status", None),),
    "auth/session": (
        ("flask_login", None),
        ("argon2", None),
        ("tracker.services.sessions", None),
        ("tracker.services.login", None),
        ("tracker.services.auth", None),
    ),
}
# Everything below a frame of these counts as them (the JSON of a layout calls the components'
# to_plotly_json; compression reads the body; a figure's validators read plotly's JSON
# catalogue): the outermost such frame decides.
ABSORBING = ("dash json", "compression", "figure")
# Plain JSON (the stdlib's, orjson, Flask's) is Dash's JSON only when nothing else on the stack
# has a category: parsing a callback's body is, a JSON column read by a query is the query's.
WEAK: dict[str, tuple[str, ...]] = {"dash json": ("json", "orjson", "flask.json")}
OTHER = "other"
# Frames every request passes through: left out of the top functions.
PLUMBING = (
    "threading",
    "concurrent.futures",
    "gunicorn",
    "benchmarks.profiling",
    "flask.app",
    "werkzeug",
    "dash.backends",  # Dash's request handler and callback wrappers
    "dash._callback",
)
ORDER = (*CATEGORIES, OTHER)


def _in(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def frame_category(frame: str) -> str | None:
    """The category of one folded frame "module:function", or None (weak matches aside)."""
    module, _, function = frame.partition(":")
    for category, matchers in CATEGORIES.items():
        for prefix, name in matchers:
            if _in(module, prefix) and (name is None or function == name):
                return category
    return None


def _weak_category(frame: str) -> str | None:
    module = frame.partition(":")[0]
    for category, prefixes in WEAK.items():
        if any(_in(module, prefix) for prefix in prefixes):
            return category
    return None


def classify(stack: str | Iterable[str]) -> str:
    """The category of a stack, root first ("a:f;b:g" or a sequence of frames).

    Serialisation, compression and figure building take everything beneath them (the
    outermost such frame wins); otherwise the innermost frame with a category decides, so a
    query made while checking a session or computing statuses counts as a query. Plain JSON
    counts only where nothing else does. No category: "other"."""
    frames = stack.split(";") if isinstance(stack, str) else list(stack)
    innermost = weak = None
    for frame in frames:
        category = frame_category(frame)
        if category in ABSORBING:
            return category
        if category is not None:
            innermost = category
        elif weak is None:
            weak = _weak_category(frame)
    return innermost or weak or OTHER


def shares(stacks: dict[str, float]) -> dict[str, float]:
    """Share (0..1) of the sampled CPU in each category, every category present."""
    total = sum(stacks.values())
    out = dict.fromkeys(ORDER, 0.0)
    for stack, seconds in stacks.items():
        out[classify(stack)] += seconds
    return {k: (v / total if total else 0.0) for k, v in out.items()}


def inclusive_shares(stacks: dict[str, float]) -> dict[str, float]:
    """Share of the sampled CPU spent with a frame of each category anywhere on the stack
    (status computation including its own queries, for instance); these overlap."""
    total = sum(stacks.values())
    out = dict.fromkeys(CATEGORIES, 0.0)
    for stack, seconds in stacks.items():
        for category in {frame_category(f) for f in stack.split(";")} - {None}:
            out[category] += seconds  # type: ignore[index]
    return {k: (v / total if total else 0.0) for k, v in out.items()}


def top_functions(stacks: dict[str, float], n: int = 10) -> list[tuple[str, float]]:
    """The ``n`` functions with the largest cumulative share (a function counted once a
    stack, however often it recurses), the server's plumbing (PLUMBING) left out."""
    total = sum(stacks.values())
    cumulative: Counter[str] = Counter()
    for stack, seconds in stacks.items():
        for frame in set(stack.split(";")):
            if not any(_in(frame.partition(":")[0], p) for p in PLUMBING):
                cumulative[frame] += seconds
    return [(f, s / total if total else 0.0) for f, s in cumulative.most_common(n)]


def top_self(stacks: dict[str, float], n: int = 10) -> list[tuple[str, float]]:
    """The ``n`` functions whose own code (and the C code they call) took the most."""
    total = sum(stacks.values())
    own: Counter[str] = Counter()
    for stack, seconds in stacks.items():
        own[stack.rpartition(";")[2]] += seconds
    return [(f, s / total if total else 0.0) for f, s in own.most_common(n)]


def merge(files: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """The workers' files added up: kind -> {requests, cpu_s, wall_s, sampled_s, stacks}."""
    out: dict[str, dict[str, Any]] = {}
    for path in files:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for kind, item in data.items():
            into = out.setdefault(
                kind, {"requests": 0, "cpu_s": 0.0, "wall_s": 0.0, "stacks": Counter()}
            )
            into["requests"] += item["requests"]
            into["cpu_s"] += item["cpu_s"]
            into["wall_s"] += item["wall_s"]
            into["stacks"].update(dict(item["stacks"]))
    for item in out.values():
        item["sampled_s"] = sum(item["stacks"].values())
    return out


def print_profile(profile: dict[str, dict[str, Any]], top: int = 3) -> dict[str, Any]:
    """The per-kind table (CPU per request and the categories' shares) and the top functions
    of the ``top`` costliest kinds; returns the same figures for summary.json."""
    total_cpu = sum(item["cpu_s"] for item in profile.values()) or 1.0
    kinds = sorted(profile, key=lambda k: -profile[k]["cpu_s"])
    short = {
        "dash json": "json",
        "compression": "gzip",
        "queries": "query",
        "figure": "figure",
        "status": "status",
        "auth/session": "auth",
        OTHER: "other",
    }
    print(
        "\nCPU profile per request kind (sampled in the gunicorn workers, weighted by each "
        "thread's CPU clock; shares of the kind's sampled CPU, %)"
    )
    head = f"{'':<34}{'reqs':>6}{'CPU ms/req':>11}{'% of all':>9}{'samples s':>10}" + "".join(
        f"{short[c]:>7}" for c in ORDER
    )
    print(head)
    print("-" * len(head))
    table = []
    for kind in kinds:
        item = profile[kind]
        part = shares(item["stacks"])
        per = 1000 * item["cpu_s"] / item["requests"] if item["requests"] else 0.0
        print(
            f"{kind[:33]:<34}{item['requests']:>6}{per:>11.1f}"
            f"{100 * item['cpu_s'] / total_cpu:>9.1f}{item['sampled_s']:>10.1f}"
            + "".join(f"{100 * part[c]:>7.0f}" for c in ORDER)
        )
        table.append(
            {
                "kind": kind,
                "requests": item["requests"],
                "cpu_ms_per_request": per,
                "share_of_all_cpu": item["cpu_s"] / total_cpu,
                "shares": part,
                "inclusive": inclusive_shares(item["stacks"]),
            }
        )
    everything: Counter[str] = Counter()
    for item in profile.values():
        everything.update(item["stacks"])
    overall = shares(everything)
    print(
        f"{'all kinds':<34}{sum(p['requests'] for p in profile.values()):>6}{'':>11}{100.0:>9.1f}"
        f"{sum(everything.values()):>10.1f}" + "".join(f"{100 * overall[c]:>7.0f}" for c in ORDER)
    )
    print(
        "  (json = Dash's JSON: dash._utils.to_json, plotly.io.json, orjson, json; query = "
        "sqlalchemy/psycopg; figure = plotly graph objects, tracker.gantt; status = "
        "tracker.services.status; auth = flask_login, argon2, sessions, login; gzip = "
        "flask_compress, gzip/zlib/brotli)"
    )
    print("\ninclusive shares (a category's frame anywhere on the stack; overlapping), %")
    head = f"{'':<34}" + "".join(f"{short[c]:>7}" for c in CATEGORIES)
    print(head)
    for row in table[: max(top * 3, 8)]:
        print(
            f"{row['kind'][:33]:<34}"
            + "".join(f"{100 * row['inclusive'][c]:>7.0f}" for c in CATEGORIES)
        )
    tops = {}
    for kind in kinds[:top]:
        functions = top_functions(profile[kind]["stacks"], 10)
        own = top_self(profile[kind]["stacks"], 10)
        tops[kind] = {"cumulative": functions, "self": own}
        print(
            f"\ntop 10 functions by cumulative CPU, {kind} (Dash's and the server's wrappers left out)"
        )
        for frame, share in functions:
            print(f"  {100 * share:5.1f}%  {frame}")
        print(f"top 10 by own CPU (with the C code they call), {kind}")
        for frame, share in own:
            print(f"  {100 * share:5.1f}%  {frame}")
    return {"kinds": table, "all": overall, "top_functions": tops}


# --- the sampler (each gunicorn worker) --------------------------------------------------------


def fold(frame: Any, limit: int = 200) -> str:
    """The folded stack of a frame, root first: "module:qualname;..."."""
    names = []
    while frame is not None and len(names) < limit:
        code = frame.f_code
        names.append(f"{frame.f_globals.get('__name__', '?')}:{code.co_qualname}")
        frame = frame.f_back
    return ";".join(reversed(names))


def request_kind(environ: dict[str, Any]) -> str:
    """The load test's name for a request, else "METHOD /path"."""
    return (
        environ.get(_ENVIRON_KEY) or f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
    )


class Sampler:
    def __init__(self, out_dir: Path, interval: float = 0.005, dump_every: float = 3.0) -> None:
        self.out_dir = out_dir
        self.interval = interval
        self.dump_every = dump_every
        self.lock = threading.Lock()
        self.active: dict[int, tuple[str, int]] = {}  # thread ident -> (kind, CPU clock id)
        self.last: dict[int, float] = {}  # thread ident -> its CPU clock at the last look
        self.stacks: dict[str, Counter[str]] = defaultdict(Counter)
        self.totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        self.pid = 0
        self.dirty = False

    def start(self) -> None:
        if self.pid == os.getpid():
            return
        self.pid = os.getpid()  # after gunicorn's fork: this worker's own thread
        threading.Thread(target=self._run, name="load-profiler", daemon=True).start()

    def enter(self, kind: str) -> None:
        ident = threading.get_ident()
        clock = time.pthread_getcpuclockid(ident)
        with self.lock:
            self.active[ident] = (kind, clock)
            self.last[ident] = time.clock_gettime(clock)

    def leave(self, kind: str, cpu: float, wall: float) -> None:
        ident = threading.get_ident()
        with self.lock:
            self.active.pop(ident, None)
            self.last.pop(ident, None)
            total = self.totals[kind]
            total[0] += 1
            total[1] += cpu
            total[2] += wall
            self.dirty = True

    def sample(self) -> None:
        frames = sys._current_frames()
        with self.lock:
            for ident, (kind, clock) in list(self.active.items()):
                frame = frames.get(ident)
                if frame is None:
                    continue
                now = time.clock_gettime(clock)
                used = now - self.last.get(ident, now)
                self.last[ident] = now
                if used > 0:
                    self.stacks[kind][fold(frame)] += used

    def dump(self) -> None:
        with self.lock:
            if not self.dirty:
                return
            self.dirty = False
            data = {
                kind: {
                    "requests": int(total[0]),
                    "cpu_s": total[1],
                    "wall_s": total[2],
                    "stacks": self.stacks[kind].most_common(),
                }
                for kind, total in self.totals.items()
            }
        path = self.out_dir / f"profile-{os.getpid()}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    def _run(self) -> None:
        next_dump = time.monotonic() + self.dump_every
        while True:
            time.sleep(self.interval)
            try:
                self.sample()
                if time.monotonic() >= next_dump:
                    next_dump = time.monotonic() + self.dump_every
                    self.dump()
            except Exception as exc:  # noqa: BLE001 - a profiler must not take a worker down
                print(f"load profiler: {exc!r}", file=sys.stderr)


class Profiled:
    """WSGI middleware: every request sampled under its kind."""

    def __init__(self, app: Any, sampler: Sampler) -> None:
        self.app = app
        self.sampler = sampler

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.sampler.start()
        kind = request_kind(environ)
        self.sampler.enter(kind)
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            # Flask's answer is complete here: Dash and flask-compress build the whole body
            return self.app(environ, start_response)
        finally:
            self.sampler.leave(kind, time.thread_time() - cpu, time.perf_counter() - wall)
