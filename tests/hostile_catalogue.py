"""Every kind of malformed or hostile project-list file the importer must refuse.

Used by the service test (each refused, nothing written) and by
``benchmarks/bad_input.py`` (the same files, with counts and peak memory).
Each entry: name -> (builder returning (bytes, filename), text the message must contain).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from io import BytesIO

import openpyxl

from tests.excel.factories import (
    biff_records,
    ods_package,
    ole_file,
    standard_list,
    three_projects,
    xlsx_bytes,
    zip_with,
)

Case = tuple[Callable[[], tuple[bytes, str]], str]


def good() -> bytes:
    return xlsx_bytes(standard_list(three_projects()))


def _bomb() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (30 * 1024 * 1024))
    return buffer.getvalue()


def _with_row(**changes) -> bytes:
    projects = three_projects()
    projects[1] = replace(projects[1], **changes)
    return xlsx_bytes(standard_list(projects))


def _cell(row: int, column: int, value: object) -> bytes:
    rows = standard_list(three_projects())
    rows[row][column] = value
    return xlsx_bytes(rows)


def _far_corner_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "项目名称"
    sheet["XFD1048576"] = "x"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _lying_member() -> bytes:
    data = good()
    patched = bytearray(data)
    member = "xl/worksheets/sheet1.xml"
    info = zipfile.ZipFile(BytesIO(data)).getinfo(member)
    struct.pack_into("<I", patched, info.header_offset + 22, 100)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == member.encode():
            struct.pack_into("<I", patched, position + 24, 100)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


def encrypted_member() -> bytes:
    """A good list whose first member is flagged as encrypted (general purpose flag)."""
    data = bytearray(good())
    first = bytes(data).find(b"PK\x01\x02")
    struct.pack_into("<H", data, first + 8, 0x1)
    return bytes(data)


def word_document() -> bytes:
    """A Word document's package, named as a workbook by whoever uploads it."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsm_declared() -> bytes:
    """A good list whose content types declare a macro-enabled workbook (no macro part)."""
    types = (
        zipfile.ZipFile(BytesIO(good()))
        .read("[Content_Types].xml")
        .replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    )
    return zip_with(good(), {}, content_types=types)


def _huge_implicit_grid() -> bytes:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>'
        + "<c><v>1</v></c>" * 20_000
        + "</row>"
        + "<row><c><v>1</v></c></row>" * 300
        + "</sheetData></worksheet>"
    )
    return zip_with(good(), {}, replace={"xl/worksheets/sheet1.xml": sheet.encode()})


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
    b' uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


def _entities_xlsx() -> bytes:
    """A shared-string part that expands to a billion 'lol's if entities are honoured."""
    return zip_with(good(), {"xl/sharedStrings.xml": BILLION_LAUGHS})


def _deep_xlsx() -> bytes:
    """A sheet whose one cell sits 100,000 elements deep (and climbs back out)."""
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<x>" * 100_000
        + b"</x>" * 100_000
        + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    )
    return zip_with(good(), {}, replace={"xl/worksheets/sheet1.xml": sheet})


ODS_BOMB = (
    '<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000">'
    '<table:table-cell table:number-columns-repeated="16384" office:value-type="float"'
    ' office:value="1"/></table:table-row></table:table>'
)

X = "清单.xlsx"
CASES: dict[str, Case] = {
    # whole files
    "empty upload": (lambda: (b"", X), "空的"),
    "CSV renamed .xlsx": (lambda: ("序号,项目名称\n1,x\n".encode(), X), "不是Excel工作簿"),
    "web page saved as .xls": (
        lambda: (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "a.xls"),
        "网页",
    ),
    "Word document renamed": (lambda: (word_document(), X), "Word文档"),
    "workbook without a list header": (
        lambda: (xlsx_bytes([["2022年工作总结"], ["一、主要成绩"]]), X),
        "未找到项目清单表头",
    ),
    "empty workbook": (lambda: (xlsx_bytes([]), X), "空的"),
    "zip bomb (ratio)": (lambda: (_bomb(), X), "压缩炸弹"),
    "zip member lying about its size": (lambda: (_lying_member(), X), "已损坏或不完整"),
    "truncated zip": (lambda: (good()[:2000], X), "已损坏或不完整"),
    "encrypted zip member": (lambda: (encrypted_member(), X), "加密"),
    "password-protected workbook": (
        lambda: (
            ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01" * 5000}),
            X,
        ),
        "加密",
    ),
    "macros (vbaProject.bin)": (
        lambda: (zip_with(good(), {"xl/vbaProject.bin": b"\0" * 64}), X),
        "宏",
    ),
    "declared macro-enabled (.xlsm)": (lambda: (xlsm_declared(), X), "宏"),
    "external links": (
        lambda: (zip_with(good(), {"xl/externalLinks/externalLink1.xml": b"<x/>"}), X),
        "外部链接",
    ),
    ".xls with VBA": (
        lambda: (
            ole_file({"Workbook": biff_records((0x0809, b"\x00\x06\x05\x00")), "VBA": b"x"}),
            "a.xls",
        ),
        "宏",
    ),
    ".xls with an Excel 4.0 macro sheet": (
        lambda: (
            ole_file(
                {
                    "Workbook": biff_records(
                        (0x0809, b"\x00\x06\x05\x00"), (0x0809, b"\x00\x06\x40\x00")
                    )
                }
            ),
            "a.xls",
        ),
        "宏",
    ),
    "damaged OLE file": (
        lambda: (ole_file({"Workbook": b"\0" * 10})[:700], "a.xls"),
        "已损坏或不完整",
    ),
    ".xlsx cell at XFD1048576": (lambda: (_far_corner_xlsx(), X), "数据区域过大"),
    ".xlsx implicit huge grid": (lambda: (_huge_implicit_grid(), X), "数据区域过大"),
    "XML entity declarations (billion laughs)": (lambda: (_entities_xlsx(), X), "实体声明"),
    "XML nested 100,000 deep": (lambda: (_deep_xlsx(), X), "嵌套超过"),
    ".ods repeated into millions of cells": (
        lambda: (ods_package(ODS_BOMB), "a.ods"),
        "数据区域过大",
    ),
    # bad rows (the whole list is refused, every row error located)
    "finish before start": (
        lambda: (_with_row(planned_start=date(2023, 5, 1), planned_finish=date(2022, 1, 31)), X),
        "工作表",
    ),
    "unknown county": (lambda: (_with_row(county="北京市"), X), "工作表"),
    "duplicate project": (
        lambda: (xlsx_bytes(standard_list([*three_projects(), three_projects()[0]])), X),
        "工作表",
    ),
    "missing name": (lambda: (_with_row(name=""), X), "工作表"),
    "unreadable date": (lambda: (_cell(-1, 15, "2022年13月"), X), "工作表"),
    "unreadable amount": (lambda: (_cell(-1, 12, "一千五百"), X), "工作表"),
    "negative amount": (lambda: (_cell(-1, 12, -5), X), "工作表"),
}
