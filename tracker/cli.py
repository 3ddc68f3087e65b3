"""`python -m tracker …`: the office's command line. Exit 0 on success, 1 with the reason.

On a server the settings live in /etc/tracker/tracker.env, which systemd hands to the
services; ``--env-file`` (what ``trackerctl`` passes) reads the same file the same way, so a
command sees the database the services use. A command never runs against a database nobody
configured: in production DATABASE_URL must be set, and only init, demo and import create a
SQLite file that is not there yet. No message prints a password or a key.
"""

from __future__ import annotations

import argparse
import getpass
import os
import pwd
import sys
import traceback
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from tracker.config import Settings, SettingsError, load_settings, read_env_file
from tracker.db import make_engine, migrate, read_session, write_session
from tracker.services.auth import SYSTEM
from tracker.services.errors import ServiceError

ENV_FILE_HINT = "在服务器上请用 trackerctl，或加 --env-file /etc/tracker/tracker.env"
CREATES_DATABASE = {"init", "demo", "import", "makemigration"}


class CliError(Exception):
    pass


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


def _settings(args) -> Settings:
    """The settings from the environment, after ``--env-file`` (whose values win)."""
    if getattr(args, "env_file", None):
        os.environ.update(read_env_file(args.env_file))
    if os.environ.get("TRACKER_ENV", "development") == "production" and not os.environ.get(
        "DATABASE_URL"
    ):
        raise CliError(
            "生产模式下没有设置 DATABASE_URL，不会对默认的空 SQLite 库执行命令。" + ENV_FILE_HINT
        )
    return load_settings()


def _engine(args, *, database: str | None = None) -> tuple[Settings, Engine]:
    """Settings and an engine on the configured database, which must exist and be
    initialised unless the command creates it (init, demo, import)."""
    settings = _settings(args)
    url = make_url(settings.DATABASE_URL)
    if database:
        from tracker.services.backup import with_database

        url = with_database(url, database)
    creates = args.command in CREATES_DATABASE
    if url.get_backend_name() == "sqlite" and not creates:
        path = Path(url.database or "")
        if not (database and args.command == "restore") and not path.is_file():
            implicit = (
                "" if os.environ.get("DATABASE_URL") else "（DATABASE_URL 未设置，这是默认位置）"
            )
            raise CliError(f"数据库文件不存在：{path}{implicit}。{ENV_FILE_HINT}")
    engine = make_engine(url.render_as_string(hide_password=False))
    checked = not creates and args.command not in {"restore", "check"}
    if checked and not inspect(engine).has_table("alembic_version"):
        raise CliError("数据库尚未初始化（没有本系统的表）：先运行 init，或检查 DATABASE_URL")
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


def _mapping_args(args) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in args.map or []:
        header, sep, target = item.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise CliError(f"--map 的格式应为“表头=字段”：{item}")
        mapping[header.strip()] = target.strip()
    for header in args.ignore or []:
        if header.strip():
            mapping[header.strip()] = "忽略"
    return mapping


def _is_xml(path: str) -> bool:
    return Path(path).suffix.lower() == ".xml"


def cmd_import_mspdi(args) -> int:
    """``import FILE.xml``: MS Project XML matched by code (#17)."""
    from tracker.services.exchange import import_mspdi, summary_lines
    from tracker.startup import shanghai_today

    _, engine = _engine(args)
    migrate(engine)  # as the list import: a database that is new or behind is brought up
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"文件不存在：{path}")
    today = args.today or shanghai_today()
    with write_session(engine) as session:
        result = import_mspdi(
            session, actor=SYSTEM, data=path.read_bytes(), today=today, dry_run=args.dry_run
        )
    for line in summary_lines(result):
        print(line)
    for error in result.errors:
        print(f"  ✗ {error}", file=sys.stderr)
    if result.errors:
        print("文件有错误，未写入任何数据 / nothing was written", file=sys.stderr)
        return 1
    if result.dry_run:
        print("试运行：未写入任何数据 / dry run: nothing was written")
    return 0


