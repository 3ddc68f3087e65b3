"""The bulletin as a PDF, drawn with reportlab and the product's own CJK font embedded
(tracker/gantt/fonts), so it prints the same on a server without Chinese fonts or an
office suite. Same layout as the Word document: the body on A4 portrait, the annexes on
A4 landscape, header rows repeated on every page, page numbers "— N —", drafts marked."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from tracker.domain.document import Document
from tracker.domain.document import Table as DocTable
from tracker.gantt.pdf import register_cjk_font

RED = colors.HexColor("#C00000")
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = dict(fontName=font, wordWrap="CJK")
    return {
        "masthead": ParagraphStyle(
            "masthead", **base, fontSize=30, leading=40, alignment=TA_CENTER, textColor=RED
        ),
        "issue": ParagraphStyle("issue", **base, fontSize=15, leading=24, alignment=TA_CENTER),
        "office": ParagraphStyle("office", **base, fontSize=13, leading=20),
        "title": ParagraphStyle(
            "title",
            **base,
            fontSize=20,
            leading=32,
            alignment=TA_CENTER,
            spaceBefore=10,
            spaceAfter=12,
        ),
        "h1": ParagraphStyle("h1", **base, fontSize=15, leading=26, firstLineIndent=30),
        "body": ParagraphStyle(
            "body", **base, fontSize=15, leading=26, firstLineIndent=30, alignment=TA_JUSTIFY
        ),
        "line": ParagraphStyle("line", **base, fontSize=13, leading=20),
        "h2": ParagraphStyle(
            "h2", **base, fontSize=13, leading=20, spaceBefore=6, spaceAfter=6, keepWithNext=1
        ),
        "cell": ParagraphStyle("cell", **base, fontSize=9, leading=12),
        "head": ParagraphStyle("head", **base, fontSize=9, leading=12, alignment=TA_CENTER),
        "note": ParagraphStyle("note", **base, fontSize=9, leading=12, spaceBefore=4),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(t: DocTable, width: float, st: dict[str, ParagraphStyle]) -> list:
    total = sum(c.width for c in t.columns)
    widths = [width * c.width / total for c in t.columns]
    cell_styles = [
        ParagraphStyle(f"c{i}", parent=st["cell"], alignment=ALIGN[c.align])
        for i, c in enumerate(t.columns)
    ]
    data = [[_p(c.label, st["head"]) for c in t.columns]]
    data += [[_p(v, cell_styles[i]) for i, v in enumerate(row)] for row in t.rows]
    if not t.rows:
        data.append([_p("无", st["head"])] + [""] * (len(t.columns) - 1))
    grid = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if not t.rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    grid.setStyle(TableStyle(style))
    out = [_p(t.title, st["h2"]), grid]
    if t.note:
        out.append(_p(t.note, st["note"]))
    out.append(Spacer(1, 12))
    return out


def _decorate(font: str, status: str, final: bool):
    def on_page(canvas, doc) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFont(font, 12)
        canvas.drawCentredString(width / 2, 1.2 * cm, f"— {doc.page} —")
        if not final:
            canvas.setFillColor(RED)
            canvas.setFont(font, 9)
            canvas.drawRightString(
                width - 2 * cm, height - 1.2 * cm, f"{status}：数据仍在变动，以定稿为准"
            )
        canvas.restoreState()

    return on_page


def document_pdf(d: Document) -> bytes:
    """The document as PDF bytes."""
    font = register_cjk_font()
    st = _styles(font)
    out = io.BytesIO()
    portrait = A4
    wide = landscape(A4)
    doc = BaseDocTemplate(out, pagesize=portrait, title=d.title, author=d.office)
    on_page = _decorate(font, d.status, not d.status.startswith("未"))
    body_frame = Frame(
        2.8 * cm, 3.0 * cm, portrait[0] - 5.4 * cm, portrait[1] - 6.2 * cm, id="body"
    )
    annex_frame = Frame(2.0 * cm, 2.0 * cm, wide[0] - 4.0 * cm, wide[1] - 3.5 * cm, id="annex")
    doc.addPageTemplates(
        [
            PageTemplate("body", [body_frame], onPage=on_page, pagesize=portrait),
            PageTemplate("annex", [annex_frame], onPage=on_page, pagesize=wide),
        ]
    )
    story: list = (
        []
        if not d.masthead
        else [
            _p(d.masthead, st["masthead"]),
            _p(d.issue_no, st["issue"]),
            Table(
                [
                    [
                        _p(d.office, st["office"]),
                        _p(
                            d.date_line,
                            ParagraphStyle("r", parent=st["office"], alignment=TA_RIGHT),
                        ),
                    ]
                ],
                colWidths=[body_frame._width * 0.7, body_frame._width * 0.3],
                style=TableStyle(
                    [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
                ),
            ),
            HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=2, spaceAfter=10),
        ]
    )
    story.append(_p(d.title, st["title"]))
    if not d.masthead:  # not a bulletin: the date under the title
        story.append(_p(d.date_line, ParagraphStyle("d", parent=st["issue"])))
    for part in d.sections:
        story.append(_p(part.heading, st["h1"]))
        story += [_p(text, st["body"]) for text in part.paragraphs]
    for table in d.tables_first:
        story += _table(table, body_frame._width, st)
    story.append(Spacer(1, 18))
    story += [_p(f"{label}：{text}", st["line"]) for label, text in d.distribution]
    if d.signatures:
        story.append(_p("　　".join(f"{k}：{v}" for k, v in d.signatures), st["line"]))
        story.append(HRFlowable(width="100%", thickness=0.8, color=colors.black, spaceBefore=2))
    if d.annexes:
        story += [NextPageTemplate("annex"), PageBreak()]
        for table in d.annexes:
            story += _table(table, annex_frame._width, st)
    doc.build(story)
    return out.getvalue()
