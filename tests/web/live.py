"""A real server for browser tests and benchmarks: the app's Flask server in a thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Engine
from werkzeug.serving import make_server

from tracker.config import load_settings
from tracker.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


logging.getLogger("werkzeug").setLevel(logging.ERROR)


class LiveServer:
    def __init__(self, engine: Engine, today: date, run_job=None, **settings) -> None:
        self.app = create_app(
            load_settings(env={}, **settings),
            engine,
            today=lambda: today,
            run_job=run_job or _inline,
        )
        self._server = make_server("127.0.0.1", 0, self.app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(10)


def _inline(target, *args) -> None:
    target(*args)


@contextmanager
def live_server(engine: Engine, today: date, run_job=None, **settings) -> Iterator[LiveServer]:
    server = LiveServer(engine, today, run_job, **settings).start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def login(page, base_url: str, username: str, password: str, next_path: str = "/") -> None:
    page.goto(f"{base_url}/login?next={next_path}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url, timeout=15000)