def cmd_import(args) -> int:
    from tracker.excel.recognize import Field

    if _is_xml(args.file):
        return cmd_import_mspdi(args)
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
            mapping=_mapping_args(args),
            year=args.year,
            amount_ceiling=settings.AMOUNT_MAX_WAN,
        )
    if result.needs_input:
        print(result.summary(), file=sys.stderr)
        for column in result.unknown:
            could = "、".join(Field[name].value for name in column.candidates[:6])
            print(
                f"  ? {column.where()}，示例：{' | '.join(column.samples)}"
                f"{'（' + column.note + '）' if column.note else ''}；可能是：{could}",
                file=sys.stderr,
            )
        for message in result.missing:
            print(f"  ? {message}", file=sys.stderr)
        if result.year_needed and result.year is None:
            print(
                "  ? 清单用“本年度”“上年底”或“X月底前”，但标题、工作表名和表头都没写年份：请加 --year YYYY",
                file=sys.stderr,
            )
        print(
            '用 --map "表头=字段" 指明一列是什么，或 --ignore "表头" 不导入该列（可重复）；'
            "未写入任何数据 / nothing was written",
            file=sys.stderr,
        )
        return 1
    print(result.summary())
    for line in _result_lines(result):
        print(line)
    for error in result.errors:
        print(f"  ✗ {error}", file=sys.stderr)
    if result.errors:
        print("清单有错误，未写入任何数据 / nothing was written", file=sys.stderr)
        return 1
    return 0


def _result_lines(result) -> list[str]:
    """The dry run as the office reads it: what is new, what changes, what is not used."""
    lines: list[str] = []
    if result.year is not None:
        lines.append(f"年度：{result.year_line()}")
    for label in result.created:
        lines.append(f"  + 新建 {label}")
    for change in result.changes:
        lines.append(f"  ~ 更新 {change.label}")
        for item in change.fields:
            lines.append(f"      {item.label}：{item.old} → {item.new}")
    if result.unchanged:
        lines.append(f"  = 无变化 {len(result.unchanged)} 个")
    for column in result.unused:
        lines.append(
            f"  未使用的列：{column.where()}，示例：{' | '.join(column.samples)}（{column.note}）"
        )
    for warning in result.warnings:
        lines.append(f"  ! {warning}")
    return lines


def cmd_export(args) -> int:
    from tracker.services.plan_import import export_project_list_bytes

    _, engine = _engine(args)
    if _is_xml(args.file):  # MS Project XML (#17): projects, steps, milestones and links
        from tracker.services.exchange import export_mspdi
        from tracker.startup import shanghai_now

        created = args.now or shanghai_now().replace(microsecond=0)
        with read_session(engine) as session:
            data = export_mspdi(session, actor=SYSTEM, created=created)
        Path(args.file).write_bytes(data)
        print(f"已导出到 {args.file}（MS Project XML）")
        return 0
    with read_session(engine) as session:
        data = export_project_list_bytes(session, actor=SYSTEM)
    Path(args.file).write_bytes(data)
    print(f"已导出到 {args.file}")
    return 0


def cmd_indicators(args) -> int:
    """The zone's indicators as files: export (.xlsx/.docx) or import (catalogue and values)."""
    if args.action == "export":
        return _indicators_export(args)
    return _indicators_import(args)


def _indicators_export(args) -> int:
    from tracker.services.indicator_files import FORMATS, export_document, export_workbook
    from tracker.startup import shanghai_today

    out = Path(args.file)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise CliError(f"不支持的文件类型：{out}（应为 .xlsx 或 .docx）")
    _, engine = _engine(args)
    today = args.today or shanghai_today()
    with read_session(engine) as session:
        if suffix == ".xlsx":
            data = export_workbook(session, actor=SYSTEM, as_of=today)
        else:
            from tracker.document import render

            data = render(export_document(session, actor=SYSTEM, as_of=today), "docx")
    out.write_bytes(data)
    print(f"已导出指标到 {out}")
    return 0


