"""`python -m tracker indicators export FILE` / `indicators import FILE [--dry-run]` on the
demo office."""

from io import BytesIO

from docx import Document as WordDocument
from openpyxl import load_workbook

from tests.excel.factories import xlsx_bytes
from tracker.cli import main


def test_export_then_import_through_the_command_line(demo_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    monkeypatch.chdir(tmp_path)
    assert main(["indicators", "export", "指标.xlsx", "--today", "2026-11-28"]) == 0
    book = load_workbook(tmp_path / "指标.xlsx")
    assert [book[n]["A1"].value for n in book.sheetnames[:3]] == [
        "创新能力监测指标（39项）",
        "SDGs 进展指标（102项）",
        "可持续发展规划指标（30项）",
    ]
    assert main(["indicators", "export", "指标.docx", "--today", "2026-11-28"]) == 0
    word = WordDocument(BytesIO((tmp_path / "指标.docx").read_bytes()))
    assert len(word.tables) == 3
    capsys.readouterr()
    assert main(["indicators", "import", "指标.xlsx", "--dry-run", "--today", "2026-11-28"]) == 0
    printed = capsys.readouterr().out
    assert "预演（未写入）：新建指标 0 项，更新 0 项，无变化 171 项" in printed
    assert "未使用的列：工作表“创新能力监测”A列“序号”" in printed


def test_a_file_with_errors_is_refused_with_every_error_located(
    demo_engine, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx_bytes(
            [["指标编号", "指标名称", "计量单位", "2024年"], ["X-1", "研发投入", "%", "很多"]],
            sheet="创新能力监测",
        )
    )
    assert main(["indicators", "import", str(bad), "--today", "2026-11-28"]) == 1
    err = capsys.readouterr().err
    assert "工作表“创新能力监测”第2行D列（2024年）：无法识别的数值：很多" in err
    assert "未写入任何数据" in err


def test_an_unknown_export_format_is_refused(demo_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    monkeypatch.chdir(tmp_path)
    assert main(["indicators", "export", "指标.csv"]) == 1
    assert "应为 .xlsx 或 .docx" in capsys.readouterr().err
    assert not (tmp_path / "指标.csv").exists()
