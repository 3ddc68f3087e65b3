"""`python -m tracker check`: is this installation safe and working? One line per check.

Run as the service's user with the service's settings (``trackerctl check``), it sees what
the web app and the scheduler will see: the database they reach, the folders they write,
the files they can read. Nothing here changes anything.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from tracker.config import ROOT, Settings, nginx_body_size
from tracker.services import health
from tracker.services.backup import plain_url

OK, WARN, FAIL = "ok", "warn", "fail"
MARKS = {OK: "✓", WARN: "!", FAIL: "✗"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Check:
    level: str  # OK, WARN or FAIL
    topic: str
    detail: str

    def line(self) -> str:
        return f"{MARKS[self.level]} {self.topic}：{self.detail}"


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def check_installation(
    settings: Settings,
    engine: Engine,
    *,
    env_file: Path | None,
    database_explicit: bool,
) -> list[Check]:
    """Every check, in the order the guide sets things up."""
    production = settings.is_production
    bad = FAIL if production else WARN
    out: list[Check] = []

    if production:
        out.append(Check(OK, "运行模式", "production（生产模式；SECRET_KEY 已设置，调试关闭）"))
    else:
        out.append(
            Check(
                WARN,
                "运行模式",
                "development：每次启动换一个会话密钥，空库会写入演示数据；服务器上请设 TRACKER_ENV=production",
            )
        )

    if env_file is not None:
        out.append(_env_file_check(env_file, bad))

    out.append(_database_check(engine, database_explicit, bad))
    if engine.dialect.name == "postgresql":
        out.append(_pg_tools_check(engine))

    out.append(_bulletin_dir_check(Path(settings.BULLETIN_DIR)))

    if _writable(ROOT):
        out.append(Check(bad, "程序目录", f"{ROOT} 可被当前用户修改：服务用户不应能改写程序"))
    else:
        out.append(Check(OK, "程序目录", f"{ROOT} 只读（服务用户不能改写程序）"))

    if production and not settings.cookies_secure:
        out.append(Check(FAIL, "HTTPS", "SESSION_COOKIE_SECURE=false：会话 Cookie 会经明文传输"))
    elif production:
        out.append(Check(OK, "HTTPS", "会话 Cookie 只经 HTTPS 传输"))
    proxies = int(settings.TRACKER_TRUSTED_PROXIES)
    if production and proxies == 0:
        out.append(
            Check(
                WARN,
                "反向代理",
                "TRACKER_TRUSTED_PROXIES=0：在 nginx 后面时所有人共用 nginx 的地址，几十次错误登录就会锁住全体用户；一层 nginx 请设 1",
            )
        )
    elif production:
        out.append(Check(OK, "反向代理", f"信任 {proxies} 层代理转发的客户端地址"))
    host = str(settings.TRACKER_HOST)
    if production and host not in LOOPBACK:
        out.append(
            Check(
                WARN,
                "监听地址",
                f"{host}:{settings.TRACKER_PORT} 不只是本机：在 nginx 后面请用 127.0.0.1",
            )
        )
    else:
        out.append(Check(OK, "监听地址", f"{host}:{settings.TRACKER_PORT}"))
    out.append(
        Check(
            OK,
            "上传上限",
            f"MAX_UPLOAD_MB={settings.MAX_UPLOAD_MB}：nginx 的 client_max_body_size 应为 {nginx_body_size(settings.MAX_UPLOAD_MB)}",
        )
    )
    return out


def _bulletin_dir_check(folder: Path) -> Check:
    """The close job writes the month's workbook there (and makes the folder if it can)."""
    if folder.is_dir():
        if _writable(folder):
            return Check(OK, "通报目录", f"{folder} 可写")
        return Check(FAIL, "通报目录", f"{folder} 对当前用户不可写：关账时通报文件写不出来")
    parent = folder.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.is_dir() and _writable(parent):
        return Check(OK, "通报目录", f"{folder} 尚不存在，关账时会创建")
    return Check(
        FAIL, "通报目录", f"{folder} 不存在，当前用户也无法创建：请先建好，属主为运行服务的用户"
    )


def _env_file_check(env_file: Path, bad: str) -> Check:
    mode = env_file.stat().st_mode
    if mode & stat.S_IROTH:
        return Check(FAIL, "配置文件", f"{env_file} 所有用户可读（含密钥）：chmod 640")
    if _writable(env_file):
        return Check(bad, "配置文件", f"{env_file} 可被服务用户修改：应为 root 所有、640")
    return Check(OK, "配置文件", f"{env_file}（{stat.filemode(mode)}，服务用户只读）")


def _database_check(engine: Engine, explicit: bool, bad: str) -> Check:
    where = plain_url(engine.url)
    ok, details = health.check(engine)
    if details.get("database") != "ok":
        return Check(FAIL, "数据库", f"{where} 连接失败（{details.get('database')}）")
    if not ok:
        return Check(
            FAIL,
            "数据库",
            f"{where} 结构为 {details.get('schema')}，程序需要 {details.get('expected_schema')}：请运行 init",
        )
    note = "" if explicit else "（DATABASE_URL 未设置，用的是默认 SQLite 文件）"
    level = OK if explicit or engine.dialect.name != "sqlite" else bad
    return Check(level, "数据库", f"{where} 可连接，结构为最新（{details.get('schema')}）{note}")


def _major(version_text: str) -> int | None:
    """15 from "pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"."""
    match = re.search(r"\)\s*(\d+)", version_text)
    return int(match.group(1)) if match else None


def _pg_tools_check(engine: Engine) -> Check:
    tools = {name: shutil.which(name) for name in ("pg_dump", "pg_restore")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        return Check(
            FAIL, "备份工具", f"找不到 {', '.join(missing)}：apt-get install postgresql-client"
        )
    with engine.connect() as conn:
        server = int(conn.execute(text("SHOW server_version_num")).scalar() or 0) // 10000
    version = subprocess.run(
        [str(tools["pg_dump"]), "--version"], capture_output=True, text=True, check=False
    ).stdout
    client = _major(version) or 0
    if client < server:
        return Check(
            FAIL,
            "备份工具",
            f"pg_dump {client} 比数据库服务器 {server} 旧：请安装 postgresql-client-{server}",
        )
    return Check(OK, "备份工具", f"pg_dump / pg_restore {client}（服务器 {server}）")
