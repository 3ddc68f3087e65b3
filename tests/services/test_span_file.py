"""#14: the span bulletin as the page hands it out (services/span_bulletin.span_file): one
call gives the file's name and bytes in the format asked, or a refusal that says why in the
reader's language."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from tests.services.dispatch_helpers import dispatch_settings
from tests.services.test_span_bulletin import TODAY
from tracker.db import read_session
from tracker.services.auth import ANONYMOUS, SYSTEM
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.services.span_bulletin import span_file

SETTINGS = dispatch_settings()
HAN = re.compile(r"[\u3400-\u9fff]")


def _file(engine, year: int, span: str, suffix: str, actor=SYSTEM):
    with read_session(engine) as session:
        return span_file(
            session,
            actor=actor,
            year=year,
            span=span,
            settings=SETTINGS,
            today=TODAY,
            suffix=suffix,
        )


def test_the_three_formats_of_a_span_open_as_a_reader_would_open_them(demo_engine):
    word = _file(demo_engine, 2026, "Q3", ".docx")
    assert word.name == "调度通报-2026-Q3.docx"
    paragraphs = [p.text for p in WordDocument(io.BytesIO(word.content)).paragraphs]
    assert "2026年前三季度重大项目调度通报" in paragraphs
    assert "一、总体情况" in paragraphs
    pdf = _file(demo_engine, 2026, "Q3", ".PDF")  # the extension in either case
    assert pdf.name == "调度通报-2026-Q3.pdf" and pdf.content.startswith(b"%PDF")
    tables = _file(demo_engine, 2026, "H1", ".xlsx")
    assert tables.name == "调度通报-2026-H1.xlsx"
    assert load_workbook(io.BytesIO(tables.content)).sheetnames[0] == "附件1"


def test_a_span_with_nothing_frozen_is_refused_in_the_reader_s_language(demo_engine):
    with pytest.raises(NotFound) as refused:
        _file(demo_engine, 2027, "Q1", ".docx")
    assert str(refused.value).startswith("2027年一季度还没有已定稿（关账）的月份")
    english = refused.value.render("en")
    assert "the first quarter" in english and not HAN.search(english), english


@pytest.mark.parametrize(
    ("span", "suffix", "says"),
    [("Q2", ".docx", "Q1"), ("H1", ".doc", ".docx"), ("H1", "", "—")],
)
def test_an_unknown_span_or_format_is_refused_naming_what_would_do(demo_engine, span, suffix, says):
    with pytest.raises(InvalidInput) as refused:
        _file(demo_engine, 2026, span, suffix)
    assert says in refused.value.render("en")


def test_a_span_file_needs_the_bulletin_permission(demo_engine):
    with pytest.raises(PermissionDenied):
        _file(demo_engine, 2026, "H1", ".docx", actor=ANONYMOUS)
