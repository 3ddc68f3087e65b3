"""How much the project-list importer costs over a bare read of the same workbook.

    python -m benchmarks.import_list [--projects 5000] [--runs 5] [--formats xlsx,ods,xls]
                                     [--no-import] [--breakdown]

Generates a list of ``--projects`` projects with four milestones each (the layout of the
offices' lists: title, unit row, header, real date cells) as .xlsx, and saves it as .ods
and .xls with headless LibreOffice. For each format it times a bare python-calamine read
of every sheet into Python lists against ``parse_project_list`` (the upload guard, header
and column recognition, validation, rows), alternating the two. The target is a ratio
of at most 3. Then the full import (parse, validate, write every project, milestone and
annual plan in one transaction) into a fresh SQLite database, cold and as a re-import of
the same list (target: at most 10 s). ``--breakdown`` also splits the parse into the upload
guard, the reader and the rest (header and column recognition, validating every row,
building the rows), each timed on its own, median of ``--runs``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from tests.excel.factories import soffice_save_as
from tracker.excel.parse_list import parse_project_list

AREAS = ("绿色低碳发展", "推动旅游产业", "生态环境保护", "创新驱动发展")
COUNTIES = ("临翔区", "凤庆县", "云县", "永德县", "镇康县", "双江县", "耿马县", "沧源县", "市直")
UNITS = ("市发展改革委", "市科技局", "市工业和信息化局", "市生态环境局", "市文化和旅游局")
PEOPLE = ("李明", "王芳", "张伟", "杨洁", "岩帅", "刀国华", "赵磊")
MILESTONES = ("完成前期手续", "开工建设", "主体工程完工", "竣工验收")


def generate_list(
    n_projects: int, path: str | Path, milestones: tuple[str, ...] = MILESTONES
) -> Path:
    """Write a project list of ``n_projects`` projects × ``milestones`` (four unless given)
    to ``path`` (.xlsx)."""
    path = Path(path)
    rng = random.Random(20220105)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("项目清单")
    sheet.append(["临沧市国家可持续发展议程创新示范区重大项目清单"])
    sheet.append(["单位：万元"])
    header = ["序号", "项目编号", "项目名称", "所属领域", "工作举措", "建设地点", "建设性质"]
    header += ["牵头单位", "责任单位", "责任人", "联系电话", "建设内容及规模", "总投资（万元）"]
    header += ["2022年计划投资（万元）", "2023年计划投资（万元）", "计划开工时间", "计划完工时间"]
    for number in range(1, len(milestones) + 1):
        header += [f"节点{number}", f"节点{number}计划时间"]
    sheet.append(header)
    for index in range(n_projects):
        area = index % len(AREAS)
        start = date(2021, 1, 1) + timedelta(days=rng.randrange(730))
        finish = start + timedelta(days=rng.randrange(240, 1400))
        total = round(rng.uniform(100, 200_000), 2)
        row: list[object] = [
            index + 1,
            f"LC{2022}{index + 1:05d}",
            f"{COUNTIES[index % 8][:2]}重点建设项目{index + 1}号",
            AREAS[area],
            f"{AREAS[area]}举措{index % 5 + 1}",
            COUNTIES[index % len(COUNTIES)],
            "新建" if rng.random() < 0.6 else "续建",
            UNITS[index % len(UNITS)],
            "、".join(rng.sample(UNITS, 2)),
            PEOPLE[index % len(PEOPLE)],
            f"0883-21{rng.randrange(10000, 99999)}",
            "新建厂房及配套设施，购置生产设备",
            total,
            round(total * rng.uniform(0.1, 0.5), 2),
            round(total * rng.uniform(0.1, 0.5), 2),
            start,
            finish,
        ]
        span = (finish - start).days
        for number, name in enumerate(milestones, start=1):
            row += [name, start + timedelta(days=span * number // len(milestones))]
        sheet.append(row)
    workbook.save(path)
    return path


def bare_read(data: bytes) -> int:
    workbook = CalamineWorkbook.from_filelike(BytesIO(data))
    rows = [workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names]
    return sum(len(sheet) for sheet in rows)


def saved_as(path: Path, target: str) -> Path:
    """``path`` (.xlsx) saved as ``target`` (ods, xls) by headless LibreOffice."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise SystemExit("LibreOffice is needed to make the .ods and .xls lists")
    profile = path.parent / "lo-profile"
    return soffice_save_as(program, path, target, profile=profile, timeout=600)


