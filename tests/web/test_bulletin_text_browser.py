"""#14: draft → edit → sign on the bulletin page, in headless Chromium.

The demo office stands on 2026-11-28, November still in reporting. The office rewrites
三、存在问题 on the page and saves it (marked 已修改; another section edited and sent back
to the draft is drafted again), then signs the month (定稿, the page's
compile). Without reopening anything, a November report's figures are changed in the
database underneath: the page's frozen text and the downloaded Word file still read the
office's sentence and the figures of the day it was signed, while a live draft would not.
The month's three files open as a reader would open them, and the span bulletin of the
month's year downloads. A leader reads the signed text, and has nothing to edit.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import MonthlyReport
from tracker.services.bulletin import compute_bulletin
from tracker.services.bulletin_text import document_of
from tracker.web.views.bulletin_text import BulletinTextIds as Ids

pytestmark = pytest.mark.browser

NOVEMBER = "2026-11"
SENTENCE = "经核查，凤庆县两个项目用地报批滞后，请市自然资源局于12月15日前协调办结。"


def _pid(kind: str, key: str) -> str:
    """A pattern-matching component's id as Dash writes it into the page."""
    return "[id='" + json.dumps({"index": key, "type": kind}, separators=(",", ":")) + "']"


def _settled(page) -> None:
    page.wait_for_function(
        "document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0"
    )


def _section(page, key: str):
    return page.locator(_pid(Ids.SECTION, key))


def _read_text(page, key: str) -> str:
    """A section as the page shows it once signed: its paragraphs, one a line."""
    return "\n".join(_section(page, key).locator(".bl-text-para").all_inner_texts())


def _download(page, button: str, tmp_path) -> tuple[str, bytes]:
    with page.expect_download(timeout=60000) as info:
        page.click(button)
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return info.value.suggested_filename, path.read_bytes()


def _word_paragraphs(content: bytes) -> list[str]:
    return [p.text.strip() for p in WordDocument(io.BytesIO(content)).paragraphs if p.text.strip()]


def _change_a_report_underneath(engine) -> tuple[tuple[str, str], str]:
    """Add 5,000 万元 to November's largest report, straight in the table (no service, no
    reopening: a close does not stop a database from changing). Returns the live figures'
    year-to-date total before and after, and what a live draft's 一、总体情况 now reads."""
    settings = load_settings(env={})
    with write_session(engine) as s:
        before = compute_bulletin(
            s, period=DEMO_AS_OF.replace(day=1), today=DEMO_AS_OF, settings=settings
        )
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.period == DEMO_AS_OF.replace(day=1))
            .order_by(MonthlyReport.completed_ytd.desc())  # type: ignore[union-attr]
        ).first()
        assert report is not None
        report.completed_month = (report.completed_month or 0) + 5000
        report.completed_ytd = (report.completed_ytd or 0) + 5000
        report.completed_total = (report.completed_total or 0) + 5000
        s.add(report)
    with read_session(engine) as s:
        after = compute_bulletin(
            s, period=DEMO_AS_OF.replace(day=1), today=DEMO_AS_OF, settings=settings
        )
        live = document_of(s, after, settings=settings)
    return (
        str(before.totals["completed_ytd"]),
        str(after.totals["completed_ytd"]),
    ), live.sections[0].text


