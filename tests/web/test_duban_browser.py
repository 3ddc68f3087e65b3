"""#14 in the browser: the office sees each ledger item's cause and responsible unit (待明确
when none is named) and downloads its 督办单 with a 文号."""

from __future__ import annotations

import pytest
from docx import Document as read_docx
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tracker.db import read_session, write_session
from tracker.models import AuditLog, ProblemItem

pytestmark = pytest.mark.browser


def test_the_office_downloads_a_coordination_item_s_督办单(demo_engine, server, watched):
    with write_session(demo_engine) as s:
        item = s.exec(
            select(ProblemItem)
            .where(ProblemItem.kind == "coordination")
            .where(ProblemItem.status == "open")
            .order_by(ProblemItem.id)
        ).first()
        assert item is not None, "the demo has open coordination items"
        item.owner = ""  # the text named no known unit: the office must name one
        s.add(item)
        text = item.text
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/ledger")
    page.wait_for_selector("#lg-grid .ag-row")
    assert "问题成因" in page.locator("#lg-grid .ag-header").inner_text()
    row = page.locator(f'#lg-grid .ag-center-cols-container .ag-row:has-text("{text}")').first
    assert "待明确" in row.inner_text()
    row.click()
    page.wait_for_selector("#lg-duban-docx")
    assert "未从内容中识别出责任单位" in page.locator("#lg-panel").inner_text()
    shot(page, "ledger-duban")
    with page.expect_download() as download:
        page.click("#lg-duban-docx")
    number = f"临示办督〔{DEMO_AS_OF.year}〕1号"
    assert download.value.suggested_filename == f"督办单-{number}.docx"
    word = read_docx(str(download.value.path()))
    paragraphs = [p.text for p in word.paragraphs]
    cells = [c.text for r in word.tables[0].rows for c in r.cells]
    assert number in paragraphs and text in cells and "待明确" in cells
    page.wait_for_selector(f"text=督办单 {number} 已生成")
    with page.expect_download() as again:  # a copy, as PDF: the same number
        page.click("#lg-duban-pdf")
    assert again.value.suggested_filename == f"督办单-{number}.pdf"
    with read_session(demo_engine) as s:
        issued = s.exec(select(AuditLog).where(AuditLog.action == "duban.issue")).all()
    assert len(issued) == 1
