"""Malformed and hostile files: each refused, or each bad row reported, with a clear message
that names what is wrong and where."""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from tests.hostile_catalogue import encrypted_member, word_document, xlsm_declared
from tracker.excel.cells import write_text
from tracker.excel.parse_list import NO_HEADER_MESSAGE, parse_project_list
from tracker.excel.rows import ListFileError, RowError
from tracker.excel.safety import Limits, WorkbookKind, check_workbook_bytes

from .factories import (
    biff_records,
    ods_bytes,
    ods_package,
    ole_file,
    standard_list,
    three_projects,
    xlsx_bytes,
    zip_with,
)


def good_list() -> bytes:
    return xlsx_bytes(standard_list(three_projects()))


def refused(data: bytes, filename: str = "清单.xlsx", **kwargs: int) -> str:
    with pytest.raises(ListFileError) as caught:
        parse_project_list(data, filename, **kwargs)
    return str(caught.value)


# ---------------------------------------------------------------------------- whole files


def test_openpyxl_parses_xml_through_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_an_empty_upload_is_refused() -> None:
    assert "是空的（0 字节）" in refused(b"")


def test_a_text_file_renamed_to_xlsx_is_not_a_workbook() -> None:
    message = refused("序号,项目名称\n1,测试项目\n".encode(), "清单.xlsx")
    assert "文件“清单.xlsx”不是Excel工作簿" in message and "CSV" in message


def test_a_web_page_saved_as_xls_is_explained() -> None:
    message = refused(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "a.xls")
    assert "网页（HTML）" in message and "另存为.xlsx" in message


def test_a_workbook_with_no_content_is_refused_as_empty() -> None:
    assert "是空的：工作簿中没有任何内容" in refused(xlsx_bytes([]))


def test_a_workbook_without_a_project_list_header_is_refused() -> None:
    rows = [["2022年工作总结"], ["一、主要成绩"], ["二、存在问题"], [1, 2, 3]]
    assert refused(xlsx_bytes(rows)) == str(NO_HEADER_MESSAGE)
    assert "未找到项目清单表头：需要至少包含“项目名称”列" in str(NO_HEADER_MESSAGE)
    with pytest.raises(ListFileError) as refusal:
        parse_project_list(xlsx_bytes(rows), "清单.xlsx")
    assert refusal.value.render("en").startswith("No project list header found")


def test_a_refused_file_is_said_in_english_too() -> None:
    with pytest.raises(ListFileError) as refusal:
        parse_project_list(b"", "list.xlsx")
    assert str(refusal.value) == "文件“list.xlsx”是空的（0 字节）"
    assert refusal.value.render("en") == "The file “list.xlsx” is empty (0 bytes)"


def test_a_file_over_the_size_cap_is_refused_before_it_is_read() -> None:
    message = refused(good_list(), max_bytes=1024)
    assert "过大" in message and "上限为 1 KB" in message


def test_a_zip_bomb_is_refused_by_its_compression_ratio() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    message = refused(buffer.getvalue())
    assert "“xl/worksheets/sheet1.xml”压缩比异常" in message and "压缩炸弹" in message


def test_a_zip_that_expands_beyond_the_total_cap_is_refused() -> None:
    with pytest.raises(ListFileError, match="解压后超过 8 KB，疑似压缩炸弹"):
        check_workbook_bytes(good_list(), limits=Limits(max_uncompressed=8 * 1024))


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """``data`` with the uncompressed size of ``member`` rewritten in both zip headers."""
    patched = bytearray(data)
    info = zipfile.ZipFile(BytesIO(data)).getinfo(member)
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == member.encode():
            struct.pack_into("<I", patched, position + 24, size)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


def test_a_zip_member_that_lies_about_its_size_is_caught_while_inflating() -> None:
    data = declare_size(good_list(), "xl/worksheets/sheet1.xml", 100)
    message = refused(data)
    assert "已损坏或不完整" in message and "xl/worksheets/sheet1.xml" in message


