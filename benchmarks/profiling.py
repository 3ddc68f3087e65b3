"""Where a request's CPU goes, per request kind, under load (``benchmarks/load.py --profile``).

- gunicorn runs under py-spy (``py-spy record --subprocesses --nonblocking``, a sampling
  profiler outside the process: it reads the workers' stacks without taking their GIL and
  keeps only threads that are running), and loads ``benchmarks.profiled_app:server``, which
  wraps ``app:server`` with :class:`Profiled`: each request runs inside a frame named
  ``load_kind[<kind>]``, so every sampled stack says which kind of request it belongs to. The
  kind is the load test's own name for the request (header ``X-Load-Name``), else the method
  and path. The middleware also counts each kind's requests and CPU (``time.thread_time``)
  into ``totals-<pid>.json``.
- The runner: :func:`merge` reads both, :func:`classify` puts a stack in one category (Dash's
  JSON, queries, figure building, status computation, auth/session, compression, other),
  :func:`shares` and :func:`top_functions` make the tables.

Why py-spy and not a sampler inside the worker: a thread inside the process can only look
when it holds the GIL, which it mostly gets when a request thread waits on PostgreSQL, so the
CPU spent before each query was charged to the query (measured: a thread burning 2 ms then
sleeping 1 ms looked 100 % asleep). py-spy counts a thread that waits for the GIL as running,
so profile runs use one thread a worker (load.py does it).

Nothing here is imported by the app; the app runs unchanged unless gunicorn is told to load
``benchmarks.profiled_app:server``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import types
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
        ("flask.sessions", None),  # Flask's signed session cookie
        ("itsdangerous", None),
    ),
    # building the page's components (their JSON is Dash's JSON, above)
    "components": (
        ("dash.development", None),
        ("dash.html", None),
        ("dash.dcc", None),
        ("dash_mantine_components", None),
        ("dash_ag_grid", None),
        ("dash_iconify", None),
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
# A sample whose innermost frame is one of these is a thread at a round trip to PostgreSQL
# (sending a query, waiting for its answer). py-spy keeps it because the thread is runnable
# there: woken by the answer but waiting for a core, or preempted by the PostgreSQL backend it
# just woke. On a busy 2-core machine that is a real share of the samples, but little CPU.
DB_WAIT = "db wait"
DB_WAIT_LEAVES = frozenset(
    {
        "psycopg.connection:Connection.wait",
        "psycopg._cursor_base:BaseCursor._execute_send",
        "psycopg._connection_base:BaseConnection._exec_command",
    }
)
ORDER = (*CATEGORIES, DB_WAIT, OTHER)


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
    counts only where nothing else does. A sample at a round trip to PostgreSQL (DB_WAIT_LEAVES)
    is "db wait". No category: "other"."""
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
    if frames and frames[-1] in DB_WAIT_LEAVES:
        return DB_WAIT
    return innermost or weak or OTHER


def shares(stacks: dict[str, float]) -> dict[str, float]:
    """Share (0..1) of the sampled CPU in each category, every category present."""
    total = sum(stacks.values())
    out = dict.fromkeys(ORDER, 0.0)
    for stack, seconds in stacks.items():
        out[classify(stack)] += seconds
    return {k: (v / total if total else 0.0) for k, v in out.items()}


def cpu_shares(part: dict[str, float]) -> dict[str, float]:
    """``shares`` without the round trips to PostgreSQL (DB_WAIT: runnable, hardly on a core),
    the rest scaled to 1: the estimate of where the CPU goes."""
    rest = 1.0 - part.get(DB_WAIT, 0.0)
    return {k: (v / rest if rest > 0 else 0.0) for k, v in part.items() if k != DB_WAIT}


def inclusive_shares(stacks: dict[str, float]) -> dict[str, float]:
    """Share of the sampled CPU spent with a frame of each category anywhere on the stack
    (status computation including its own queries, for instance), round trips to
    PostgreSQL left out as in ``cpu_shares``; these overlap."""
    stacks = {k: v for k, v in stacks.items() if classify(k) != DB_WAIT}
    total = sum(stacks.values())
    out = dict.fromkeys(CATEGORIES, 0.0)
    for stack, seconds in stacks.items():
        for category in {frame_category(f) for f in stack.split(";")} - {None}:
            out[category] += seconds  # type: ignore[index]
    return {k: (v / total if total else 0.0) for k, v in out.items()}


