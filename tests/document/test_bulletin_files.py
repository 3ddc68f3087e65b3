"""The demo's October 2026 bulletin as the office issues it: the Word document opens in
LibreOffice (converted to PDF) and the reportlab PDF reads, each with its sections, 期号,
亿元 and annexes; the Word file has what Word and WPS need (heading styles, East-Asian fonts,
A4, page numbers, repeated table headers)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from docx import Document as read_docx

from tests.conftest import DEMO_AS_OF
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session
from tracker.services.auth import SYSTEM
from tracker.services.bulletin_text import download

OCTOBER = date(2026, 10, 1)
HEADINGS = ("一、总体情况", "二、各县（区）和牵头单位进展", "三、存在问题", "四、下步工作")
ANNEXES = (
    "附件1",
    "附件2",
    "附件3",
    "附件4",
    "附件5",
    "附件6",
    "附件7",
    "附件8",
    "附件9",
    "附件10",
)


def _file(engine, suffix: str, period: date = OCTOBER, **overrides):
    settings = dispatch_settings(**overrides)
    with read_session(engine) as s:
        return download(
            s, actor=SYSTEM, period=period, today=DEMO_AS_OF, settings=settings, suffix=suffix
        )


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages"))
    )


def _reads_as_the_bulletin(text: str) -> None:
    flat = "".join(text.split())
    for heading in (*HEADINGS, *ANNEXES):
        assert heading in flat, heading
    assert "第10期" in flat and "亿元" in flat
    assert "2026年10月重大项目调度通报" in flat
    assert (
        "低于序时进度（83.3%）6.3个百分点" in flat
    )  # the stored gap −6.27, as the table writes it
    assert "由高到低依次为" in flat and "排名后三位" in flat
    # #17: 前期手续 in 三、存在问题, the approving units in 附件8
    assert "前期手续方面。全市重大项目在办前期手续" in flat
    assert "附件8：各审批部门前期手续办理情况" in flat


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_the_word_bulletin_converts_with_libreoffice(demo_engine, tmp_path):
    made = _file(demo_engine, ".docx")
    assert made.name == "调度通报-2026-10.docx"
    source = tmp_path / made.name
    source.write_bytes(made.content)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "调度通报-2026-10.pdf"
    text = _pdf_text(pdf)
    _reads_as_the_bulletin(text)
    assert "—1—" in "".join(text.split())  # page numbers
    assert 5 <= _pages(pdf) <= 12  # 2–4 pages of body, then the annexes
    pages = ["".join(page.split()) for page in text.split("\f")]
    first_annex = next(n for n, page in enumerate(pages) if "附件1：" in page)
    assert 2 <= first_annex <= 4  # the body: 2–4 pages


def test_the_word_file_is_made_for_word_and_wps(demo_engine):
    content = _file(demo_engine, ".docx").content
    doc = read_docx(io.BytesIO(content))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(HEADINGS)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"][0].startswith("附件1")
    body = doc.sections[0]
    assert (round(body.page_width.cm, 1), round(body.page_height.cm, 1)) == (21.0, 29.7)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert 'w:eastAsia="仿宋"' in xml and 'w:eastAsia="黑体"' in xml
    assert xml.count("<w:tblHeader") == 10  # every annex's header row repeats
    footer = zipfile.ZipFile(io.BytesIO(content)).read("word/footer1.xml").decode()
    assert "PAGE" in footer


def test_the_pdf_bulletin_embeds_its_font_and_reads(demo_engine, tmp_path):
    made = _file(demo_engine, ".pdf")
    pdf = tmp_path / made.name
    pdf.write_bytes(made.content)
    _reads_as_the_bulletin(_pdf_text(pdf))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # the CJK font embedded
    assert 4 <= _pages(pdf) <= 12


def test_amounts_in_wan_when_the_office_sets_it_and_a_final_keeps_its_unit(demo_engine):
    november = _file(demo_engine, ".docx", date(2026, 11, 1), BULLETIN_AMOUNT_UNIT="wan")
    doc = read_docx(io.BytesIO(november.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "万元" in text and "亿元" not in text
    assert any("累计完成（万元）" in c.text for c in doc.tables[0].rows[0].cells)
    # October was signed in 亿元: its text and its annexes stay in 亿元
    october = read_docx(io.BytesIO(_file(demo_engine, ".docx", BULLETIN_AMOUNT_UNIT="wan").content))
    assert "80.31亿元" in "\n".join(p.text for p in october.paragraphs)
    assert any("累计完成（亿元）" in c.text for c in october.tables[0].rows[0].cells)