def full_parse(data: bytes, filename: str = "benchmark.xlsx") -> int:
    parsed = parse_project_list(data, filename)
    assert not parsed.errors, parsed.errors[:3]
    return len(parsed.projects)


def interleaved(
    data: bytes, runs: int, filename: str = "benchmark.xlsx"
) -> tuple[float, float, float]:
    """Median bare time, median parse time and median per-round ratio.

    The two are timed alternately, so that another process busy on the machine slows
    both alike instead of whichever happened to run at the time.
    """
    bare_read(data)
    full_parse(data, filename)
    bare_times, parse_times, ratios = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        bare_read(data)
        bare = time.perf_counter() - started
        started = time.perf_counter()
        full_parse(data, filename)
        parsed = time.perf_counter() - started
        bare_times.append(bare)
        parse_times.append(parsed)
        ratios.append(parsed / bare)
    return statistics.median(bare_times), statistics.median(parse_times), statistics.median(ratios)


def breakdown(data: bytes, runs: int, filename: str) -> dict[str, float]:
    """Median ms of the upload guard, the bare read and the whole parse, alternated."""
    from tracker.excel.safety import guard_upload

    steps = {
        "guard": lambda: guard_upload(data, filename),
        "reader": lambda: bare_read(data),
        "parse": lambda: full_parse(data, filename),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(found) * 1000 for name, found in times.items()}


def full_import(data: bytes, work: Path, *, again: bool) -> tuple[float, str]:
    """Seconds for ``python -m tracker import``'s work on a fresh (or already filled) database."""
    from tracker.db import make_engine, migrate, write_session
    from tracker.services.auth import SYSTEM
    from tracker.services.plan_import import import_project_list

    path = work / "import.db"
    if not again:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    started = time.perf_counter()
    with write_session(engine) as session:
        result = import_project_list(
            session,
            actor=SYSTEM,
            data=data,
            filename="list.xlsx",
            dry_run=False,
            max_bytes=50 << 20,
        )
    elapsed = time.perf_counter() - started
    engine.dispose()
    assert result.ok, result.errors[:3]
    return elapsed, result.summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--formats", default="xlsx,ods,xls", help="comma-separated")
    parser.add_argument("--no-import", action="store_true", help="time the parse only")
    parser.add_argument("--breakdown", action="store_true", help="guard / reader / rows")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    results = []
    parts: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as work:
        path = generate_list(args.projects, Path(work) / "list.xlsx")
        data = path.read_bytes()
        projects = full_parse(data)
        for kind in formats:
            source = path if kind == "xlsx" else saved_as(path, kind)
            content = source.read_bytes()
            assert full_parse(content, source.name) == projects
            results.append((kind, len(content), *interleaved(content, args.runs, source.name)))
            if args.breakdown:
                parts.append((kind, breakdown(content, args.runs, source.name)))
        if not args.no_import:
            cold, cold_summary = full_import(data, Path(work), again=False)
            again, again_summary = full_import(data, Path(work), again=True)
    print(
        f"{args.projects} projects × {len(MILESTONES)} milestones, median of {args.runs} runs"
        " (bare read and parse alternated)"
    )
    print(
        f"{'format':7} {'size KB':>8} {'bare calamine ms':>17} {'parse_project_list ms':>22}"
        f" {'ratio (<= 3.0)':>15}"
    )
    for kind, size, bare, parsed, ratio in results:
        print(
            f"{'.' + kind:7} {size / 1024:8.0f} {bare * 1000:17.1f} {parsed * 1000:22.1f}"
            f" {ratio:15.2f}"
        )
    if parts:
        print("breakdown (ms, each timed on its own): guard + reader + rows = parse")
        for kind, found in parts:
            rows = found["parse"] - found["guard"] - found["reader"]
            print(
                f"  .{kind:5} guard {found['guard']:6.1f}  reader {found['reader']:6.1f}"
                f"  rows {rows:6.1f}  parse {found['parse']:6.1f}"
                f"   (as multiples of the bare read: {found['guard'] / found['reader']:.2f}"
                f" + 1 + {rows / found['reader']:.2f})"
            )
    if args.no_import:
        return
    print(
        f"{'full import of the .xlsx, empty SQLite':40} {cold * 1000:8.1f} ms"
        f" {projects / cold:8,.0f} rows/s   (target <= 10 s)"
    )
    print(f"{'re-import, same list':40} {again * 1000:8.1f} ms {projects / again:8,.0f} rows/s")
    print(f"  {cold_summary}")
    print(f"  {again_summary}")


if __name__ == "__main__":
    main()