def top_functions(stacks: dict[str, float], n: int = 10) -> list[tuple[str, float]]:
    """The ``n`` functions with the largest cumulative share (a function counted once a
    stack, however often it recurses), the server's plumbing (PLUMBING) and the round trips to
    PostgreSQL (DB_WAIT) left out."""
    stacks = {k: v for k, v in stacks.items() if classify(k) != DB_WAIT}
    total = sum(stacks.values())
    cumulative: Counter[str] = Counter()
    for stack, seconds in stacks.items():
        for frame in set(stack.split(";")):
            if not any(_in(frame.partition(":")[0], p) for p in PLUMBING):
                cumulative[frame] += seconds
    return [(f, s / total if total else 0.0) for f, s in cumulative.most_common(n)]


def top_self(stacks: dict[str, float], n: int = 10) -> list[tuple[str, float]]:
    """The ``n`` functions whose own code (and the C code they call) took the most, round
    trips to PostgreSQL (DB_WAIT) left out."""
    stacks = {k: v for k, v in stacks.items() if classify(k) != DB_WAIT}
    total = sum(stacks.values())
    own: Counter[str] = Counter()
    for stack, seconds in stacks.items():
        own[stack.rpartition(";")[2]] += seconds
    return [(f, s / total if total else 0.0) for f, s in own.most_common(n)]


