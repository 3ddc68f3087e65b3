"""Renderers of the bulletin's 公文 (``tracker.domain.document.Document``): Word (.docx, via
python-docx) and PDF (reportlab, the CJK font embedded). They draw the document as given
and decide nothing; ``render`` picks one by the format's name."""

from __future__ import annotations

from tracker.domain.document import Document

FORMATS = (".docx", ".pdf", ".xlsx")


def render(document: Document, fmt: str) -> bytes:
    """The 公文 as a .docx or .pdf file's bytes (``fmt``: "docx" or "pdf")."""
    if fmt == "docx":
        from tracker.document.docx import document_docx

        return document_docx(document)
    if fmt == "pdf":
        from tracker.document.pdf import document_pdf

        return document_pdf(document)
    raise ValueError(f"no renderer for {fmt!r}: docx or pdf")