def _indicators_import(args) -> int:
    from tracker.services.indicator_files import import_indicators
    from tracker.startup import shanghai_today

    settings, engine = _engine(args)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"文件不存在：{path}")
    with write_session(engine) as session:
        result = import_indicators(
            session,
            actor=SYSTEM,
            data=path.read_bytes(),
            filename=path.name,
            dry_run=args.dry_run,
            today=args.today or shanghai_today(),
            max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024,
        )
    print(result.summary())
    for name in result.systems_created:
        print(f"  + 新建指标体系 {name}")
    for label in result.created:
        print(f"  + 新建 {label}")
    for change in result.changes:
        print(f"  ~ 更新 {change.label}")
        for item in change.fields:
            print(f"      {item.label}：{item.old} → {item.new}")
    for column in result.unused:
        print(
            f"  未使用的列：{column.where()}，示例：{' | '.join(column.samples)}（{column.note}）"
        )
    for warning in result.warnings:
        print(f"  ! {warning}")
    for error in result.errors:
        print(f"  ✗ {error}", file=sys.stderr)
    if result.errors:
        print("文件有错误，未写入任何数据 / nothing was written", file=sys.stderr)
        return 1
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
        password = _read_password()
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


def _read_password() -> str:
    """Typed twice at a terminal; otherwise one line of standard input (never an argument,
    which other users of the machine can see)."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码 / password: ")
        if getpass.getpass("再输一次 / again: ") != first:
            raise CliError("两次输入的密码不一致")
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CliError("请输入密码：在终端里运行，或从标准输入给出一行密码（也可用 --password）")
    return line


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 104858 else f"{n / 1024:.0f} KB"


def cmd_backup(args) -> int:
    from tracker.services.backup import backup, backup_name, prune
    from tracker.services.photos import media_root
    from tracker.startup import shanghai_now

    if bool(args.file) == bool(args.dir):
        raise CliError("请给出备份文件名，或用 --dir 指定备份目录（二者选一）")
    if (args.keep_daily is not None or args.keep_monthly is not None) and not args.dir:
        raise CliError("--keep-daily / --keep-monthly 只能与 --dir 一起使用")
    settings, engine = _engine(args)
    if args.dir:
        directory = Path(args.dir)
        target = directory / backup_name(shanghai_now(), engine.dialect.name)
    else:
        target = Path(args.file)
    result = backup(engine, target, media=media_root(settings, engine))
    print(
        f"已备份到 {result.path}（{len(result.tables)} 张表，{result.rows} 行，{_size(result.size)}；"
        f"现场照片 {result.media_files} 个文件；校验清单 {result.manifest.name}）"
    )
    if args.dir and (args.keep_daily is not None or args.keep_monthly is not None):
        removed = prune(
            Path(args.dir),
            keep_daily=args.keep_daily if args.keep_daily is not None else 10**6,
            keep_monthly=args.keep_monthly if args.keep_monthly is not None else 10**6,
        )
        for path in removed:
            print(f"已删除过期备份 {path.name}")
    return 0


def cmd_restore(args) -> int:
    from tracker.services.backup import plain_url, restore
    from tracker.services.photos import media_root

    settings, engine = _engine(args, database=args.database)
    media = Path(args.media) if args.media else media_root(settings, engine)
    result = restore(engine, Path(args.file), media=media)
    where = plain_url(engine.url)
    if not result.verified:
        print(
            f"已从 {args.file} 恢复到 {where}（{len(result.tables)} 张表，{result.rows} 行）；"
            "没有校验清单，未能逐表核对"
        )
        return 0
    if result.differences:
        for line in result.differences:
            print(f"  ✗ {line}", file=sys.stderr)
        raise CliError(f"已恢复到 {where}，但与备份不一致（见上）")
    print(
        f"已从 {args.file} 恢复到 {where}：{len(result.tables)} 张表、{result.rows} 行，"
        f"每张表的行数和校验和与备份一致；现场照片 {result.media_files} 个文件，校验和一致"
    )
    return 0


def cmd_check(args) -> int:
    from tracker.services.preflight import FAIL, check_installation

    settings, engine = _engine(args)
    checks = check_installation(
        settings,
        engine,
        env_file=Path(args.env_file) if args.env_file else None,
        database_explicit=bool(os.environ.get("DATABASE_URL")),
    )
    for item in checks:
        print(item.line())
    failed = [c for c in checks if c.level == FAIL]
    if failed:
        print(f"{len(failed)} 项未通过", file=sys.stderr)
        return 1
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


def _span_period(value: str):
    from tracker.domain.span import SpanError, parse_period

    try:
        return parse_period(value)
    except SpanError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


SPAN_FORMATS = (".xlsx", ".docx", ".pdf")


def _span_bytes(document, suffix: str) -> bytes:
    """The span's document as a file: the annex tables as .xlsx; the 公文 as .docx or .pdf."""
    if suffix == ".xlsx":
        from tracker.excel.span import annex_workbook

        return annex_workbook(document)
    from tracker.document import render

    return render(document, suffix.lstrip("."))


