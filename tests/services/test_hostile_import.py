"""Malformed and hostile files through the import service: each refused with a clear
message, and not one row written."""

import zipfile
from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from sqlmodel import func, select

from tests.excel.factories import ole_file, standard_list, three_projects, xlsx_bytes, zip_with
from tracker.db import read_session, write_session
from tracker.models import AuditLog, InvestmentPlan, Milestone, Project
from tracker.services.auth import SYSTEM
from tracker.services.plan_import import ImportRefused, import_project_list


def good() -> bytes:
    return xlsx_bytes(standard_list(three_projects()))


def bomb() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (30 * 1024 * 1024))
    return buffer.getvalue()


def with_row(**changes) -> bytes:
    projects = three_projects()
    projects[1] = replace(projects[1], **changes)
    return xlsx_bytes(standard_list(projects))


def bad_cell(text: str, column: int) -> bytes:
    rows = standard_list(three_projects())
    rows[-1][column] = text
    return xlsx_bytes(rows)


HOSTILE = {
    "empty upload": (b"", "空的"),
    "text renamed .xlsx": ("序号,项目名称\n1,x\n".encode(), "不是Excel工作簿"),
    "no header": (xlsx_bytes([["2022年工作总结"], ["一、主要成绩"]]), "未找到项目清单表头"),
    "zip bomb": (bomb(), "压缩炸弹"),
    "truncated zip": (good()[:2000], "已损坏或不完整"),
    "macros": (zip_with(good(), {"xl/vbaProject.bin": b"\0" * 64}), "宏"),
    "external links": (
        zip_with(good(), {"xl/externalLinks/externalLink1.xml": b"<x/>"}),
        "外部链接",
    ),
    "encrypted": (
        ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01" * 5000}),
        "加密",
    ),
    "html saved as xls": (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
    "finish before start": (
        with_row(planned_start=date(2023, 5, 1), planned_finish=date(2022, 1, 31)),
        "第",
    ),
    "unknown county": (with_row(county="北京市"), "第"),
    "duplicate project": (
        xlsx_bytes(standard_list([*three_projects(), three_projects()[0]])),
        "第",
    ),
}


def written(engine) -> int:
    with read_session(engine) as s:
        return sum(
            s.exec(select(func.count()).select_from(m)).one()
            for m in (Project, Milestone, InvestmentPlan, AuditLog)
        )


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_or_malformed_file_is_refused_clearly_and_writes_nothing(sqlite_engine, case):
    data, message = HOSTILE[case]
    try:
        with write_session(sqlite_engine) as s:
            result = import_project_list(
                s, actor=SYSTEM, data=data, filename="清单.xlsx", dry_run=False
            )
    except ImportRefused as refused:
        text = str(refused)
    else:
        assert result.errors, f"{case}: accepted"
        text = "\n".join(str(e) for e in result.errors)
        assert "工作表" in text and "行" in text, "a row error names sheet and row"
    assert message in text, text
    assert written(sqlite_engine) == 0
