"""Browser fixtures: a live server on a demo database and headless Debian Chromium.

Every page a test opens fails the test when a JavaScript dialog opens (XSS) or when any
request leaves 127.0.0.1 (no CDN).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import DEMO_AS_OF
from tests.web.live import chromium, live_server

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium")
    with chromium() as b:
        yield b


@pytest.fixture
def server(demo_engine):
    with live_server(demo_engine, DEMO_AS_OF) as srv:
        yield srv


class Watched:
    """A page plus what it did that a test must not allow."""

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("request", self._request)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host not in {"127.0.0.1"}:
            self.foreign.append(request.url)

    def check(self) -> None:
        assert not self.dialogs, f"a JavaScript dialog opened: {self.dialogs}"
        assert not self.foreign, f"requests left 127.0.0.1: {self.foreign}"
        assert not self.errors, f"errors in the page: {self.errors}"


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    w = Watched(page)
    yield w
    context.close()
    w.check()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_terminal_summary(terminalreporter):
    """The fuzz run's figures (#12), when it ran: payloads, 500s, rows changed by refusals."""
    fuzz = sys.modules.get("tests.web.test_fuzz_callbacks")
    if fuzz is not None and fuzz.FIGURES["payloads"]:
        terminalreporter.write_line(fuzz.figures_line())
