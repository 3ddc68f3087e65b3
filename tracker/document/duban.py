"""The 督办单 (one ledger item's follow-up notice) as .docx and .pdf.

Draws a ``tracker.domain.document.Document`` built by ``domain.duban.duban_document``: the
title, the 文号, the item's facts as a two-column table, the request, and the office and
date at the foot. Word through python-docx (offices edit it in WPS or Word); PDF through
reportlab with the product's embedded CJK font (no LibreOffice needed on the server).
Small on purpose, and apart from the bulletin's renderers."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document as WordDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable

from tracker.domain.document import Document
from tracker.gantt.pdf import register_cjk_font

SONG = "宋体"  # the body face offices expect; WPS and Word substitute where it is missing
HEI = "黑体"

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _run(paragraph, text: str, *, size: float, bold: bool = False, face: str = SONG):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = face
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
    return run


def _line(word, text: str, *, size: float = 14, align: str = "left", bold=False, face=SONG):
    paragraph = word.add_paragraph()
    paragraph.alignment = ALIGN[align]
    _run(paragraph, text, size=size, bold=bold, face=face)
    return paragraph


def docx_bytes(doc: Document) -> bytes:
    """The 督办单 as a Word document (A4)."""
    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(3.0)
    section.left_margin = section.right_margin = Cm(2.6)
    if doc.status:
        _line(word, f"【{doc.status}】", size=12, align="right", face=HEI)
    _line(word, doc.title, size=22, align="center", bold=True, face=HEI)
    _line(word, doc.issue_no, size=14, align="center")
    for table in doc.tables_first:
        grid = word.add_table(rows=0, cols=len(table.columns))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid.autofit = False
        total = sum(c.width for c in table.columns)
        widths = [Cm(15.8 * c.width / total) for c in table.columns]
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width
        for row in table.rows:
            cells = grid.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
                cell.width = widths[i]  # Word reads the cell's width, WPS the column's
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = cell.paragraphs[0]
                paragraph.alignment = ALIGN[table.columns[i].align]
                paragraph.paragraph_format.space_before = Pt(3)
                paragraph.paragraph_format.space_after = Pt(3)
                _run(paragraph, value, size=12, bold=i == 0)
    for part in doc.sections:
        heading = _line(word, part.heading, size=14, bold=True, face=HEI)
        heading.paragraph_format.space_before = Pt(12)
        for text in part.paragraphs:
            paragraph = _line(word, text, size=14)
            paragraph.paragraph_format.first_line_indent = Pt(28)
    word.add_paragraph()
    _line(word, doc.office, size=14, align="right")
    _line(word, doc.date_line, size=14, align="right")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def pdf_bytes(doc: Document) -> bytes:
    """The 督办单 as a PDF (A4) with the CJK font embedded, so it prints anywhere."""
    font = register_cjk_font()

    def style(size: float, align: int = 0, leading: float | None = None) -> ParagraphStyle:
        return ParagraphStyle(
            f"duban{size}{align}",
            fontName=font,
            fontSize=size,
            leading=leading or size * 1.6,
            alignment=align,
            wordWrap="CJK",
        )

    body, cell = style(14), style(12, leading=18)
    story: list = []
    if doc.status:
        story.append(Paragraph(escape(f"【{doc.status}】"), style(12, TA_RIGHT)))
    story += [
        Paragraph(escape(doc.title), style(22, TA_CENTER)),
        Paragraph(escape(doc.issue_no), style(14, TA_CENTER)),
        Spacer(1, 0.4 * cm),
    ]
    width = A4[0] - 5.2 * cm
    for table in doc.tables_first:
        total = sum(c.width for c in table.columns)
        grid = PdfTable(
            [[Paragraph(escape(v), cell) for v in row] for row in table.rows],
            colWidths=[width * c.width / total for c in table.columns],
        )
        grid.setStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, "#000000"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
        story += [grid, Spacer(1, 0.5 * cm)]
    for part in doc.sections:
        story.append(Paragraph(escape(part.heading), body))
        indented = ParagraphStyle("indent", parent=body, firstLineIndent=28)
        story += [Paragraph(escape(text), indented) for text in part.paragraphs]
    story += [
        Spacer(1, 1 * cm),
        Paragraph(escape(doc.office), style(14, TA_RIGHT)),
        Paragraph(escape(doc.date_line), style(14, TA_RIGHT)),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2.6 * cm,
        rightMargin=2.6 * cm,
        topMargin=3 * cm,
        bottomMargin=3 * cm,
        title=doc.title,
    ).build(story)
    return out.getvalue()