def test_a_truncated_zip_is_refused_as_damaged() -> None:
    data = good_list()
    assert "已损坏或不完整" in refused(data[: len(data) // 2])


def test_a_macro_enabled_workbook_is_refused() -> None:
    data = zip_with(good_list(), {"xl/vbaProject.bin": b"\0" * 64})
    assert "含有宏（vbaProject.bin）" in refused(data)


def test_a_workbook_declared_as_xlsm_is_refused_even_without_the_macro_part() -> None:
    assert "启用宏的工作簿（.xlsm）" in refused(xlsm_declared())


def test_a_workbook_with_external_links_is_refused() -> None:
    data = zip_with(good_list(), {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "外部链接" in refused(data)


def test_a_password_protected_xlsx_is_refused_as_encrypted() -> None:
    data = ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01" * 5000})
    assert "已加密（设置了打开密码）" in refused(data)


def test_an_xls_with_a_vba_project_is_refused() -> None:
    data = ole_file({"Workbook": biff_records((0x0809, b"\x00\x06\x05\x00")), "VBA": b"x"})
    assert "含有宏" in refused(data, "清单.xls")


def test_an_xls_with_an_excel_4_macro_sheet_is_refused() -> None:
    stream = biff_records((0x0809, b"\x00\x06\x05\x00"), (0x0809, b"\x00\x06\x40\x00"))
    assert "Excel 4.0宏表" in refused(ole_file({"Workbook": stream}), "清单.xls")


def test_an_xls_with_a_cell_at_the_far_corner_is_refused_before_it_is_read() -> None:
    number = struct.pack("<HHHd", 65535, 255, 0, 1.0)
    stream = biff_records((0x0809, b"\x00\x06\x10\x00"), (0x0203, number), (0x000A, b""))
    message = refused(ole_file({"Workbook": stream}), "清单.xls")
    assert "数据区域过大" in message and "第 65536 行、IV 列" in message


def test_an_xlsx_with_a_cell_at_the_far_corner_is_refused_before_it_is_read() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "项目名称"
    sheet["XFD1048576"] = "x"
    buffer = BytesIO()
    workbook.save(buffer)
    message = refused(buffer.getvalue())
    assert "第 1048576 行、XFD 列" in message


ODS_BOMB_ROW = (
    '<table:table-row table:number-rows-repeated="1000000">'
    '<table:table-cell table:number-columns-repeated="16384" office:value-type="float"'
    ' office:value="1"/></table:table-row>'
)


@pytest.mark.parametrize(
    ("tables", "prefix"),
    [
        (f'<table:table table:name="S">{ODS_BOMB_ROW}</table:table>', "table"),
        (
            '<table:table table:name="S"><table:table-row table:number-rows-repeated="100000">'
            '<table:table-cell table:number-columns-repeated="1000"><text:p>x</text:p>'
            "</table:table-cell></table:table-row></table:table>",
            "table",
        ),
        (f'<t:table t:name="S">{ODS_BOMB_ROW.replace("table:", "t:")}</t:table>', "t"),
    ],
    ids=["typed self-closed cells", "cells with text", "another namespace prefix"],
)
def test_an_ods_whose_repeats_expand_to_millions_of_cells_is_refused(
    tables: str, prefix: str
) -> None:
    message = refused(ods_package(tables, table_prefix=prefix), "清单.ods")
    assert "数据区域过大" in message


def test_an_ods_padded_to_the_last_column_and_row_like_libreoffice_does_is_accepted() -> None:
    padding = (
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    rows = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
            for text in row
        )
        + '<table:table-cell table:number-columns-repeated="16380"/></table:table-row>'
        for row in [
            ["项目名称", "所属领域", "工作举措", "建设地点"],
            ["甲项目", "领域", "举措", "云县"],
        ]
    )
    data = ods_package(f'<table:table table:name="S">{rows}{padding}</table:table>')
    assert check_workbook_bytes(data) is WorkbookKind.ODS
    assert [p.name for p in parse_project_list(data, "清单.ods").projects] == ["甲项目"]


def test_an_xlsx_whose_cells_without_references_span_a_huge_grid_is_refused() -> None:
    # cells without r="..." are placed one after another: one long row and many short
    # rows make a grid of rows x longest row for the reader to allocate
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData><row>"
        + "<c><v>1</v></c>" * 20_000
        + "</row>"
        + "<row><c><v>1</v></c></row>" * 300
        + "</sheetData></worksheet>"
    )
    data = zip_with(good_list(), {}, replace={"xl/worksheets/sheet1.xml": sheet.encode()})
    assert "数据区域过大" in refused(data)


def test_a_word_document_renamed_to_xlsx_is_named_as_such() -> None:
    assert "是Word文档" in refused(word_document())


def test_an_encrypted_zip_member_is_refused_as_encrypted() -> None:
    assert "已加密" in refused(encrypted_member())


def test_a_damaged_ole_file_is_refused() -> None:
    data = ole_file({"Workbook": b"\0" * 10})
    assert "已损坏或不完整（OLE结构无效）" in refused(data[:700], "清单.xls")


def test_the_format_comes_from_the_content_not_the_name() -> None:
    assert check_workbook_bytes(good_list(), "清单.ods") is WorkbookKind.XLSX


# ---------------------------------------------------------------------------- bad rows


def parse_rows(*changes: dict[str, object]) -> tuple[list[str], list[RowError]]:
    """Three good projects with the given fields overwritten in rows 4, 5, 6 (as written)."""
    rows = standard_list(three_projects())
    header = rows[2]
    for offset, change in enumerate(changes):
        for column, value in change.items():
            rows[3 + offset][header.index(column)] = value
    parsed = parse_project_list(xlsx_bytes(rows), "list.xlsx")
    return [p.name for p in parsed.projects], parsed.errors


def only(errors: list[RowError]) -> RowError:
    assert len(errors) == 1, errors
    return errors[0]


def test_an_unreadable_date_names_the_sheet_row_column_and_value() -> None:
    names, errors = parse_rows({"计划开工时间": "2022年13月"})
    error = only(errors)
    assert (error.sheet, error.row, error.column, error.field) == (
        "项目清单",
        4,
        "P",
        "计划开工时间",
    )
    assert "无法识别的日期：2022年13月" in str(error.message)
    assert str(error).startswith("工作表“项目清单”第4行P列（计划开工时间）：")
    assert len(names) == 2  # the bad row is left out, the others still import


def test_a_row_error_is_said_in_english_too() -> None:
    _, errors = parse_rows({"计划开工时间": "2022年13月"})
    assert only(errors).render("en") == (
        "Sheet “项目清单” row 4 column P (计划开工时间): "
        "Unrecognised date: 2022年13月 (the month should be 1 to 12)"
    )


def test_the_list_s_amounts_are_held_to_the_office_s_ceiling() -> None:
    rows = standard_list(three_projects())
    data = xlsx_bytes(rows)
    assert parse_project_list(data, "list.xlsx").errors == []
    parsed = parse_project_list(data, "list.xlsx", amount_ceiling=Decimal("1000"))
    refused = {str(e.message) for e in parsed.errors}
    assert refused and all("超过上限 1,000 万元" in text for text in refused)


def test_an_unreadable_amount_is_reported() -> None:
    _, errors = parse_rows({}, {"总投资（万元）": "约1500万"})
    error = only(errors)
    assert (error.row, error.column, error.field) == (5, "M", "总投资（万元）")
    assert str(error.message) == "无法识别的金额：约1500万"


def test_a_negative_amount_is_reported() -> None:
    _, errors = parse_rows({"2022年计划投资（万元）": -5})
    assert str(only(errors).message) == "金额不能为负数：-5"


def test_an_unknown_county_is_reported() -> None:
    _, errors = parse_rows({"建设地点": "大理市"})
    error = only(errors)
    assert (error.column, error.field) == ("F", "建设地点")
    assert str(error.message).startswith("无法识别的县（区）：大理市")


def test_a_missing_name_is_reported() -> None:
    _, errors = parse_rows({"项目名称": None})
    assert (only(errors).column, str(only(errors).message)) == ("C", "缺少项目名称")


def test_a_missing_area_is_reported() -> None:
    _, errors = parse_rows({"所属领域": "  "})
    assert str(only(errors).message) == "缺少所属领域"


def test_a_duplicate_code_is_reported_on_the_second_row() -> None:
    _, errors = parse_rows({}, {}, {"项目编号": "LC-001"})
    error = only(errors)
    assert (error.row, error.column) == (6, "B")
    assert str(error.message) == "与第4行重复（项目编号“LC-001”相同）"


def test_a_duplicate_name_and_county_without_codes_is_reported_on_the_second_row() -> None:
    first = three_projects()[0]
    names, errors = parse_rows(
        {"项目编号": None},
        {"项目编号": None, "项目名称": first.name, "建设地点": first.county},
    )
    error = only(errors)
    assert error.row == 5 and "与第4行重复（项目名称“临翔测试项目1”和建设地点相同）" in str(
        error.message
    )
    assert names.count(first.name) == 1


def test_a_finish_before_the_start_is_reported_at_the_finish() -> None:
    _, errors = parse_rows({"计划开工时间": date(2023, 6, 1), "计划完工时间": "2022年12月"})
    error = only(errors)
    assert (error.column, error.field) == ("Q", "计划完工时间")
    assert str(error.message) == "计划完工时间（2022-12-31）早于计划开工时间（2023-06-01）"


def test_a_milestone_name_without_a_date_is_reported_at_the_date() -> None:
    _, errors = parse_rows({"节点2计划时间": None})
    error = only(errors)
    assert (error.column, error.field) == ("U", "节点2计划时间")
    assert str(error.message) == "节点“开工建设”缺少计划时间"


def test_a_milestone_date_without_a_name_is_reported_at_the_name() -> None:
    _, errors = parse_rows({"节点1": None})
    assert str(only(errors).message) == "有计划时间（2022-03-31）但缺少节点名称"


def test_an_unknown_nature_is_reported() -> None:
    _, errors = parse_rows({"建设性质": "迁建"})
    assert str(only(errors).message) == "建设性质应为“新建”或“续建”，而不是：迁建"


def test_several_problems_in_one_row_are_all_reported() -> None:
    _, errors = parse_rows({"计划开工时间": "abc", "总投资（万元）": "x", "建设地点": "?"})
    assert sorted(e.column for e in errors) == ["F", "M", "P"]
    assert {e.row for e in errors} == {4}


def test_text_that_looks_like_a_formula_is_read_as_plain_text() -> None:
    workbook = openpyxl.load_workbook(BytesIO(good_list()))
    sheet = workbook.active
    assert sheet is not None
    write_text(sheet["C4"], '=HYPERLINK("http://example.com","点击")')
    write_text(sheet["H4"], "+市发展改革委")
    buffer = BytesIO()
    workbook.save(buffer)
    parsed = parse_project_list(buffer.getvalue(), "list.xlsx")
    assert parsed.errors == []
    assert parsed.projects[0].name == '=HYPERLINK("http://example.com","点击")'
    assert parsed.projects[0].lead_unit == "+市发展改革委"


def test_bad_zlib_data_in_a_member_is_refused_as_damaged() -> None:
    data = bytearray(good_list())
    info = next(
        i
        for i in zipfile.ZipFile(BytesIO(bytes(data))).infolist()
        if i.filename.endswith("sheet1.xml")
    )
    start = info.header_offset + 30 + len(info.filename.encode())
    data[start : start + 20] = zlib.compress(b"garbage")[:20]
    assert "已损坏或不完整" in refused(bytes(data))


# ---------------------------------------------------------------------------- the upload guard


def test_a_zip_member_over_the_per_part_cap_is_refused_from_the_central_directory() -> None:
    with pytest.raises(
        ListFileError, match="解压后有 10 KB，超过单个部件的上限 1 KB，疑似异常文件"
    ):
        check_workbook_bytes(good_list(), limits=Limits(max_member=1024))


def test_entity_declarations_in_any_xml_part_are_refused() -> None:
    from tests.hostile_catalogue import _entities_xlsx

    message = refused(_entities_xlsx())
    assert "“xl/sharedStrings.xml”含有DTD或实体声明" in message


def test_a_dtd_after_a_long_prolog_is_still_found() -> None:
    padding = os.urandom(600_000).hex().encode()  # over 1 MiB that deflate cannot shrink
    prolog = b'<?xml version="1.0"?><!-- ' + padding + b" -->"
    part = prolog + b'<!DOCTYPE x [<!ENTITY a "b">]><Types/>'
    data = zip_with(good_list(), {}, content_types=None, replace={"docProps/app.xml": part})
    assert "“docProps/app.xml”含有DTD或实体声明" in refused(data)


def test_elements_nested_beyond_the_limit_are_refused() -> None:
    from tests.hostile_catalogue import _deep_xlsx

    assert "“xl/worksheets/sheet1.xml”中XML元素嵌套超过 256 层" in refused(_deep_xlsx())


def test_a_slow_staircase_of_nesting_is_caught_too() -> None:
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<x><y/></x><x><x/>" * 30_000
        + b"</x>" * 30_000
        + b"<sheetData/></worksheet>"
    )
    data = zip_with(good_list(), {}, replace={"xl/worksheets/sheet1.xml": sheet})
    assert "嵌套超过" in refused(data)


def test_real_workbooks_of_every_kind_pass_the_guard_with_room_to_spare() -> None:
    from tracker.excel.safety import _XmlWatch, file_label

    for member in zipfile.ZipFile(BytesIO(good_list())).namelist():
        watch = _XmlWatch(member, file_label(""), Limits())
        watch.feed(zipfile.ZipFile(BytesIO(good_list())).read(member))
        assert watch.depth <= 2, member  # every part closes what it opens


def test_the_form_guard_takes_only_xlsx() -> None:
    from tracker.excel.safety import FORM_LIMITS, guard_upload

    ods = ods_package('<table:table table:name="S"/>')
    with pytest.raises(ListFileError, match=r"是.ods格式，请上传本系统下载的月度调度表（.xlsx）"):
        guard_upload(ods, "表.ods", limits=FORM_LIMITS)
    with pytest.raises(ListFileError, match=r"是.xls格式"):
        guard_upload(
            ole_file({"Workbook": biff_records((0x0809, b"\x00\x06\x05\x00"))}),
            "表.xls",
            limits=FORM_LIMITS,
        )
    assert guard_upload(good_list(), "表.xlsx", limits=FORM_LIMITS) is WorkbookKind.XLSX


def test_deep_nesting_inside_an_ods_cell_is_refused() -> None:
    spans = "<text:span>" * 20_000 + "x" + "</text:span>" * 20_000
    table = (
        '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string">'
        f"<text:p>{spans}</text:p></table:table-cell></table:table-row></table:table>"
    )
    assert "嵌套超过 256 层" in refused(ods_package(table), "清单.ods")


def test_nesting_that_grows_row_by_row_in_an_ods_is_refused() -> None:
    rows = "<table:table-row><table:table-cell><text:p>" * 400
    table = f'<table:table table:name="S">{rows}</table:table>'
    assert "嵌套超过 256 层" in refused(ods_package(table), "清单.ods")


def test_an_ods_row_is_counted_exactly_when_its_length_alone_could_exceed_the_cap() -> None:
    data = ods_bytes(standard_list(three_projects()))  # 6 rows, at most 21 cells each
    assert check_workbook_bytes(data, "a.ods", limits=Limits(max_sheet_cells=6 * 21))
    with pytest.raises(ListFileError, match="数据区域过大"):
        check_workbook_bytes(data, "a.ods", limits=Limits(max_sheet_cells=6 * 21 - 1))
