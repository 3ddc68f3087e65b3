import io
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.conftest import DEMO_AS_OF
from tracker.config import load_settings
from tracker.db import read_session
from tracker.excel.bulletin import LIGHT_FILLS, bulletin_workbook
from tracker.services.auth import SYSTEM
from tracker.services.bulletin import build_bulletin, bulletin_file

SHEETS = [
    "调度通报",
    "分举措",
    "分县区",
    "牵头单位",
    "县区排名",
    "红黄灯项目",
    "应开未开",
    "逾期节点",
    "未报送",
    "协调事项",
    "前期手续",
    "较上月变化",
]


@pytest.fixture
def november(demo_engine):
    with read_session(demo_engine) as s:
        return build_bulletin(
            s,
            actor=SYSTEM,
            period=date(2026, 11, 1),
            today=DEMO_AS_OF,
            settings=load_settings(env={}),
        )


def test_the_workbook_is_set_up_for_printing_on_a4_landscape(november):
    wb = load_workbook(io.BytesIO(bulletin_workbook(november)))
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    for name in ("分县区", "红黄灯项目", "逾期节点"):
        ws = wb[name]
        assert ws.print_title_rows and ws.freeze_panes
    front = wb["调度通报"]
    assert front["A1"].value == "2026年11月重大项目调度通报"
    assert "未定稿" in front["A2"].value
    assert any(
        isinstance(c.value, str) and c.value.startswith("截至2026年11月28日") for c in front["A"]
    )


def test_lights_are_cell_fills_and_user_text_is_never_a_formula(november):
    november.red_amber[0]["problems"] = ['=HYPERLINK("http://evil")']
    ws = load_workbook(io.BytesIO(bulletin_workbook(november)))["红黄灯项目"]
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "项目编号")
    light = ws.cell(row=header + 1, column=5)
    assert light.value == "红灯"
    assert light.fill.fgColor.rgb.endswith(LIGHT_FILLS["red"].fgColor.rgb[-6:])
    problems = ws.cell(row=header + 1, column=7)
    assert problems.data_type == "s" and problems.value.startswith("1. =HYPERLINK")


@pytest.mark.slow
def test_the_workbook_converts_to_pdf_with_libreoffice(november, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("libreoffice is not installed: the PDF conversion was not checked")
    path = tmp_path / "调度通报-2026-11.xlsx"
    path.write_bytes(bulletin_workbook(november))
    done = subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "调度通报-2026-11.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(
            next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages"))
        )
        assert 5 <= pages <= 20


def test_the_bulletin_file_is_named_one_way_and_headed_with_the_office_s_own_name(november):
    from dataclasses import replace

    office = load_settings(env={}, OFFICE_NAME="普洱市重大项目建设办公室")
    live = bulletin_file(november, office)
    assert live.name == "调度通报-2026-11.xlsx"  # not final: no revision in the name
    for ws in load_workbook(io.BytesIO(live.content)).worksheets:
        assert ws["A2"].value.startswith("普洱市重大项目建设办公室　数据截至")
        assert "临沧" not in ws["A2"].value
    final = replace(november, final=True, revision=2)
    assert bulletin_file(final, office).name == "调度通报-2026-11-修订版2.xlsx"
    assert bulletin_file(replace(final, revision=1), office).name == "调度通报-2026-11.xlsx"
    reopened = replace(november, final=False, revision=2)  # the coming 修订版, still live
    assert bulletin_file(reopened, office).name == "调度通报-2026-11.xlsx"


def test_the_approvals_sheet_lists_the_approving_units_with_their_lights(november):
    ws = load_workbook(io.BytesIO(bulletin_workbook(november)))["前期手续"]
    assert ws["A1"].value == "各审批部门前期手续办理情况"
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "市生态环境局" in texts and "超过承诺时限的前期手续" in texts
    units = {u["unit"]: u["light"] for u in november.approvals["units"]}
    assert set(units.values()) >= {"red", "green"}
    lights = {r[0].value: r[-1].value for r in ws.iter_rows(min_row=5, max_row=4 + len(units))}
    assert lights == {
        unit: {"red": "红灯", "amber": "黄灯", "green": "绿灯"}[light]
        for unit, light in units.items()
    }
