import secrets
import subprocess
from pathlib import Path

import pytest

from tests.runs import run_cli

ROOT = Path(__file__).resolve().parents[1]


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return run_cli({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}, *args)


def test_init_then_demo_then_users_list(tmp_path):
    assert cli(tmp_path, "init").returncode == 0
    demo = cli(tmp_path, "demo", "--as-of", "2026-11-28", "--password", "pw-for-training")
    assert demo.returncode == 0, demo.stderr
    assert "90 个重大项目" in demo.stdout
    assert "linxiang" in demo.stdout
    listing = cli(tmp_path, "users", "list")
    assert listing.returncode == 0
    assert "cangyuan" in listing.stdout and "沧源县" in listing.stdout


def test_demo_refuses_a_database_that_already_has_a_plan(tmp_path):
    assert cli(tmp_path, "demo", "--as-of", "2026-11-28").returncode == 0
    again = cli(tmp_path, "demo", "--as-of", "2026-11-28")
    assert again.returncode == 1
    assert "已有项目" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (
                "users",
                "add",
                "x",
                "--role",
                "county",
                "--county",
                "北京",
                "--password",
                "longenough",
            ),
            "不是有效的县区",
        ),
        (("users", "add", "x", "--role", "viewer", "--password", "short"), "至少需要"),
        (("users", "add", "x", "--role", "viewer"), "--password"),
        (("users", "passwd", "nobody", "--password", "longenough"), "不存在"),
        (("demo", "--as-of", "2026-13-01"), "YYYY-MM-DD"),
        (("import", "/nonexistent/list.xlsx"), "文件不存在"),
        (("restore", "/nonexistent/backup.db"), "备份文件不存在"),
    ],
)
def test_bad_input_gets_a_clear_message_and_a_non_zero_exit(tmp_path, args, message):
    cli(tmp_path, "init")
    result = cli(tmp_path, *args)
    assert result.returncode != 0
    assert message in result.stderr


def test_backup_and_restore_round_trip_through_the_cli(tmp_path):
    cli(tmp_path, "demo", "--as-of", "2026-11-28", "--password", "pw-for-training")
    assert cli(tmp_path, "backup", str(tmp_path / "b.db")).returncode == 0
    assert (
        cli(
            tmp_path, "users", "add", "newbie", "--role", "viewer", "--password", "longenough"
        ).returncode
        == 0
    )
    assert cli(tmp_path, "restore", str(tmp_path / "b.db")).returncode == 0
    assert "newbie" not in cli(tmp_path, "users", "list").stdout


# --- no implicit databases, no credentials in messages (#20) --------------------------------


STRONG_KEY = secrets.token_urlsafe(48)  # random: production refuses a weak or known key


@pytest.mark.parametrize("command", [("backup", "x.dump"), ("users", "list"), ("init",)])
def test_in_production_without_database_url_no_command_touches_a_default_sqlite_file(
    tmp_path, command
):
    args = [a if a != "x.dump" else str(tmp_path / "x.dump") for a in command]
    result = run_cli({"TRACKER_ENV": "production", "SECRET_KEY": STRONG_KEY}, *args, cwd=tmp_path)
    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr and "--env-file" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert "已备份" not in result.stdout


def test_a_backup_of_a_sqlite_file_that_is_not_there_is_refused_and_creates_nothing(tmp_path):
    missing = tmp_path / "nowhere" / "tracker.db"
    result = run_cli(
        {"DATABASE_URL": f"sqlite:///{missing}"}, "backup", str(tmp_path / "b.db"), cwd=tmp_path
    )
    assert result.returncode == 1
    assert "数据库文件不存在" in result.stderr and str(missing) in result.stderr
    assert not missing.parent.exists() and not (tmp_path / "b.db").exists()


