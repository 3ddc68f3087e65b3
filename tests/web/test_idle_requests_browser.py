"""Opening a page asks the server only for what draws it (#15).

Dash fires a callback when its inputs arrive with a page if one of its outputs lies outside
the page (the shell's notification container), whatever ``prevent_initial_call`` says; the
server then answers "nothing to do" (204). At a dispatch meeting 200 county leads open
pages at once, and every such request costs a worker ~3 ms for nothing. The pages send their
notices through a store of their own, relayed to the shell in the browser.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.web.live import login

PAGES = ["/", "/projects", "/projects/{project}", "/reports", "/ledger", "/bulletin", "/battle-map"]
PAGES += ["/indicators", "/indicators/1", "/sdg", "/indicator-entry", "/approvals"]  # #16, #17
PAGES += ["/map"]  # #18
ADMIN_PAGES = [*PAGES, "/admin"]


def _callback_requests(page):
    """Record every callback request and whether its answer changed anything."""
    seen: list[tuple[str, bool]] = []

    def on_response(response) -> None:
        if "/_dash-update-component" not in response.url:
            return
        asked = json.loads(response.request.post_data or "{}")
        answer = json.loads(response.text() or "{}") if response.status == 200 else {}
        seen.append((asked.get("output", "?").split("@")[0], bool(answer.get("response"))))

    page.on("response", on_response)
    return seen


def _open(page, base: str, path: str) -> None:
    page.goto(f"{base}{path}")
    page.wait_for_selector(".page", timeout=20000)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    ("username", "pages"), [("linxiang", PAGES), ("admin", ADMIN_PAGES)], ids=["county", "office"]
)
def test_opening_a_page_makes_no_request_the_server_answers_with_nothing(
    server, watched, username, pages
):
    page = watched.page
    login(page, server.url, username, DEMO_PASSWORD)
    page.goto(f"{server.url}/projects")
    page.wait_for_selector("a[href^='/projects/']")
    project = page.locator("a[href^='/projects/']").first.get_attribute("href").rsplit("/", 1)[1]
    idle: dict[str, list[str]] = {}
    seen = _callback_requests(page)
    for path in pages:
        path = path.format(project=project)
        seen.clear()
        _open(page, server.url, path)
        nothing = [output for output, changed in seen if not changed]
        if nothing:
            idle[path] = nothing
        assert seen, f"{path}: no callback at all answered (the page did not draw?)"
    assert not idle, f"callbacks answered with nothing when a page opened: {idle}"