def cmd_span_bulletin(args) -> int:
    from tracker.i18n import t
    from tracker.services.span_bulletin import span_document
    from tracker.startup import shanghai_today

    year, span = args.period
    out = Path(args.out or f"调度通报-{year}-{span.code}.xlsx")
    suffix = out.suffix.lower()
    if suffix not in SPAN_FORMATS:
        raise CliError(t("span.bad_format", out=out))
    settings, engine = _engine(args)
    with read_session(engine) as session:
        document = span_document(
            session,
            actor=SYSTEM,
            year=year,
            span=span,
            settings=settings,
            today=args.today or shanghai_today(),
        )
    out.write_bytes(_span_bytes(document, suffix))
    status = f"（{document.status}）" if document.status else ""
    print(f"已生成{document.title}{status}：{out}")
    print(document.sections[0].paragraphs[0])
    return 0


def cmd_bulletin(args) -> int:
    from tracker.services.bulletin import build_bulletin
    from tracker.services.bulletin_text import file_of
    from tracker.startup import shanghai_today

    if args.period is not None:
        return cmd_span_bulletin(args)
    settings, engine = _engine(args)
    suffix = Path(args.out).suffix if args.out else ".xlsx"
    with read_session(engine) as session:
        bulletin = build_bulletin(
            session,
            actor=SYSTEM,
            period=args.month,
            today=args.today or shanghai_today(),
            settings=settings,
        )
        made = file_of(session, bulletin, settings=settings, suffix=suffix)
    out = Path(args.out or made.name)
    out.write_bytes(made.content)
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
    parser.add_argument(
        "--env-file",
        metavar="FILE",
        help="read settings from FILE (KEY=VALUE lines, as systemd's EnvironmentFile)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or migrate the database").set_defaults(func=cmd_init)

    demo = sub.add_parser("demo", help="fill an empty database with the demo office")
    demo.add_argument("--as-of", type=_date, default=None, help="YYYY-MM-DD (default: today)")
    demo.add_argument("--seed", type=int, default=2021)
    demo.add_argument("--password", default=None, help="one password for every demo login")
    demo.set_defaults(func=cmd_demo)

    imp = sub.add_parser(
        "import",
        help="import a project list (.xlsx/.xls/.ods), or MS Project XML (.xml: steps, "
        "milestones and links matched by code)",
    )
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    imp.add_argument(
        "--map",
        action="append",
        metavar="表头=字段",
        help="read the column headed 表头 as 字段 (e.g. 项目所在区域=建设地点); repeatable; "
        "remembered for the next list once the import is written",
    )
    imp.add_argument(
        "--ignore", action="append", metavar="表头", help="do not import this column; repeatable"
    )
    imp.add_argument(
        "--year", type=int, default=None, help="the year 本年度 / 上年底 / X月底前 refer to"
    )
    # tests pin the day an MS Project import checks actual dates against
    imp.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser(
        "export",
        help="export the project list to .xlsx, or the plan to MS Project XML (FILE.xml)",
    )
    exp.add_argument("file")
    # tests pin the creation time written into an MS Project file
    exp.add_argument("--now", type=datetime.fromisoformat, default=None, help=argparse.SUPPRESS)
    exp.set_defaults(func=cmd_export)

    ind = sub.add_parser(
        "indicators",
        help="the zone's indicators as files: export FILE(.xlsx|.docx) in the annual report's "
        "layout, or import FILE (catalogue and values)",
    )
    ind.add_argument("action", choices=["export", "import"])
    ind.add_argument("file")
    ind.add_argument(
        "--dry-run", action="store_true", help="import: show what would change, write nothing"
    )
    ind.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    ind.set_defaults(func=cmd_indicators)

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

    backup = sub.add_parser(
        "backup", help="back up the database to FILE, or into --dir under a dated name"
    )
    backup.add_argument("file", nargs="?")
    backup.add_argument("--dir", help="folder for dated backups (tracker-YYYY-MM-DDTHHMMSS.*)")
    backup.add_argument("--keep-daily", type=int, help="with --dir: keep the last N days")
    backup.add_argument("--keep-monthly", type=int, help="with --dir: keep the last N months")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore the database from FILE and verify it")
    restore.add_argument("file")
    restore.add_argument(
        "--database",
        help="restore into this database on the same server instead (a drill), or this SQLite file",
    )
    restore.add_argument(
        "--media",
        help="put the backup's site photos into this folder (default: MEDIA_DIR; a drill: another folder)",
    )
    restore.set_defaults(func=cmd_restore)
    sub.add_parser(
        "check", help="check the installation: settings, database, folders, backup tools"
    ).set_defaults(func=cmd_check)

    sub.add_parser("settings", help="print every setting, its default and meaning").set_defaults(
        func=cmd_settings
    )
    sub.add_parser("secret", help="print a new random SECRET_KEY for production").set_defaults(
        func=cmd_secret
    )
    bulletin = sub.add_parser(
        "bulletin",
        help="write a month's, quarter's, half-year's or year's bulletin (调度通报): .docx or "
        ".pdf (the 公文), .xlsx (tables)",
    )
    which = bulletin.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", type=_month, help="YYYY-MM")
    which.add_argument(
        "--period",
        type=_span_period,
        help="YYYY-Q1 (一季度), YYYY-H1 (上半年), YYYY-Q3 (前三季度) or YYYY-Y (全年), from the "
        "frozen months",
    )
    bulletin.add_argument(
        "--out",
        default=None,
        help="file; its extension picks the format: .docx, .pdf or .xlsx (default: "
        "调度通报-YYYY-MM[-修订版n].xlsx, or 调度通报-YYYY-H1.xlsx)",
    )
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
        _error(str(exc))
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        _error(f"数据库出错（{_database()}）：{reason}")
    except SQLAlchemyError as exc:
        _error(f"数据库出错（{_database()}）：{type(exc).__name__}: {exc}")
    except PermissionError as exc:
        _error(f"没有权限：{exc.filename or exc}（当前用户 {_user()}）")
    except OSError as exc:
        _error(f"{exc.strerror or exc}：{exc.filename or ''}")
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug: show where, never what the settings hold
        _error("意外错误（请把以下内容交给维护人员）：\n" + traceback.format_exc())
    return 1


def _user() -> str:
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


def _database() -> str:
    from tracker.services.backup import plain_url

    url = os.environ.get("DATABASE_URL")
    if not url:
        return "默认 SQLite 库"
    try:
        return plain_url(url)
    except Exception:
        return "DATABASE_URL"


def _secrets() -> list[str]:
    """Values no message may show: the database password, the key, mail and robot secrets."""
    found = [os.environ.get(name, "") for name in ("SECRET_KEY", "SMTP_PASSWORD", "WEBHOOK_URL")]
    url = os.environ.get("DATABASE_URL", "")
    try:
        password = make_url(url).password if url else None
    except Exception:
        password = None
        found.append(url)
    if password:
        from urllib.parse import quote

        found += [str(password), quote(str(password), safe="")]
    return sorted({s for s in found if len(s) >= 4}, key=len, reverse=True)


def redact(text: str) -> str:
    for secret in _secrets():
        text = text.replace(secret, "***")
    return text


def _error(message: str) -> None:
    print(redact(f"错误：{message}"), file=sys.stderr)
