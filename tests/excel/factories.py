"""Build workbooks inside the tests: lists laid out the way offices lay them out, and
hostile files. Nothing binary is checked in; every file is made here from plain data."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from tracker.excel.rows import MilestoneRow, ProjectRow

REPO = Path(__file__).resolve().parents[2]


def shared_samples_dir() -> Path:
    """The shared samples folder next to the repository (…/shared/samples).

    The repository lives at /work/main with the shared folder at /work/shared; a git
    worktree under /work/wt/<name> has it one level further up.
    """
    candidates = [REPO.parent / "shared" / "samples", REPO.parent.parent / "shared" / "samples"]
    if os.environ.get("TRACKER_SHARED_DIR"):
        candidates.insert(0, Path(os.environ["TRACKER_SHARED_DIR"]) / "samples")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    pytest.skip(
        "shared samples not found: looked for "
        + ", ".join(str(c) for c in candidates)
        + " (set TRACKER_SHARED_DIR to the shared folder)"
    )


# ---------------------------------------------------------------------------- projects


def make_project(number: int = 1, **changes: object) -> ProjectRow:
    """A plausible project; ``number`` keeps names and codes unique."""
    values: dict[str, object] = {
        "name": f"临翔测试项目{number}",
        "area": "绿色低碳发展",
        "measure": "推进蔗糖产业循环经济发展",
        "county": "临翔区",
        "code": f"LC-{number:03d}",
        "lead_unit": "市发展改革委",
        "responsible_units": "市科技局、市财政局",
        "contact_person": "李明",
        "contact_phone": "0883-2111265",
        "scope": "新建厂房2万平方米",
        "nature": "新建",
        "total_investment": Decimal("1500.00"),
        "annual_plans": {2022: Decimal("519.00")},
        "planned_start": date(2022, 3, 1),
        "planned_finish": date(2023, 6, 30),
        "milestones": (
            MilestoneRow("完成前期手续", date(2022, 3, 31)),
            MilestoneRow("开工建设", date(2022, 6, 30)),
        ),
    }
    values.update(changes)
    return ProjectRow(**values)  # type: ignore[arg-type]


def three_projects() -> list[ProjectRow]:
    """Two areas, three measures, three counties: enough to see sections work."""
    return [
        make_project(1),
        make_project(
            2,
            name="双江蔗糖循环经济产业园项目",
            county="双江县",
            measure="发展清洁能源",
            total_investment=Decimal("120000.00"),
            annual_plans={2022: Decimal("38389.00"), 2023: Decimal("40000.00")},
        ),
        make_project(
            3,
            name="沧源城市黑臭水体整治项目",
            area="生态环境保护",
            measure="推进河湖生态治理",
            county="沧源县",
            nature="续建",
            planned_start=date(2021, 8, 1),
            planned_finish=date(2023, 7, 31),
        ),
    ]


def essentials(project: ProjectRow) -> tuple[object, ...]:
    """What every layout carries; other fields depend on which columns a variant has."""
    return (
        project.name,
        project.area,
        project.measure,
        project.county,
        project.total_investment,
        project.planned_start,
        project.planned_finish,
        project.milestones,
    )


# ---------------------------------------------------------------------------- workbooks


Rows = Sequence[Sequence[object]]


def xlsx_bytes(
    rows: Rows,
    *,
    sheet: str = "项目清单",
    merges: Sequence[str] = (),
    more_sheets: dict[str, Rows] | None = None,
    hidden_sheets: dict[str, Rows] | None = None,
) -> bytes:
    """An .xlsx with ``rows`` written from A1 (None leaves a cell empty)."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = sheet
    _fill(first, rows)
    for ref in merges:
        first.merge_cells(ref)
    for name, extra in (more_sheets or {}).items():
        _fill(workbook.create_sheet(name), extra)
    for name, extra in (hidden_sheets or {}).items():
        hidden = workbook.create_sheet(name)
        _fill(hidden, extra)
        hidden.sheet_state = "hidden"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: Rows) -> None:
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row, start=1):
            if value is not None and value != "":
                cell = sheet.cell(row=row_number, column=column_number, value=value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"


def standard_header(milestones: int = 2, years: Sequence[int] = (2022, 2023)) -> list[str]:
    header = ["序号", "项目编号", "项目名称", "所属领域", "工作举措", "建设地点", "建设性质"]
    header += ["牵头单位", "责任单位", "责任人", "联系电话", "建设内容及规模", "总投资（万元）"]
    header += [f"{year}年计划投资（万元）" for year in years]
    header += ["计划开工时间", "计划完工时间"]
    for number in range(1, milestones + 1):
        header += [f"节点{number}", f"节点{number}计划时间"]
    return header


def standard_row(
    seq: int, project: ProjectRow, milestones: int = 2, years: Sequence[int] = (2022, 2023)
) -> list[object]:
    row: list[object] = [
        seq,
        project.code,
        project.name,
        project.area,
        project.measure,
        project.county,
        project.nature,
        project.lead_unit,
        project.responsible_units,
        project.contact_person,
        project.contact_phone,
        project.scope,
        project.total_investment,
    ]
    row += [project.annual_plans.get(year) for year in years]
    row += [project.planned_start, project.planned_finish]
    for index in range(milestones):
        if index < len(project.milestones):
            row += [project.milestones[index].name, project.milestones[index].planned]
        else:
            row += [None, None]
    return row


def standard_list(projects: Sequence[ProjectRow], *, title: bool = True) -> list[list[object]]:
    rows: list[list[object]] = []
    if title:
        rows += [["临沧市重大项目清单"], ["单位：万元"]]
    rows.append(standard_header())
    rows += [standard_row(i, p) for i, p in enumerate(projects, start=1)]
    return rows


# ---------------------------------------------------------------------------- .ods by hand


def ods_bytes(rows: Rows, *, sheet: str = "项目清单") -> bytes:
    """A minimal OpenDocument spreadsheet: the parts a reader needs, nothing more."""
    body = []
    for row in rows:
        cells = []
        for value in row:
            cells.append(_ods_cell(value))
        body.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    return ods_package(f'<table:table table:name="{escape(sheet)}">{"".join(body)}</table:table>')


def ods_package(tables: str, *, table_prefix: str = "table") -> bytes:
    """An .ods package around ``tables`` (the XML inside office:spreadsheet)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        f' xmlns:{table_prefix}="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{day.isoformat()}">'
            f"<text:p>{day.isoformat()}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


# ---------------------------------------------------------------------------- LibreOffice


def libreoffice() -> str | None:
    for name in ("/usr/bin/libreoffice", "/usr/bin/soffice"):
        if Path(name).exists():
            return name
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_save_as(
    program: str, source: Path, target: str, *, profile: Path, timeout: float
) -> Path:
    """``source`` saved as ``target`` (xls, ods) beside it by headless LibreOffice
    (``program``) with its own user profile, so a running LibreOffice is not disturbed."""
    subprocess.run(
        [
            program,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return source.with_suffix(f".{target}")


def convert_with_libreoffice(data: bytes, target: str) -> bytes:
    """Convert .xlsx bytes to ``target`` ("xls" or "ods") with headless LibreOffice."""
    program = libreoffice()
    if program is None:
        pytest.skip("LibreOffice is not installed: cannot make a .xls file")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "list.xlsx"
        source.write_bytes(data)
        profile = Path(work) / "profile"
        return soffice_save_as(program, source, target, profile=profile, timeout=180).read_bytes()


# ---------------------------------------------------------------------------- hostile files


def zip_with(
    base: bytes,
    extra: dict[str, bytes],
    *,
    content_types: bytes | None = None,
    replace: dict[str, bytes] | None = None,
) -> bytes:
    """A copy of the zip ``base`` with members added or replaced."""
    replace = dict(replace or {})
    if content_types is not None:
        replace["[Content_Types].xml"] = content_types
    source = zipfile.ZipFile(BytesIO(base))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, replace.get(info.filename) or source.read(info))
        for name, data in extra.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal Compound File (the container of .xls and of encrypted .xlsx).

    512-byte sectors, one FAT sector, one directory sector; every stream is padded to at
    least 4096 bytes so it lives in regular sectors rather than the mini stream.
    """
    sector = 512
    names = list(streams)
    assert len(names) <= 3, "one directory sector holds the root and three streams"
    bodies = [streams[name].ljust(4096, b"\0") for name in names]
    fat: list[int] = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT, sector 1: the directory
    starts = []
    data_sectors: list[bytes] = []
    for body in bodies:
        count = (len(body) + sector - 1) // sector
        first = len(fat)
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
        padded = body.ljust(count * sector, b"\0")
        data_sectors += [padded[i : i + sector] for i in range(0, len(padded), sector)]
    assert len(fat) <= sector // 4
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # FAT sectors
    struct.pack_into("<I", header, 0x30, 1)  # first directory sector
    struct.pack_into("<I", header, 0x38, 4096)  # mini stream cutoff
    struct.pack_into("<IIII", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    directory = bytearray(sector)
    entries = [("Root Entry", 5, 0xFFFFFFFE, 0)] + [
        (name, 2, start, len(streams[name].ljust(4096, b"\0")))
        for name, start in zip(names, starts, strict=True)
    ]
    for index, (name, kind, start, size) in enumerate(entries):
        encoded = name.encode("utf-16-le") + b"\0\0"
        offset = index * 128
        directory[offset : offset + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, offset + 64, len(encoded), kind, 1)
        child = 1 if kind == 5 and len(entries) > 1 else 0xFFFFFFFF
        right = index + 1 if 0 < index < len(entries) - 1 else 0xFFFFFFFF
        struct.pack_into("<III", directory, offset + 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<IQ", directory, offset + 116, start, size)
    return (
        bytes(header)
        + struct.pack(f"<{sector // 4}I", *fat)
        + bytes(directory)
        + b"".join(data_sectors)
    )


def biff_records(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", kind, len(body)) + body for kind, body in records)
