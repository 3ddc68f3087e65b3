"""A fresh app answers many first requests at once (a threaded gunicorn worker just started).

Dash sets up its server and adds the pages router in ``before_request`` hooks on the first
request; two threads at once could race there (a 500 "dictionary changed size during
iteration", seen in the load test right after the workers started). ``create_app`` now does
that set-up itself, so it is done before the first real request.
"""

from __future__ import annotations

import sys
import threading

from tracker.config import load_settings
from tracker.web.app import create_app

TRIALS = 5
THREADS = 8
ROUTER = ".._pages_content.children..._pages_store.data.."


def test_dash_s_first_request_set_up_is_done_when_create_app_returns(sqlite_engine):
    app = create_app(load_settings(env={}), sqlite_engine)
    # the pages router is added by the set-up; before the fix it appeared on the first request
    assert ROUTER in app.callback_map
    assert all(app._got_first_request.values())  # Dash's own flags (private, but the point)


def test_concurrent_first_requests_to_a_fresh_app_all_succeed(sqlite_engine):
    failures: list[list[int]] = []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to meet the race
    try:
        for _ in range(TRIALS):
            app = create_app(load_settings(env={}), sqlite_engine)
            barrier = threading.Barrier(THREADS)
            codes: list[int] = []

            def first_request(app=app, barrier=barrier, codes=codes) -> None:
                client = app.server.test_client()
                barrier.wait()
                codes.append(client.get("/healthz").status_code)

            threads = [threading.Thread(target=first_request) for _ in range(THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            if codes != [200] * THREADS:
                failures.append(codes)
    finally:
        sys.setswitchinterval(interval)
    assert not failures, failures
