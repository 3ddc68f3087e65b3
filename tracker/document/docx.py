"""The bulletin as a Word document, as offices edit it in Word and WPS: real heading styles
(标题 1 for 一、… and the annex titles), 仿宋 body and 黑体 headings with the East-Asian font
set on every run (w:eastAsia, which Word and WPS read for Chinese text), A4 with the 公文
margins, page numbers "— N —" in the footer, and tables whose header row repeats on every
page. A draft (未定稿) is marked in the header of every page."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tracker.domain.document import Document, Table

BODY_FONT = "仿宋"  # 仿宋_GB2312 where installed; WPS and Word map 仿宋 on every Chinese system
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"  # falls back to 宋体 where the office has not installed it
TABLE_FONT = "仿宋"
RED = RGBColor(0xC0, 0x00, 0x00)
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _fonts(target, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a run's or style's font for Latin and East-Asian text alike."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = target.element if hasattr(target, "element") else target._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, font, size in (("Title", TITLE_FONT, 22), ("Heading 1", HEADING_FONT, 16)):
        style = doc.styles[name]
        _fonts(style, font, size, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.line_spacing = Pt(28 if name == "Heading 1" else 36)
        fmt.keep_with_next = True
        ppr = style.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):  # the Title style's blue rule
            ppr.remove(border)
    heading2 = doc.styles["Heading 2"]
    _fonts(heading2, HEADING_FONT, 14, bold=False)
    heading2.font.color.rgb = RGBColor(0, 0, 0)
    heading2.paragraph_format.space_before = Pt(0)
    heading2.paragraph_format.space_after = Pt(6)
    heading2.paragraph_format.keep_with_next = True


def _page(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.5)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind is None:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        run._r.append(node)
    _fonts(run, "宋体", 14)


def _footer(section, status: str, final: bool) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run("— "), "宋体", 14)
    _field(p, "PAGE")
    _fonts(p.add_run(" —"), "宋体", 14)
    if not final:
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = head.add_run(f"{status}：数据仍在变动，以定稿为准")
        _fonts(run, HEADING_FONT, 10.5)
        run.font.color.rgb = RED


def _para(doc, text: str, *, style: str | None = None, align=None, indent: bool = True, **font):
    p = doc.add_paragraph(style=style)
    if align is not None:
        p.alignment = align
    if indent and style is None:
        p.paragraph_format.first_line_indent = Pt(32)
    run = p.add_run(text)
    if font:
        _fonts(run, font.pop("name", BODY_FONT), font.pop("size", None), font.pop("bold", None))
        if font.get("color") is not None:
            run.font.color.rgb = font["color"]
    else:
        _fonts(
            run,
            {"Title": TITLE_FONT, "Heading 1": HEADING_FONT, "Heading 2": HEADING_FONT}.get(
                style or "", BODY_FONT
            ),
        )
    return p


def _rule(paragraph, colour: str = "C00000") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", colour)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _front(doc, d: Document) -> None:
    if not d.masthead:  # not a bulletin (the annual report's tables): title and date only
        title = _para(doc, d.title, style="Title", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        title.paragraph_format.space_after = Pt(6)
        _para(
            doc, d.date_line, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, name=BODY_FONT, size=16
        )
        doc.add_paragraph()
        return
    head = _para(
        doc,
        d.masthead,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        name=TITLE_FONT,
        size=36,
        color=RED,
    )
    head.paragraph_format.line_spacing = Pt(48)
    _para(doc, d.issue_no, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, name=BODY_FONT, size=16)
    line = doc.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(Cm(15.6), alignment=2)  # right tab
    _fonts(line.add_run(f"{d.office}\t{d.date_line}"), BODY_FONT, 14)
    _rule(line)
    doc.add_paragraph()
    title = _para(doc, d.title, style="Title", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.paragraph_format.space_after = Pt(14)


def _widths(grid, table: Table, usable: float) -> list:
    """Fixed column widths (cm) on the grid and each cell: Word, WPS and LibreOffice all
    honour a fixed layout; autofit would squeeze the text columns."""
    total = sum(c.width for c in table.columns)
    widths = [Cm(usable * c.width / total) for c in table.columns]
    grid.autofit = False
    tblpr = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for gc, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        gc.set(qn("w:w"), str(int(width.twips)))
    return widths


def _table(doc, table: Table, usable: float = 15.6) -> None:
    doc.add_paragraph(table.title, style="Heading 2")
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _widths(grid, table, usable)
    header = grid.rows[0]
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, col, width in zip(header.cells, table.columns, widths, strict=True):
        cell.width = width
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run(col.label), HEADING_FONT, 10.5)
        p.paragraph_format.line_spacing = 1.0
    if not table.rows:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        p = merged.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run("无"), TABLE_FONT, 10.5)
    for values in table.rows:
        row = grid.add_row()
        keep = OxmlElement("w:cantSplit")  # a row is not broken across two pages
        keep.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(keep)
        for cell, col, value, width in zip(row.cells, table.columns, values, widths, strict=True):
            cell.width = width
            p = cell.paragraphs[0]
            p.alignment = ALIGN[col.align]
            p.paragraph_format.line_spacing = 1.0
            _fonts(p.add_run(value), TABLE_FONT, 10.5)
    if table.note:
        note = doc.add_paragraph()
        note.paragraph_format.line_spacing = 1.0
        note.paragraph_format.space_before = Pt(4)
        _fonts(note.add_run(table.note), BODY_FONT, 10.5)
    doc.add_paragraph()


def _closing(doc, d: Document) -> None:
    _para(doc, "", indent=False)
    for label, text in d.distribution:
        p = _para(doc, f"{label}：{text}", indent=False, name=BODY_FONT, size=14)
        p.paragraph_format.line_spacing = Pt(24)
    if d.signatures:
        line = "　　".join(f"{label}：{text}" for label, text in d.signatures)
        p = _para(doc, line, indent=False, name=BODY_FONT, size=14)
        _rule(p, "000000")


def _pictures(doc, d: Document) -> None:
    """The photo annex (#18): its title, then each photo 12 cm wide with its caption."""
    if not d.pictures:
        return
    doc.add_page_break()
    _para(doc, d.pictures_title, style="Heading 1", indent=False)
    for picture in d.pictures:
        doc.add_picture(io.BytesIO(picture.jpeg), width=Cm(12))
        holder = doc.paragraphs[-1]
        holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
        holder.paragraph_format.line_spacing = 1.0  # the body's exact spacing would clip it
        holder.paragraph_format.first_line_indent = Cm(0)
        caption = _para(doc, picture.caption, indent=False)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def document_docx(d: Document) -> bytes:
    """The document as .docx bytes."""
    doc = new_docx()
    _styles(doc)
    section = doc.sections[0]
    _page(section)
    final = not d.status.startswith("未")
    _footer(section, d.status, final)
    doc.core_properties.title = d.title
    doc.core_properties.author = d.office
    _front(doc, d)
    for part in d.sections:
        _para(
            doc, part.heading, style="Heading 1", indent=False
        ).paragraph_format.first_line_indent = Pt(32)
        for text in part.paragraphs:
            _para(doc, text)
    for table in d.tables_first:
        _table(doc, table)
    _closing(doc, d)
    if d.annexes:  # the annexes on landscape pages, the tables' text columns wide enough
        annex = doc.add_section(WD_SECTION.NEW_PAGE)
        annex.orientation = WD_ORIENT.LANDSCAPE
        annex.page_width, annex.page_height = Cm(29.7), Cm(21.0)
        annex.top_margin, annex.bottom_margin = Cm(2.0), Cm(2.0)
        annex.left_margin, annex.right_margin = Cm(2.5), Cm(2.5)
        annex.footer_distance = Cm(1.0)
        for table in d.annexes:
            _table(doc, table, usable=24.7)
    _pictures(doc, d)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
