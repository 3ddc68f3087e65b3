"""The login form while the office signs in at once (#15): the password check can take a
while in a burst (docs/deploy.md's login service queues them), so the form says the login is
under way and a second click or submit sends no second check."""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlmodel import select

import tracker.services.login as login_service
from tests.conftest import DEMO_PASSWORD
from tracker.db import read_session
from tracker.models import LoginAttempt
from tracker.services.demo import demo_users

pytestmark = pytest.mark.browser

LEAD = next(u.username for u in demo_users("x") if u.role == "county")
SLOW_CHECK_S = 2.0

# Runs in the page after the login script (registered later, so its submit listener runs
# after the script's): reports what the person sees at each submit, and 100 ms after the
# first one clicks the button again and submits the form again, as an impatient person (or
# the Enter key) would. Playwright cannot evaluate while the form's POST is under way, so
# what happens then is reported through the console.
WATCH = """() => {
  const form = document.querySelector("form[action='/login']");
  const button = document.querySelector('#login-submit');
  let n = 0;
  form.addEventListener('submit', (event) => {
    n += 1;
    console.log(JSON.stringify({submit: n, prevented: event.defaultPrevented,
      disabled: button.disabled, busy: button.getAttribute('aria-busy'),
      text: button.textContent}));
    if (n === 1) {
      setTimeout(() => { button.click(); form.requestSubmit(); }, 100);
    }
  });
}"""


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The password checks the server ran (by username), each SLOW_CHECK_S long, as a check
    that waits its turn in a burst."""
    done: list[str] = []
    lock = threading.Lock()
    real = login_service.authenticate

    def slow(session, username, password):
        with lock:
            done.append(username)
        time.sleep(SLOW_CHECK_S)
        return real(session, username, password)

    monkeypatch.setattr(login_service, "authenticate", slow)
    return done


def test_a_login_under_way_says_so_and_sends_one_password_check(
    demo_engine, server, watched, checks
):
    page = watched.page
    seen: list[dict] = []
    page.on("console", lambda m: seen.append(json.loads(m.text)) if m.text.startswith("{") else None)
    page.goto(f"{server.url}/login")
    button = page.locator("#login-submit")
    assert button.inner_text() == "登录" and button.is_enabled()
    page.fill("#username", LEAD)
    page.fill("#password", DEMO_PASSWORD)
    page.evaluate(WATCH)
    button.click(no_wait_after=True)
    page.wait_for_url(lambda url: "/login" not in url, timeout=15000)

    first, *later = seen
    assert first["prevented"] is False  # the first submit goes out
    assert first["disabled"] and first["busy"] == "true"
    assert first["text"].startswith("正在登录")
    # the click on the disabled button submits nothing; the form sent again is held back
    assert [s["prevented"] for s in later] == [True], seen
    assert checks == [LEAD]
    with read_session(demo_engine) as s:
        attempts = s.exec(select(LoginAttempt).where(LoginAttempt.username == LEAD)).all()
    assert [a.success for a in attempts] == [True]


def test_without_the_script_a_second_submit_would_send_a_second_check(server, watched, checks):
    """What the script prevents, shown with it switched off: the same impatient second
    submit reaches the server as a second password check."""
    page = watched.page
    page.route("**/assets/login.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    page.goto(f"{server.url}/login")
    page.fill("#username", LEAD)
    page.fill("#password", DEMO_PASSWORD)
    page.evaluate(WATCH)
    page.locator("#login-submit").click(no_wait_after=True)
    deadline = time.monotonic() + 15  # each new submit aborts the navigation before it
    while "/login" in page.url and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert "/login" not in page.url
    # the click and the submit in one task make one more navigation in Chromium
    assert len(checks) >= 2 and set(checks) == {LEAD}, checks


def test_the_login_script_is_the_login_page_s_only_and_served_from_the_office_s_server(
    server, watched
):
    """login.js comes with the login page (no CDN), and Dash's pages do not load it."""
    page = watched.page
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(f"{server.url}/login")
    assert [u for u in scripts if "login.js" in u] == [f"{server.url}/assets/login.js"]
    page.fill("#username", LEAD)
    page.fill("#password", DEMO_PASSWORD)
    scripts.clear()
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url, timeout=15000)
    page.wait_for_load_state("networkidle")
    assert scripts and not [u for u in scripts if "login.js" in u], scripts
