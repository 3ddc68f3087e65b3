from openpyxl import load_workbook

from tracker.cli import main


def test_the_bulletin_command_writes_the_month_s_workbook(
    demo_engine, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    monkeypatch.chdir(tmp_path)
    assert main(["bulletin", "--month", "2026-10", "--today", "2026-11-28"]) == 0
    out = tmp_path / "调度通报-2026-10.xlsx"
    assert out.exists()
    assert load_workbook(out)["调度通报"]["A1"].value == "2026年10月重大项目调度通报"
    printed = capsys.readouterr().out
    assert "已生成2026年10月重大项目调度通报（定稿）" in printed and "截至2026年10月底" in printed
    assert main(["bulletin", "--month", "2026-10", "--out", "x.xlsx", "--today", "2026-11-28"]) == 0
    assert (tmp_path / "x.xlsx").exists()


def test_a_month_without_data_is_a_clear_error(demo_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    monkeypatch.chdir(tmp_path)
    assert main(["bulletin", "--month", "2019-01", "--today", "2026-11-28"]) == 1
    assert "错误：2019年1月没有调度数据" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.xlsx"))
