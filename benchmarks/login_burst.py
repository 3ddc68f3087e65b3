"""A burst of concurrent wrong passwords for one username: how many real password checks
(argon2id) it costs, through the login form, on SQLite and PostgreSQL.

    python3 benchmarks/login_burst.py --bursts 16,40 --rounds 3

With atomic throttling (tracker.services.login: the lock check and the attempt's record in
one transaction) every burst costs exactly LOGIN_MAX_FAILURES checks; before #12 the check
and the record were separate steps and a burst of 16 cost 16. The table also gives the
burst's wall time. PostgreSQL runs when a server answers at TRACKER_TEST_POSTGRES (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), in a schema of its own.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

import tracker.services.login as login_service  # noqa: E402
from tracker.config import load_settings  # noqa: E402
from tracker.db import make_engine, migrate, write_session  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.services.auth import hash_password  # noqa: E402
from tracker.web.app import create_app  # noqa: E402

PG_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def burst(engine, n: int, username: str) -> tuple[int, float]:
    """Password checks and seconds for ``n`` concurrent wrong passwords."""
    with write_session(engine) as session:
        session.add(User(username=username, password_hash=hash_password("x" * 12), role="viewer"))
    # one address sends every burst: its own limit is lifted, so each burst meets the
    # username's limit only
    settings = load_settings(env={"LOGIN_MAX_FAILURES_PER_IP": "1000000"})
    app = create_app(settings, engine, today=lambda: date(2026, 11, 28))
    checks: list[str] = []
    real = login_service.authenticate
    login_service.authenticate = lambda s, u, p: (checks.append(u), real(s, u, p))[1]
    clients = [app.server.test_client() for _ in range(n)]
    tokens = [
        re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").get_data(as_text=True))[1]
        for c in clients
    ]
    start = threading.Barrier(n)

    def attempt(i: int) -> None:
        start.wait()
        clients[i].post(
            "/login", data={"username": username, "password": "wrong", "csrf_token": tokens[i]}
        )

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    login_service.authenticate = real
    return len(checks), elapsed


def engines(folder: str):
    yield "SQLite", make_engine(f"sqlite:///{folder}/burst.db")
    try:
        admin = make_engine(PG_URL, connect_args={"connect_timeout": 3})
        with admin.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS login_burst CASCADE"))
            conn.execute(text("CREATE SCHEMA login_burst"))
    except Exception as exc:  # noqa: BLE001 - no server: say so and skip
        print(f"PostgreSQL skipped: {exc.__class__.__name__}", file=sys.stderr)
        return
    yield "PostgreSQL", make_engine(PG_URL, connect_args={"options": "-csearch_path=login_burst"})
    with admin.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS login_burst CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", default="16,40", help="concurrent attempts, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(x) for x in args.bursts.split(",")]
    limit = load_settings(env={}).LOGIN_MAX_FAILURES
    print(f"LOGIN_MAX_FAILURES = {limit}")
    print(
        f"{'database':<11} {'burst':>5}  {'password checks per round':<28} {'seconds (median)':>16}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, engine in engines(folder):
            migrate(engine)
            for n in sizes:
                results = [burst(engine, n, f"burst{n}r{r}") for r in range(args.rounds)]
                checks = ", ".join(str(c) for c, _ in results)
                seconds = sorted(s for _, s in results)[len(results) // 2]
                print(f"{name:<11} {n:>5}  {checks:<28} {seconds:>16.2f}")
            engine.dispose()


if __name__ == "__main__":
    main()
