"""The list import's mapping step in a real browser, with the real importer: a heading no
rule knows, the office maps it, the import goes through, and the next list with the same
headings maps itself."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from tests.conftest import DEMO_PASSWORD
from tests.excel.factories import xlsx_bytes
from tests.web.conftest import shot
from tests.web.live import login
from tracker.db import read_session
from tracker.models import HeaderMapping, ImportJob, Project

pytestmark = pytest.mark.browser

HEADER = ["序号", "项目名称", "所属领域", "工作举措", "项目所在县区", "总投资（万元）"]
HEADER += ["本年度计划投资（万元）", "督查口径"]


def office_list(names: list[str], marks: list[str]) -> bytes:
    rows: list[list[object]] = [["临沧市2027年重大项目清单（补充）"], ["单位：万元"], HEADER]
    for n, (name, mark) in enumerate(zip(names, marks, strict=True), start=1):
        rows.append([n, name, "绿色低碳发展", "发展清洁能源", "永德县", 800, 240, mark])
    return xlsx_bytes(rows)


def select_id(key: str) -> str:
    """The CSS selector of a pattern-matching id as Dash writes it into the page."""
    ident = json.dumps({"index": key, "type": "ad-map"}, ensure_ascii=False, separators=(",", ":"))
    return f"[id='{ident}']"


def upload(page, path) -> None:
    page.set_input_files("#ad-upload input[type=file]", str(path))


def test_an_unknown_heading_is_mapped_once_and_the_next_list_maps_itself(
    server, demo_engine, watched, tmp_path
):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/admin")
    page.get_by_role("tab", name="项目清单导入导出").click()

    first = tmp_path / "补充清单.xlsx"
    first.write_bytes(office_list(["永德甲项目", "永德乙项目"], ["省重点", "市重点"]))
    upload(page, first)
    page.wait_for_selector("#ad-mapping-alert", timeout=30000)
    table = page.locator("#ad-mapping-table").inner_text()
    assert "督查口径" in table and "省重点 | 市重点" in table and "无法识别" in table
    assert page.locator("#ad-confirm").is_disabled()
    shot(page, "admin-import-mapping")

    page.locator(select_id("督查口径")).click()
    page.get_by_role("option", name="备注", exact=True).click()
    page.click("#ad-remap")
    page.wait_for_selector("text=试读结果", timeout=30000)
    status = page.locator("#ad-status").inner_text()
    assert "永德甲项目" in status and "本年度按2027年" in status
    assert "2027（标题“临沧市2027年重大项目清单（补充）”）" in status
    page.wait_for_function("!document.querySelector('#ad-confirm').disabled")
    page.click("#ad-confirm")
    page.wait_for_selector("text=导入完成", timeout=30000)
    with read_session(demo_engine) as s:
        added = {p.name: p for p in s.exec(select(Project).where(Project.county == "永德县"))}
        assert added["永德乙项目"].remark == "市重点"
        assert [(m.header, m.field) for m in s.exec(select(HeaderMapping))] == [
            ("督查口径", "REMARK")
        ]
        [job] = s.exec(select(ImportJob).where(ImportJob.status == "applied")).all()
        assert (job.mapping, job.year) == ({"督查口径": "REMARK"}, 2027)

    second = tmp_path / "第二批清单.xlsx"
    second.write_bytes(office_list(["永德丙项目"], ["县重点"]))
    upload(page, second)
    page.wait_for_selector("text=试读结果", timeout=30000)
    assert page.locator("#ad-mapping-alert").count() == 0
    assert "永德丙项目" in page.locator("#ad-status").inner_text()
    page.locator("#ad-mapping summary").click()  # the mapping, folded away, says how
    row = page.locator("#ad-mapping-table tr", has_text="督查口径").inner_text()
    assert "按指定的对应" in row
    shot(page, "admin-import-remembered")
    page.wait_for_function("!document.querySelector('#ad-confirm').disabled")
    page.click("#ad-confirm")
    page.wait_for_selector("text=导入完成", timeout=30000)
    with read_session(demo_engine) as s:
        third = s.exec(select(Project).where(Project.name == "永德丙项目")).one()
        assert third.remark == "县重点"


def test_a_re_import_shows_each_changed_field_old_and_new_before_it_is_confirmed(
    server, demo_engine, watched, tmp_path
):
    from io import BytesIO

    from openpyxl import load_workbook

    from tracker.services.auth import SYSTEM
    from tracker.services.plan_import import export_project_list_bytes

    with read_session(demo_engine) as s:
        exported = export_project_list_bytes(s, actor=SYSTEM)
    book = load_workbook(BytesIO(exported))
    sheet = book.active
    headers = [c.value for c in sheet[3]]
    total = headers.index("总投资（万元）") + 1
    name = sheet.cell(row=4, column=headers.index("项目名称") + 1).value
    old = sheet.cell(row=4, column=total).value
    sheet.cell(row=4, column=total, value=old + 100)
    path = tmp_path / "清单.xlsx"
    book.save(path)

    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/admin")
    page.get_by_role("tab", name="项目清单导入导出").click()
    upload(page, path)
    page.wait_for_selector("text=试读结果", timeout=60000)
    status = page.locator("#ad-status").inner_text()
    assert "将更新 1 个" in status and "89 个无变化" in status
    page.locator("#ad-changes summary", has_text=name).click()
    change = page.locator("#ad-changes").inner_text()
    assert f"总投资（万元）\t{old:,.2f}\t→\t{old + 100:,.2f}" in change
    shot(page, "admin-import-changes")
