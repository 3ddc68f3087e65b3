"""#19: what the walk of the whole month stumbled on besides the issue's list — the project
page's header and figure tiles, as a user sees them, in Chinese and English."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD, _sqlite_copy
from tests.web.live import live_server, login
from tracker.db import read_session
from tracker.models import Project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def walk_server(sqlite_demo_template, tmp_path_factory):
    engine = _sqlite_copy(sqlite_demo_template, tmp_path_factory.mktemp("walk"))
    with live_server(engine, DEMO_AS_OF) as srv:
        srv.engine = engine
        yield srv
    engine.dispose()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_project_header_says_each_thing_once_and_units_stay_on_one_line(
    browser, walk_server, language
):
    with read_session(walk_server.engine) as s:
        continuing = s.exec(
            select(Project).where(Project.nature == "续建").order_by(Project.sort_order)
        ).first()
    assert continuing is not None, "the demo holds 续建 projects"
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        login(page, walk_server.url, "admin", DEMO_PASSWORD)
        # the landing page's own requests answered first: a response still on its way
        # carries the session cookie as it was before the language was chosen
        page.wait_for_load_state("networkidle")
        page.goto(f"{walk_server.url}/lang/{language}?next=/projects/{continuing.id}")
        page.wait_for_selector("#pj-stage")
        signed_out = "Sign out" if language == "en" else "退出"
        assert page.locator(".logout-button").inner_text().strip() == signed_out
        header = page.locator("#pj-name").locator("xpath=..")
        badges = [b.strip() for b in header.locator(".mantine-Badge-root").all_inner_texts()]
        stage = page.locator("#pj-stage").inner_text().strip()
        assert badges.count(stage) == 1, f"the header repeats {stage!r}: {badges}"
        units = page.locator(
            ".mantine-Paper-root small", has_text="10k" if language == "en" else "万元"
        )
        units.first.wait_for()  # the figure tiles render with the page's status panel
        assert units.count() >= 4
        for i in range(units.count()):
            lines = units.nth(i).evaluate("el => el.getClientRects().length")
            assert lines == 1, f"unit {units.nth(i).inner_text()!r} breaks over {lines} lines"
    finally:
        context.close()
