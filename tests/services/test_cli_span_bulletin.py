"""`python -m tracker bulletin --period YYYY-Q1|H1|Q3|Y`: the span's bulletin from the frozen
months, beside `--month`."""

import shutil

import pytest
from openpyxl import load_workbook

from tracker.cli import main

TODAY = ["--today", "2026-11-28"]


@pytest.fixture
def demo_cwd(demo_engine, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_half_year_is_written_as_the_annex_workbook(demo_cwd, capsys):
    assert main(["bulletin", "--period", "2026-H1", *TODAY]) == 0
    out = demo_cwd / "调度通报-2026-H1.xlsx"
    book = load_workbook(out)
    assert book.sheetnames == ["附件1", "附件2", "附件3", "附件4"]
    assert book["附件1"]["A1"].value == "附件1：2026年上半年各县（区）重大项目投资完成情况"
    printed = capsys.readouterr().out
    assert "已生成2026年上半年重大项目调度通报：调度通报-2026-H1.xlsx" in printed
    assert "截至2026年6月底" in printed and "同比增长" in printed


def test_an_incomplete_year_says_so_and_writes_to_the_named_file(demo_cwd, capsys):
    assert main(["bulletin", "--period", "2026-y", "--out", "全年.xlsx", *TODAY]) == 0
    assert (demo_cwd / "全年.xlsx").exists()
    assert (
        "已生成2026年全年重大项目调度通报（数据不全：11月、12月未定稿）" in capsys.readouterr().out
    )


@pytest.mark.parametrize("period", ["2026-H2", "2026", "2026-06"])
def test_a_bad_period_is_refused_with_the_forms_it_may_take(demo_cwd, capsys, period):
    with pytest.raises(SystemExit) as exited:
        main(["bulletin", "--period", period, *TODAY])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"无法识别调度期“{period}”" in err and "2026-H1" in err
    assert not list(demo_cwd.glob("*.xlsx"))


def test_month_and_period_are_one_or_the_other(demo_cwd, capsys):
    with pytest.raises(SystemExit):
        main(["bulletin", "--period", "2026-H1", "--month", "2026-06", *TODAY])
    assert "not allowed with" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["bulletin", *TODAY])


def test_a_span_without_frozen_months_is_a_clear_error(demo_cwd, capsys):
    assert main(["bulletin", "--period", "2024-Q1", *TODAY]) == 1
    assert "错误：2024年一季度还没有已定稿（关账）的月份" in capsys.readouterr().err
    assert not list(demo_cwd.glob("*.xlsx"))


def test_an_unknown_file_type_is_refused_before_anything_is_written(demo_cwd, capsys):
    assert main(["bulletin", "--period", "2026-Q1", "--out", "x.csv", *TODAY]) == 1
    assert "错误：不支持的文件类型：x.csv" in capsys.readouterr().err
    assert not (demo_cwd / "x.csv").exists()


def test_the_quarter_s_公文_is_written_as_word_and_pdf(demo_cwd, capsys):
    """The 前三季度 bulletin as .docx and .pdf: the title and 总体情况 read in both."""
    import subprocess

    from docx import Document as read_docx

    assert main(["bulletin", "--period", "2026-Q3", "--out", "q3.docx", *TODAY]) == 0
    text = "\n".join(p.text for p in read_docx(str(demo_cwd / "q3.docx")).paragraphs)
    assert "2026年前三季度" in text and "一、总体情况" in text
    assert main(["bulletin", "--period", "2026-Q3", "--out", "q3.pdf", *TODAY]) == 0
    assert (demo_cwd / "q3.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        pdf_text = subprocess.run(
            ["pdftotext", str(demo_cwd / "q3.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "一、总体情况" in pdf_text
