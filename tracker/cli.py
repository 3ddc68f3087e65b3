"""`python -m tracker …`: the office's command line. Exit 0 on success, 1 with the reason."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from tracker.config import SettingsError, load_settings
from tracker.db import make_engine, migrate, read_session, write_session
from tracker.services.auth import SYSTEM
from tracker.services.errors import ServiceError


class CliError(Exception):
    pass


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


def _engine(args):
    settings = load_settings()
    engine = make_engine(settings.DATABASE_URL)
    return settings, engine


def cmd_init(args) -> int:
    _, engine = _engine(args)
    migrate(engine)
    print("数据库已迁移到最新版本 / schema is up to date")
    return 0


def cmd_demo(args) -> int:
    from tracker.services.demo import build_demo
    from tracker.startup import print_demo_logins, shanghai_today

    settings, engine = _engine(args)
    if settings.is_production:
        raise CliError("生产模式下不能写入演示数据 (TRACKER_ENV=production)")
    migrate(engine)
    try:
        with write_session(engine) as session:
            users = build_demo(
                session,
                as_of=args.as_of or shanghai_today(),
                seed=args.seed,
                password=args.password,
            )
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    print("已生成演示数据：4 个领域、21 项举措、90 个重大项目")
    print_demo_logins(users)
    return 0


def cmd_import(args) -> int:
    from tracker.services.plan_import import import_project_list

    settings, engine = _engine(args)
    migrate(engine)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"文件不存在：{path}")
    data = path.read_bytes()
    with write_session(engine) as session:
        result = import_project_list(
            session,
            actor=SYSTEM,
            data=data,
            filename=path.name,
            dry_run=args.dry_run,
            max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024,
        )
    print(result.summary())
    for error in result.errors:
        print(f"  ✗ {error}", file=sys.stderr)
    if result.errors:
        print("清单有错误，未写入任何数据 / nothing was written", file=sys.stderr)
        return 1
    return 0


def cmd_export(args) -> int:
    from tracker.services.plan_import import export_project_list_bytes

    _, engine = _engine(args)
    with read_session(engine) as session:
        data = export_project_list_bytes(session, actor=SYSTEM)
    Path(args.file).write_bytes(data)
    print(f"已导出到 {args.file}")
    return 0


def cmd_users(args) -> int:
    from tracker.services import users

    _, engine = _engine(args)
    if args.action == "list":
        with read_session(engine) as session:
            for u in users.list_users(session, actor=SYSTEM):
                scope = u.county or u.lead_unit or ""
                state = "" if u.active else "（已停用）"
                print(f"{u.username:<16} {u.role:<7} {scope}{state}")
        return 0
    password = args.password
    if args.action in {"add", "passwd"} and password is None:
        if not sys.stdin.isatty():
            raise CliError("请用 --password 提供密码（非交互模式）")
        password = getpass.getpass("密码 / password: ")
    with write_session(engine) as session:
        if args.action == "add":
            users.add_user(
                session,
                actor=SYSTEM,
                username=args.username,
                password=password,
                role=args.role,
                county=args.county,
                lead_unit=args.lead_unit,
                display_name=args.name or "",
                email=args.email or "",
            )
            print(f"已添加用户 {args.username}")
        elif args.action == "passwd":
            users.set_password(session, actor=SYSTEM, username=args.username, password=password)
            print(f"已重置 {args.username} 的密码")
        elif args.action == "disable":
            users.set_active(session, actor=SYSTEM, username=args.username, active=False)
            print(f"已停用 {args.username}")
    return 0


def cmd_backup(args) -> int:
    from tracker.services.backup import backup

    _, engine = _engine(args)
    backup(engine, Path(args.file))
    print(f"已备份到 {args.file}")
    return 0


def cmd_restore(args) -> int:
    from tracker.services.backup import restore

    _, engine = _engine(args)
    restore(engine, Path(args.file))
    print(f"已从 {args.file} 恢复")
    return 0


def make_secret() -> str:
    """A SECRET_KEY for production: 48 random bytes, URL-safe (64 characters)."""
    import secrets

    from tracker.config import secret_key_problem

    while True:
        key = secrets.token_urlsafe(48)
        if secret_key_problem(key) is None:  # never a key the production check would refuse
            return key


def cmd_secret(args) -> int:
    print(make_secret())
    return 0


def cmd_settings(args) -> int:
    from tracker.config import settings_markdown

    print(settings_markdown())
    return 0


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"月份格式应为 YYYY-MM：{value}") from exc


def cmd_bulletin(args) -> int:
    from tracker.domain.bulletin import bulletin_filename
    from tracker.excel.bulletin import bulletin_workbook
    from tracker.services.bulletin import build_bulletin
    from tracker.startup import shanghai_today

    settings, engine = _engine(args)
    with read_session(engine) as session:
        bulletin = build_bulletin(
            session,
            actor=SYSTEM,
            period=args.month,
            today=args.today or shanghai_today(),
            settings=settings,
        )
    out = Path(args.out or bulletin_filename(args.month))
    out.write_bytes(bulletin_workbook(bulletin))
    print(f"已生成{bulletin.title}（{bulletin.status_label}）：{out}")
    print(bulletin.headline)
    return 0


def cmd_makemigration(args) -> int:
    from alembic import command

    from tracker.db import alembic_config

    engine = make_engine(f"sqlite:///{Path(args.scratch).resolve()}")
    migrate(engine)
    command.revision(
        alembic_config(engine), message=args.message, autogenerate=True, rev_id=args.rev_id
    )
    Path(args.scratch).unlink(missing_ok=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="挂图作战 + 每月调度")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or migrate the database").set_defaults(func=cmd_init)

    demo = sub.add_parser("demo", help="fill an empty database with the demo office")
    demo.add_argument("--as-of", type=_date, default=None, help="YYYY-MM-DD (default: today)")
    demo.add_argument("--seed", type=int, default=2021)
    demo.add_argument("--password", default=None, help="one password for every demo login")
    demo.set_defaults(func=cmd_demo)

    imp = sub.add_parser("import", help="import a project list (.xlsx/.xls/.ods)")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="export the project list to .xlsx")
    exp.add_argument("file")
    exp.set_defaults(func=cmd_export)

    users = sub.add_parser("users", help="manage logins")
    users.add_argument("action", choices=["add", "list", "passwd", "disable"])
    users.add_argument("username", nargs="?")
    users.add_argument("--role", choices=["admin", "county", "unit", "viewer"], default="viewer")
    users.add_argument("--county")
    users.add_argument("--lead-unit")
    users.add_argument("--name")
    users.add_argument("--email")
    users.add_argument("--password")
    users.set_defaults(func=cmd_users)

    backup = sub.add_parser("backup", help="back up the database to FILE")
    backup.add_argument("file")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore the database from FILE")
    restore.add_argument("file")
    restore.set_defaults(func=cmd_restore)

    sub.add_parser("settings", help="print every setting, its default and meaning").set_defaults(
        func=cmd_settings
    )
    sub.add_parser("secret", help="print a new random SECRET_KEY for production").set_defaults(
        func=cmd_secret
    )
    bulletin = sub.add_parser("bulletin", help="write a month's bulletin (调度通报) to .xlsx")
    bulletin.add_argument("--month", type=_month, required=True, help="YYYY-MM")
    bulletin.add_argument("--out", default=None, help="file (default: 调度通报-YYYY-MM.xlsx)")
    bulletin.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    bulletin.set_defaults(func=cmd_bulletin)

    mig = sub.add_parser("makemigration", help="(developers) autogenerate a migration")
    mig.add_argument("-m", "--message", required=True)
    mig.add_argument("--rev-id", required=True, help="e.g. 0002_reporting")
    mig.add_argument("--scratch", default="data/_makemigration.db")
    mig.set_defaults(func=cmd_makemigration)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "users" and args.action != "list" and not args.username:
        parser.error("users add|passwd|disable 需要用户名")
    try:
        return args.func(args)
    except (CliError, ServiceError, SettingsError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
