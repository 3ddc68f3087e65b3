"""Renderers of the bulletin's 公文 (``tracker.domain.document.Document``): Word (.docx, via
python-docx) and PDF (reportlab, the CJK font embedded). They draw the document as given
and decide nothing; ``render`` picks one by the file's extension."""

from __future__ import annotations

FORMATS = (".docx", ".pdf", ".xlsx")
