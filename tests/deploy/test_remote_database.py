"""The database on another server: a password in DATABASE_URL, percent-encoded as the guide
says, works for every command (pg_dump and pg_restore too), and no message repeats it.

The server is a PostgreSQL cluster of its own that checks passwords (scram-sha-256 over TCP),
as a database server of the city's would; the shared test server trusts everybody.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.prod.procs import PrivateCluster, postgres_bin
from tests.runs import run_cli
from tracker.db import make_engine

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "p@ss#w/rd:%x 空格?&="  # everything that breaks a URL written by hand
ADMIN = "admin-pass-1"


@pytest.fixture
def server():
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (initdb) installed")
    root = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    root.chmod(0o755)
    secret = root / "pwfile"
    secret.write_text(ADMIN + "\n")
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(secret, postgres.pw_uid, postgres.pw_gid)
    cluster = PrivateCluster(
        bindir,
        root,
        initdb_args=("--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={secret}"),
    )
    cluster.start()
    admin = make_engine(
        f"postgresql+psycopg://postgres:{ADMIN}@127.0.0.1:{cluster.port}/postgres",
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        assert "'" not in PASSWORD
        conn.exec_driver_sql(f"CREATE ROLE office LOGIN PASSWORD '{PASSWORD.replace('%', '%%')}'")
        conn.exec_driver_sql("CREATE DATABASE office OWNER office")
        conn.exec_driver_sql("CREATE DATABASE office_drill OWNER office")
    admin.dispose()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return run_cli({"DATABASE_URL": url}, *args, path=os.environ["PATH"], timeout=300)


def test_a_percent_encoded_password_reaches_the_server_from_every_command(server, tmp_path):
    url = f"postgresql+psycopg://office:{quote(PASSWORD, safe='')}@127.0.0.1:{server.port}/office"
    for args in (
        ("init",),
        ("demo", "--as-of", "2026-11-28", "--password", "demo-pass-1"),
        ("backup", str(tmp_path / "office.dump")),
        ("restore", "--database", "office_drill", str(tmp_path / "office.dump")),
        ("check",),
    ):
        result = cli(url, *args)
        output = result.stdout + result.stderr
        assert result.returncode == 0, (args, output)
        assert PASSWORD not in output and quote(PASSWORD, safe="") not in output, args
        assert "p@ss" not in output
    assert (
        "每张表的行数和校验和与备份一致"
        in cli(url, "restore", "--database", "office_drill", str(tmp_path / "office.dump")).stdout
    )


def test_a_wrong_password_is_a_clear_error_that_repeats_neither_password(server, tmp_path):
    wrong = "Wr0ng@pass#2026"
    url = f"postgresql+psycopg://office:{quote(wrong, safe='')}@127.0.0.1:{server.port}/office"
    result = cli(url, "backup", str(tmp_path / "office.dump"))
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "password authentication failed" in output and "office" in output
    for shown in (wrong, quote(wrong, safe=""), "Wr0ng", PASSWORD):
        assert shown not in output
    assert "Traceback" not in output
    assert not list(tmp_path.iterdir())
