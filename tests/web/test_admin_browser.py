"""The office's admin page in the browser: the project list import with progress."""

from __future__ import annotations

import time
import types

import pytest

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import live_server, login
from tracker.services import import_jobs
from tracker.services.permissions import require

pytestmark = pytest.mark.browser


class Result:
    def __init__(self, errors: list[str]) -> None:
        self.created = ["临翔新项目甲", "临翔新项目乙"]
        self.updated = ["LC-01-01 临沧蔗糖循环经济产业园项目"]
        self.unchanged = ["LC-01-02"] * 87
        self.errors = errors

    def summary(self) -> str:
        return f"新增 {len(self.created)} 个，更新 {len(self.updated)} 个，无变化 {len(self.unchanged)} 个"


def _slow_importer(applied: list[bool]) -> types.ModuleType:
    module = types.ModuleType("slow_plan_import")

    def import_project_list(session, *, actor, data, filename, dry_run, max_bytes, progress):
        require(actor, "plan.import")
        for step in range(4):  # a large file: reading takes a while and says how far it got
            time.sleep(0.6)
            progress((step + 1) / 5, "reading")
        if not dry_run:
            applied.append(True)
        errors = []
        if filename.startswith("bad"):
            errors = ["工作表“重大项目清单”第7行J列（总投资（万元））：不是有效的金额：约5000"]
        return Result(errors)

    module.import_project_list = import_project_list
    module.export_project_list_bytes = lambda session, *, actor: b"PK"
    return module


@pytest.fixture
def threaded_server(demo_engine):
    with live_server(demo_engine, DEMO_AS_OF, run_job=import_jobs.in_thread) as srv:
        yield srv


def test_the_office_uploads_a_list_sees_progress_and_the_dry_run_then_confirms(
    threaded_server, watched, monkeypatch, tmp_path
):
    applied: list[bool] = []
    threaded_server.app.server.extensions["tracker"].importer = _slow_importer(applied)
    page = watched.page
    login(page, threaded_server.url, "admin", DEMO_PASSWORD, next_path="/admin")
    page.get_by_role("tab", name="项目清单导入导出").click()

    bad = tmp_path / "bad-清单.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    page.set_input_files("#ad-upload input[type=file]", str(bad))
    page.wait_for_selector("#ad-progress", state="visible", timeout=5000)
    page.wait_for_selector("text=第7行J列", timeout=20000)
    assert page.locator("#ad-confirm").is_disabled()

    good = tmp_path / "清单.xlsx"
    good.write_bytes(b"PK\x03\x04 not really a workbook")
    page.set_input_files("#ad-upload input[type=file]", str(good))
    page.wait_for_selector("#ad-progress", state="visible", timeout=5000)
    page.wait_for_selector("text=试读结果", timeout=20000)
    assert "临翔新项目甲" in page.locator("#ad-status").inner_text()
    shot(page, "admin-import")
    page.wait_for_function("!document.querySelector('#ad-confirm').disabled")
    page.click("#ad-confirm")
    page.wait_for_selector("text=导入完成", timeout=20000)
    assert applied == [True]
