import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


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