def test_the_office_edits_signs_and_the_signed_text_stays_after_the_data_changes(
    demo_engine, server, watched, tmp_path
):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path=f"/bulletin?month={NOVEMBER}")
    page.wait_for_selector("#bl-headline")
    _settled(page)
    assert page.locator("#bl-final").inner_text() == "未定稿"
    assert page.locator(f"#{Ids.STATUS}").inner_text() == "草稿（未定稿）"

    # -- the office rewrites 三、存在问题 and saves it: kept and marked ----------------------
    box = page.locator(_pid(Ids.TEXT, "problems"))
    drafted = box.input_value()
    assert drafted and SENTENCE not in drafted
    box.fill(drafted + "\n" + SENTENCE)
    page.click(_pid(Ids.SAVE, "problems"))
    page.wait_for_function(
        "(sel) => { const m = document.querySelector(sel); return m && m.innerText === '已修改'; }",
        arg=_pid(Ids.MARK, "problems"),
    )
    page.wait_for_selector("text=已保存“三、存在问题”")
    assert page.locator(_pid(Ids.MARK, "overall")).inner_text() == "自动起草"
    assert SENTENCE in page.locator(_pid(Ids.TEXT, "problems")).input_value()
    shot(page, "bulletin-text-edited")

    # -- another section edited, then sent back to the draft: drafted again ---------------
    steps = page.locator(_pid(Ids.TEXT, "next_steps"))
    drafted_steps = steps.input_value()
    steps.fill("下步工作由办公室另行部署。")
    page.click(_pid(Ids.SAVE, "next_steps"))
    page.wait_for_selector(_pid(Ids.RESET, "next_steps"))
    assert page.locator(_pid(Ids.MARK, "next_steps")).inner_text() == "已修改"
    page.click(_pid(Ids.RESET, "next_steps"))
    page.wait_for_selector(_pid(Ids.RESET, "next_steps"), state="detached")
    assert page.locator(_pid(Ids.MARK, "next_steps")).inner_text() == "自动起草"
    assert page.locator(_pid(Ids.TEXT, "next_steps")).input_value() == drafted_steps
    assert page.locator(_pid(Ids.MARK, "problems")).inner_text() == "已修改"

    # -- 定稿: the page's compile closes the month and freezes the text -------------------
    page.click("#bl-compile")
    page.wait_for_selector("#bl-compile-confirm", state="visible")
    page.click("#bl-compile-confirm")
    page.wait_for_selector("#bl-compile-done")
    page.wait_for_function("document.querySelector('#bl-final').innerText === '定稿'")
    page.wait_for_function(
        "(sel) => (document.querySelector(sel) || {}).innerText === '已定稿（正文已冻结）'",
        arg=f"#{Ids.STATUS}",
    )
    _settled(page)
    assert page.locator(f"#{Ids.PANEL} textarea").count() == 0
    assert page.locator(f"#{Ids.PANEL} button").count() == 0  # no save, no reset
    signed_overall = _read_text(page, "overall")
    signed_problems = _read_text(page, "problems")
    assert SENTENCE in signed_problems
    assert page.locator(_pid(Ids.MARK, "problems")).inner_text() == "已修改"
    signed_ytd = page.locator("#bl-kpi-ytd").inner_text()
    figures = re.findall(r"\d+(?:\.\d+)?亿元", signed_overall)
    assert figures, signed_overall

    # -- the data changes underneath: a live draft would read otherwise -------------------
    (live_before, live_after), live_overall = _change_a_report_underneath(demo_engine)
    assert live_before != live_after
    assert live_overall != signed_overall  # the check below could fail

    page.goto(f"{server.url}/bulletin?month={NOVEMBER}")
    page.wait_for_selector(f"#{Ids.STATUS}")
    _settled(page)
    assert _read_text(page, "overall") == signed_overall
    assert _read_text(page, "problems") == signed_problems
    assert page.locator("#bl-kpi-ytd").inner_text() == signed_ytd
    assert page.locator(f"#{Ids.PANEL} textarea").count() == 0
    shot(page, "bulletin-text-signed")

    # -- the files: the 公文 in Word and PDF, the tables in Excel -----------------------------
    name, word = _download(page, f"#{Ids.DOWNLOAD_DOCX}", tmp_path)
    assert name == "调度通报-2026-11.docx"
    paragraphs = _word_paragraphs(word)
    assert "一、总体情况" in paragraphs and "三、存在问题" in paragraphs
    assert SENTENCE in paragraphs
    for line in signed_overall.split("\n"):  # the figures of the day it was signed
        assert line in paragraphs, line
    name, pdf = _download(page, f"#{Ids.DOWNLOAD_PDF}", tmp_path)
    assert name == "调度通报-2026-11.pdf" and pdf.startswith(b"%PDF")
    name, xlsx = _download(page, "#bl-download", tmp_path)
    assert name == "调度通报-2026-11.xlsx"
    assert load_workbook(io.BytesIO(xlsx)).sheetnames

    # -- the span bulletins of the month's year: 前三季度 from the frozen months ----------------
    page.click(f"#{Ids.SPAN_OPEN}")
    page.wait_for_selector(f"#{Ids.SPAN_DOCX}", state="visible")
    assert "2026年" in page.locator(f"#{Ids.SPAN_YEAR}").inner_text()
    page.get_by_text("前三季度", exact=True).click()
    name, span_word = _download(page, f"#{Ids.SPAN_DOCX}", tmp_path)
    assert name == "调度通报-2026-Q3.docx"
    assert "2026年前三季度重大项目调度通报" in _word_paragraphs(span_word)
    page.keyboard.press("Escape")

    # -- a leader reads the signed text; nothing to edit --------------------------------------
    page.click(".logout-button")
    page.wait_for_url(re.compile(r"/login"))
    login(page, server.url, "leader", DEMO_PASSWORD, next_path=f"/bulletin?month={NOVEMBER}")
    page.wait_for_selector(f"#{Ids.STATUS}")
    _settled(page)
    assert _read_text(page, "problems") == signed_problems
    assert page.locator(f"#{Ids.PANEL} textarea").count() == 0
    assert page.locator(_pid(Ids.MARK, "problems")).count() == 0  # the office's own marks
    shot(page, "bulletin-text-leader")
