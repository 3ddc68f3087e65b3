"""#16 in the browser: a unit downloads its indicator values form on /indicator-entry, fills
a value in, uploads it back; the value is sent and the grid shows it waiting for review."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tests.web.test_indicator_form_page import _period, _stored
from tracker.db import read_session
from tracker.excel.indicator_form import FIRST_ROW, LETTER, SHEET
from tracker.models import Indicator

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes/shots")


def test_a_unit_fills_its_form_in_and_uploads_it_back(demo_engine, server, watched, tmp_path):
    from openpyxl import load_workbook

    page = watched.page
    login(page, server.url, "kejiju", DEMO_PASSWORD, next_path="/indicator-entry")
    page.wait_for_selector("#ie-grid .ag-row")
    page.get_by_role("tab", name="离线填报（Excel）").click()
    with page.expect_download() as info:
        page.click("#ie-form-download")
    form = tmp_path / info.value.suggested_filename
    info.value.save_as(form)
    assert form.name.startswith("指标数据填报表-市科技局-")

    book = load_workbook(form)
    sheet = book[SHEET]
    row = next(
        r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet[f"{LETTER['status']}{r}"].value == "未填报"
        and sheet[f"{LETTER['value']}{r}"].value is None
    )
    code = sheet[f"{LETTER['code']}{row}"].value
    period = _period(sheet[f"{LETTER['period']}{row}"].value)
    sheet[f"{LETTER['value']}{row}"] = 42.5
    sheet[f"{LETTER['source']}{row}"] = "市统计局统计公报"
    book.save(form)

    page.set_input_files("#ie-upload input[type=file]", str(form))
    page.wait_for_selector("#ie-upload-ok")
    assert "已报送" in page.locator("#ie-upload-ok").inner_text()
    stored = _stored(demo_engine, code, period)
    assert stored is not None and (stored.status, stored.value) == ("submitted", 42.5)
    with read_session(demo_engine) as s:
        indicator_id = s.exec(select(Indicator.id).where(Indicator.code == code)).first()
    path = shot(page, "indicator-form-uploaded")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / "i16-form.png")

    page.get_by_role("tab", name="在线填报").click()  # the grid was drawn again
    line = page.locator(f'#ie-grid .ag-center-cols-container [row-id="{indicator_id}:{period}"]')
    line.wait_for(timeout=10000)
    assert "42.5" in line.inner_text() and "待审核" in line.inner_text()

    # a value that is no number: the row is listed with its sheet, row and column; nothing sent
    page.get_by_role("tab", name="离线填报（Excel）").click()
    with page.expect_download() as info:
        page.click("#ie-form-download")
    again = tmp_path / "again.xlsx"
    info.value.save_as(again)
    book = load_workbook(again)
    sheet = book[SHEET]
    bad = next(
        r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet[f"{LETTER['status']}{r}"].value == "未填报"
    )
    sheet[f"{LETTER['value']}{bad}"] = "约五成"
    book.save(again)
    page.set_input_files("#ie-upload input[type=file]", str(again))
    page.wait_for_selector("#ie-upload-errors")
    listed = page.locator("#ie-upload-errors").inner_text()
    assert f"{SHEET}\t{bad}\t{LETTER['value']} 本期值" in listed
    shot(page, "indicator-form-refused")