def test_commands_on_an_empty_database_file_say_it_is_not_initialised(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    for args in (("users", "list"), ("backup", str(tmp_path / "b.db")), ("export", "x.xlsx")):
        result = run_cli({"DATABASE_URL": f"sqlite:///{empty}"}, *args, cwd=tmp_path)
        assert result.returncode == 1, args
        assert "尚未初始化" in result.stderr, (args, result.stderr)
    assert not (tmp_path / "b.db").exists()


def test_the_settings_file_is_read_as_the_services_read_it(tmp_path):
    settings = tmp_path / "tracker.env"
    settings.write_text(
        "# the service's settings\n"
        f"DATABASE_URL=sqlite:///{tmp_path / 'office.db'}\n"
        "OFFICE_NAME=普洱市 建设办公室\n"
    )
    assert run_cli({}, "--env-file", str(settings), "init").returncode == 0
    assert (tmp_path / "office.db").is_file()
    added = run_cli(
        {},
        "--env-file",
        str(settings),
        "users",
        "add",
        "pu",
        "--role",
        "admin",
        stdin="Pu-er-pass-1\n",
    )
    assert added.returncode == 0, added.stderr
    assert "pu " in run_cli({}, "--env-file", str(settings), "users", "list").stdout
    missing = run_cli({}, "--env-file", str(tmp_path / "nope.env"), "users", "list")
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_a_password_given_on_standard_input_is_used_and_never_echoed(tmp_path):
    db = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    assert run_cli(db, "init").returncode == 0
    added = run_cli(db, "users", "add", "lin", "--role", "viewer", stdin="Quiet-pass-77\n")
    assert added.returncode == 0, added.stderr
    assert "Quiet-pass-77" not in added.stdout + added.stderr
    from tracker.db import make_engine, read_session
    from tracker.services.users import authenticate

    engine = make_engine(db["DATABASE_URL"])
    with read_session(engine) as session:
        assert authenticate(session, "lin", "Quiet-pass-77") is not None
    engine.dispose()


def test_a_database_that_cannot_be_reached_is_named_without_its_password(tmp_path):
    url = "postgresql+psycopg://office:Sup3r%40secret%23x@127.0.0.1:1/tracker"
    result = run_cli({"DATABASE_URL": url, "SECRET_KEY": STRONG_KEY}, "backup", str(tmp_path / "b"))
    assert result.returncode == 1
    assert "数据库" in result.stderr and "127.0.0.1" in result.stderr
    for secret in ("Sup3r", "secret#x", "%40secret", STRONG_KEY):
        assert secret not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "b").exists()


def test_redact_hides_every_configured_secret(monkeypatch):
    from tracker.cli import redact

    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p%40ss%23word@db/x")
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("SMTP_PASSWORD", "mail-secret")
    monkeypatch.setenv("WEBHOOK_URL", "https://qyapi.weixin.qq.com/send?key=robot-key")
    text = redact(
        f"url postgresql://u:p%40ss%23word@db/x pw p@ss#word key {STRONG_KEY} mail-secret "
        "https://qyapi.weixin.qq.com/send?key=robot-key"
    )
    for secret in ("p@ss#word", "p%40ss%23word", STRONG_KEY, "mail-secret", "robot-key"):
        assert secret not in text


def test_check_passes_on_a_fresh_initialised_database_and_fails_on_an_unwritable_bulletin_folder(
    tmp_path,
):
    db = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BULLETIN_DIR": str(tmp_path / "b")}
    assert run_cli(db, "init").returncode == 0
    ok = run_cli(db, "check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "✓ 数据库" in ok.stdout and "client_max_body_size 应为 29010603" in ok.stdout
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    bad = run_cli({**db, "BULLETIN_DIR": str(blocked / "bulletins")}, "check")
    assert bad.returncode == 1 and "✗ 通报目录" in bad.stdout


def _unknown_column_list(path: Path) -> Path:
    from tests.excel.factories import xlsx_bytes

    rows = [
        ["重大项目清单"],
        ["项目名称", "所属领域", "工作举措", "项目所在片区", "本年度计划投资", "督查口径"],
        ["甲项目", "绿色低碳发展", "发展清洁能源", "云县", 100, "A类"],
        ["乙项目", "绿色低碳发展", "发展清洁能源", "沧源县", 200, "B类"],
    ]
    path.write_bytes(xlsx_bytes(rows))
    return path


def test_import_refuses_an_unplaced_column_listing_what_it_could_be(tmp_path):
    listed = _unknown_column_list(tmp_path / "清单.xlsx")
    run = cli(tmp_path, "import", str(listed), "--dry-run")
    assert run.returncode == 1
    assert "工作表“项目清单”F列“督查口径”，示例：A类 | B类" in run.stderr
    assert "可能是：" in run.stderr and "--map" in run.stderr and "--ignore" in run.stderr
    assert "--year" in run.stderr  # 本年度 with no year in the title or sheet name


def test_import_with_map_ignore_and_year_goes_through_and_remembers(tmp_path):
    listed = _unknown_column_list(tmp_path / "清单.xlsx")
    run = cli(
        tmp_path,
        "import",
        str(listed),
        "--ignore",
        "督查口径",
        "--year",
        "2024",
        "--map",
        "项目所在片区=建设地点",
    )
    assert run.returncode == 0, run.stderr
    assert "新建项目 2 个" in run.stdout and "本年度按2024年（导入时指定）" in run.stdout
    assert "未使用的列：" in run.stdout and "督查口径" in run.stdout and "A类 | B类" in run.stdout
    again = cli(tmp_path, "import", str(listed), "--dry-run", "--year", "2024")
    assert again.returncode == 0, again.stderr  # the ignored column is remembered
    assert "无变化 2 个" in again.stdout


def test_import_refuses_a_mapping_to_no_field(tmp_path):
    listed = _unknown_column_list(tmp_path / "清单.xlsx")
    run = cli(tmp_path, "import", str(listed), "--map", "督查口径=心情")
    assert run.returncode == 1 and "不知道“心情”是哪个字段" in run.stderr