def print_profile(profile: dict[str, dict[str, Any]], top: int = 3) -> dict[str, Any]:
    """The per-kind table (CPU per request and the categories' shares) and the top functions
    of the ``top`` costliest kinds; returns the same figures for summary.json."""
    total_cpu = sum(item["cpu_s"] for item in profile.values()) or 1.0
    kinds = sorted(profile, key=lambda k: -profile[k]["cpu_s"])
    short = {
        "dash json": "json",
        "compression": "gzip",
        "queries": "query",
        DB_WAIT: "dbwait",
        "figure": "figure",
        "status": "status",
        "auth/session": "auth",
        "components": "comps",
        OTHER: "other",
    }
    shown = [c for c in ORDER if c != DB_WAIT]
    print(
        "\nCPU profile per request kind (py-spy samples of the gunicorn workers' runnable "
        "threads. CPU ms/req: the serving thread's own CPU clock, argon2's extra lanes not in "
        "it; % of all: of the workers' request CPU; dbwait: % of the kind's samples at a round "
        "trip to PostgreSQL; the categories: % of the other samples, i.e. of the CPU)"
    )
    head = f"{'':<34}{'reqs':>6}{'CPU ms/req':>11}{'% of all':>9}{'dbwait':>7} |" + "".join(
        f"{short[c]:>7}" for c in shown
    )
    print(head)
    print("-" * len(head))
    table = []
    for kind in kinds:
        item = profile[kind]
        part = shares(item["stacks"])
        cpu = cpu_shares(part)
        per = 1000 * item["cpu_s"] / item["requests"] if item["requests"] else 0.0
        print(
            f"{kind[:33]:<34}{item['requests']:>6}{per:>11.1f}"
            f"{100 * item['cpu_s'] / total_cpu:>9.1f}{100 * part[DB_WAIT]:>7.0f} |"
            + "".join(f"{100 * cpu[c]:>7.0f}" for c in shown)
        )
        table.append(
            {
                "kind": kind,
                "requests": item["requests"],
                "cpu_ms_per_request": per,
                "share_of_all_cpu": item["cpu_s"] / total_cpu,
                "shares": cpu,
                "db_wait_share_of_samples": part[DB_WAIT],
                "sampled_s": item["sampled_s"],
                "inclusive": inclusive_shares(item["stacks"]),
            }
        )
    everything: Counter[str] = Counter()
    for item in profile.values():
        everything.update(item["stacks"])
    overall_part = shares(everything)
    overall = cpu_shares(overall_part)
    print(
        f"{'all kinds':<34}{sum(p['requests'] for p in profile.values()):>6}{'':>11}{100.0:>9.1f}"
        f"{100 * overall_part[DB_WAIT]:>7.0f} |"
        + "".join(f"{100 * overall[c]:>7.0f}" for c in shown)
    )
    print(
        "  (json = Dash's JSON: dash._utils.to_json, plotly.io.json, orjson, json; query = "
        "sqlalchemy/psycopg; figure = plotly graph objects, tracker.gantt; status = "
        "tracker.services.status; auth = flask_login, argon2, sessions, login, Flask's "
        "signed cookie; comps = building Dash components; gzip = "
        "flask_compress, gzip/zlib/brotli; a query's own Python (building the SQL, loading "
        "rows into objects) is query)"
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


# --- py-spy's output ------------------------------------------------------------------------------

KIND_FRAME = "load_kind"  # the name of the frame that carries a request's kind: load_kind[<kind>]


def frame_name(pyspy_frame: str) -> str:
    """py-spy's "function (path/to/module.py:line)" as "module:function" (the path relative
    to sys.path, as py-spy shortens it; frozen modules by their name)."""
    function, _, where = pyspy_frame.rpartition(" (")
    if not function:  # no location: a process line or a bare name
        return pyspy_frame
    path = where.rstrip(")").rpartition(":")[0]
    if path.startswith("<frozen ") and path.endswith(">"):
        module = path[len("<frozen ") : -1]
    else:
        module = path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    return f"{module}:{function}"


def parse_pyspy(lines: Iterable[str], rate: float) -> dict[str, Counter[str]]:
    """py-spy's raw (folded) output as kind -> {stack below the kind frame: seconds}. Samples
    outside a request (no kind frame: the master, the workers' own loops) are left out."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        line = line.rstrip("\n")
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        for i, frame in enumerate(frames):
            if frame.startswith(KIND_FRAME + "["):
                kind = frame[len(KIND_FRAME) + 1 : frame.rindex("]")]
                below = ";".join(frame_name(f) for f in frames[i + 1 :])
                out[kind][below] += int(count) / rate
                break
    return out


def merge(totals_files: Iterable[Path], pyspy_file: Path, rate: float) -> dict[str, dict[str, Any]]:
    """The workers' request counts and CPU, and py-spy's samples, per kind:
    kind -> {requests, cpu_s, wall_s, sampled_s, stacks}."""
    out: dict[str, dict[str, Any]] = {}
    for path in totals_files:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for kind, item in data.items():
            into = out.setdefault(
                kind, {"requests": 0, "cpu_s": 0.0, "wall_s": 0.0, "stacks": Counter()}
            )
            into["requests"] += item["requests"]
            into["cpu_s"] += item["cpu_s"]
            into["wall_s"] += item["wall_s"]
    if pyspy_file.exists():
        with pyspy_file.open(encoding="utf-8", errors="replace") as lines:
            for kind, stacks in parse_pyspy(lines, rate).items():
                out.setdefault(
                    kind, {"requests": 0, "cpu_s": 0.0, "wall_s": 0.0, "stacks": Counter()}
                )["stacks"].update(stacks)
    for item in out.values():
        item["sampled_s"] = sum(item["stacks"].values())
    return out


# --- each gunicorn worker ----------------------------------------------------------------------


def request_kind(environ: dict[str, Any]) -> str:
    """The load test's name for a request, else "METHOD /path"."""
    return (
        environ.get(_ENVIRON_KEY) or f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
    )


def _call(app: Any, environ: dict[str, Any], start_response: Any) -> Any:
    return app(environ, start_response)


class Totals:
    """Requests, CPU (``time.thread_time``: the serving thread's own) and wall time per kind,
    written every few seconds to ``totals-<pid>.json``."""

    def __init__(self, out_dir: Path, dump_every: float = 3.0) -> None:
        self.out_dir = out_dir
        self.dump_every = dump_every
        self.lock = threading.Lock()
        self.totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        self.pid = 0
        self.dirty = False

    def start(self) -> None:
        if self.pid != os.getpid():  # after gunicorn's fork: this worker's own thread
            self.pid = os.getpid()
            threading.Thread(target=self._run, name="load-totals", daemon=True).start()

    def add(self, kind: str, cpu: float, wall: float) -> None:
        with self.lock:
            total = self.totals[kind]
            total[0] += 1
            total[1] += cpu
            total[2] += wall
            self.dirty = True

    def dump(self) -> None:
        with self.lock:
            if not self.dirty:
                return
            self.dirty = False
            data = {
                kind: {"requests": int(t[0]), "cpu_s": t[1], "wall_s": t[2]}
                for kind, t in self.totals.items()
            }
        path = self.out_dir / f"totals-{os.getpid()}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    def _run(self) -> None:
        while True:
            time.sleep(self.dump_every)
            try:
                self.dump()
            except OSError as exc:  # a profiler must not take a worker down
                print(f"load profile: {exc!r}", file=sys.stderr)


class Profiled:
    """WSGI middleware: every request runs inside a frame named ``load_kind[<kind>]`` (so
    py-spy's stacks say which kind they belong to) and is counted in :class:`Totals`."""

    def __init__(self, app: Any, totals: Totals) -> None:
        self.app = app
        self.totals = totals
        self.runners: dict[str, Any] = {}

    def runner(self, kind: str) -> Any:
        run = self.runners.get(kind)
        if run is None:
            name = f"{KIND_FRAME}[{kind.replace(';', ',')}]"
            run = types.FunctionType(
                _call.__code__.replace(co_name=name, co_qualname=name), _call.__globals__
            )
            self.runners[kind] = run
        return run

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.totals.start()
        kind = request_kind(environ)
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            # Flask's answer is complete here: Dash and flask-compress build the whole body
            return self.runner(kind)(self.app, environ, start_response)
        finally:
            self.totals.add(kind, time.thread_time() - cpu, time.perf_counter() - wall)


# --- comparing two runs ---------------------------------------------------------------------------


def cpu_per_request(totals_dir: Path) -> dict[str, tuple[int, float]]:
    """kind -> (requests, mean CPU ms) from a run's ``totals-*.json``."""
    merged = merge(sorted(Path(totals_dir).glob("totals-*.json")), Path(totals_dir) / "-", 1)
    return {
        kind: (item["requests"], 1000 * item["cpu_s"] / item["requests"])
        for kind, item in merged.items()
        if item["requests"]
    }


def print_comparison(before: Path, after: Path) -> None:
    """CPU per request of each kind in two runs (e.g. an old commit and this one)."""
    a, b = cpu_per_request(before), cpu_per_request(after)
    print(f"CPU ms per request: {before} -> {after}")
    head = f"{'':<34}{'reqs':>6}{'before':>9}{'reqs':>6}{'after':>9}{'ratio':>7}"
    print(head)
    print("-" * len(head))
    for kind in sorted(set(a) | set(b), key=lambda k: -(b.get(k, (0, 0))[0] * b.get(k, (0, 0))[1])):
        (na, ma), (nb, mb) = a.get(kind, (0, 0.0)), b.get(kind, (0, 0.0))
        ratio = f"{mb / ma:>7.2f}" if ma and mb else f"{'':>7}"
        print(f"{kind[:33]:<34}{na:>6}{ma:>9.1f}{nb:>6}{mb:>9.1f}{ratio}")
    for label, data in (("before", a), ("after", b)):
        n = sum(x[0] for x in data.values())
        cpu = sum(x[0] * x[1] for x in data.values())
        print(f"all kinds, {label}: {n} requests, {cpu / n if n else 0:.1f} ms CPU a request")


if __name__ == "__main__":
    # python -m benchmarks.profiling compare BEFORE_DIR AFTER_DIR  (load.py --profile's files)
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        print_comparison(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit("usage: python -m benchmarks.profiling compare BEFORE_DIR AFTER_DIR")
