"""Reads while the office signs in: read latency with and without a login burst, for each
way of running the password hashes, on PostgreSQL behind gunicorn (4 workers x 2 threads).

    python3 benchmarks/login_reads.py [--logins 40] [--rate 10] [--readers 6] [--quiet 8]
                                      [--modes 0:0,1:10,1:idle] [--workers 4] [--threads 2]

A fresh database with the demo office (created next to TRACKER_TEST_POSTGRES, dropped at the
end). For each mode SLOTS:NICE (LOGIN_HASH_SLOTS, LOGIN_HASH_NICE; NICE ``idle``:
LOGIN_HASH_IDLE, the default; 0:0 is the behaviour before #15: every login hashes at once
in its request's thread) a gunicorn starts; readers,
signed in beforehand, load the overview page (Dash's page router, one callback: the
queries and the page's components) in a loop with a short pause; after --quiet seconds
--logins right-password logins arrive at --rate a second (0: all at once), each through
the form on a fresh connection. The table gives the reads' p50/p95 before the burst and
while it runs (from the first login sent to the last answered), the logins' p50/p95/max,
and the burst's wall time. Figures are noisy on a shared machine: run each mode twice.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load import (  # noqa: E402
    create_database,
    database_url,
    drop_database,
    free_port,
    pct,
    production_env,
    run_cli,
    start_gunicorn,
    stop,
    wait_healthy,
)
from tests.web.dashcalls import router  # noqa: E402

PASSWORD = "login-reads-2026"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
USERS = ("admin", "leader", "kejiju", "linxiang", "fengqing", "yunxian", "yongde", "gengma")


class Client:
    """One browser: its cookie, one connection a request (as nginx talks to gunicorn)."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""

    def request(
        self, method: str, path: str, body: bytes | None = None, kind: str = ""
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if kind:
            headers["Content-Type"] = kind
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("tracker_session="):
                self.cookie = value.split(";", 1)[0]
        conn.close()
        return response.status, data

    def login(self, username: str) -> float:
        """Seconds for the form's POST (the password check); raises when refused."""
        status, page = self.request("GET", "/login")
        token = CSRF.search(page.decode()).group(1)
        form = f"csrf_token={token}&username={username}&password={PASSWORD}&next=/"
        began = time.perf_counter()
        status, _ = self.request(
            "POST", "/login", form.encode(), "application/x-www-form-urlencoded"
        )
        took = time.perf_counter() - began
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}")
        return took


def run_mode(url: str, slots: int, nice: str, args) -> dict:
    port = free_port()
    idle = nice == "idle"
    env = dict(
        production_env(url),
        LOGIN_HASH_SLOTS=str(slots),
        LOGIN_HASH_NICE="0" if idle else str(int(nice)),
        LOGIN_HASH_IDLE="true" if idle else "false",
    )
    log = Path(tempfile.mkdtemp(prefix="login-reads-")) / "gunicorn.log"
    server = start_gunicorn(env, port, args.workers, args.threads, log)
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        readers = []
        for i in range(args.readers):
            reader = Client(port)
            reader.login(USERS[i % len(USERS)])
            readers.append(reader)
        page = json.dumps(router("/")).encode()
        for reader in readers:  # each worker's first build out of the figures
            reader.request("POST", "/_dash-update-component", page, "application/json")
        reads: list[tuple[float, float]] = []  # (start, seconds)
        stop_reading = threading.Event()

        def read_loop(reader: Client) -> None:
            while not stop_reading.is_set():
                began = time.perf_counter()
                status, _ = reader.request(
                    "POST", "/_dash-update-component", page, "application/json"
                )
                if status != 200:
                    raise RuntimeError(f"read answered {status}")
                reads.append((began, time.perf_counter() - began))
                time.sleep(args.pause)

        threads = [threading.Thread(target=read_loop, args=(r,)) for r in readers]
        quiet_from = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.quiet)
        logins: list[float] = []

        def one_login(i: int) -> None:
            logins.append(Client(port).login(USERS[i % len(USERS)]))

        burst_from = time.perf_counter()
        senders = []
        for i in range(args.logins):
            sender = threading.Thread(target=one_login, args=(i,))
            sender.start()
            senders.append(sender)
            if args.rate > 0:
                time.sleep(1 / args.rate)
        for sender in senders:
            sender.join()
        burst_to = time.perf_counter()
        stop_reading.set()
        for thread in threads:
            thread.join()
        quiet = sorted(s for t, s in reads if quiet_from <= t < burst_from)
        during = sorted(s for t, s in reads if burst_from <= t < burst_to)
        logins.sort()
        return {
            "mode": f"{slots}:{nice}",
            "quiet": quiet,
            "during": during,
            "logins": logins,
            "burst": burst_to - burst_from,
        }
    finally:
        stop(server)


def ms(values: list[float], q: float) -> str:
    return f"{pct(values, q) * 1000:,.0f}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=40)
    parser.add_argument("--rate", type=float, default=10.0, help="logins a second; 0: at once")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between a reader's reads")
    parser.add_argument(
        "--quiet", type=float, default=8.0, help="seconds of reads before the burst"
    )
    parser.add_argument(
        "--modes", default="0:0,1:10,1:idle", help="SLOTS:NICE (NICE 0-19 or idle), comma-separated"
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    name = f"login_reads_{os.getpid()}"
    url = database_url(name)
    create_database(name)
    try:
        env = dict(os.environ, DATABASE_URL=url, TRACKER_ENV="development")
        run_cli(env, "init")
        run_cli(env, "demo", "--password", PASSWORD)
        rows = []
        for mode in args.modes.split(","):
            slots, nice = mode.split(":")
            rows.append(run_mode(url, int(slots), nice, args))
            print(f"mode {mode} done", file=sys.stderr, flush=True)
    finally:
        drop_database(name)
    print(
        f"{args.logins} logins at {args.rate or 'once'}/s, {args.readers} readers (overview page), "
        f"gunicorn {args.workers}x{args.threads}; CPUs: {os.cpu_count()}"
    )
    print(
        f"{'slots:nice':>10} | {'reads quiet p50/p95 ms':>22} | {'reads in burst p50/p95 ms':>25}"
        f" | {'n':>4} | {'login p50/p95/max ms':>22} | {'burst s':>7}"
    )
    for row in rows:
        quiet = f"{ms(row['quiet'], 0.5)} / {ms(row['quiet'], 0.95)}"
        during = f"{ms(row['during'], 0.5)} / {ms(row['during'], 0.95)}"
        login = f"{ms(row['logins'], 0.5)} / {ms(row['logins'], 0.95)} / {ms(row['logins'], 1.0)}"
        print(
            f"{row['mode']:>10} | {quiet:>22} | {during:>25} | {len(row['during']):>4}"
            f" | {login:>22} | {row['burst']:>7.1f}"
        )


if __name__ == "__main__":
    main()
