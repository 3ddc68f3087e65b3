"""The indicators as files at scale (#16): the demo office (171 indicators) and the demo with
a fourth system making 5,000, in a temporary SQLite database. Times the .xlsx export, the
.docx export (document + render), the import of the exported file as a dry run (nothing
changes) and as a real import of the same file (every row unchanged), and prints a table.

    python -m benchmarks.indicator_files [--total 5000] [--runs 1]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from tracker.db import make_engine, migrate, read_session, write_session
from tracker.services.auth import SYSTEM

AS_OF = date(2026, 11, 28)


def _timed(run: Callable[[], Any], runs: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best * 1000, result


def _grow(engine: Any, total: int) -> None:
    """A fourth system with as many annual indicators as make ``total``, five years each."""
    from tracker.excel.indicators import (
        IndicatorBook,
        IndicatorRow,
        SystemRows,
        ValueRow,
        indicator_workbook,
    )
    from tracker.services.indicator_files import import_indicators

    with read_session(engine) as s:
        from tracker.services.indicators import catalogue_specs

        have = len(catalogue_specs(s, actor=SYSTEM))
    rows = tuple(
        IndicatorRow(
            system="县域监测",
            code=f"XY-{n:05d}",
            name=f"县域监测指标{n}",
            unit="%",
            baseline_year=2020,
            baseline_value=10.0 + n % 7,
            targets=((2025, 20.0), (2030, 30.0)),
            lead_unit="市科技局",
            goals=((n % 17 + 1, ""),),
        )
        for n in range(total - have)
    )
    values = tuple(
        ValueRow("县域监测", r.code, date(year, 1, 1), 10.0 + (year - 2020) * 2.1)
        for r in rows
        for year in range(2021, 2026)
    )
    data = indicator_workbook(IndicatorBook((SystemRows("县域监测", rows),), values))
    with write_session(engine) as s:
        result = import_indicators(
            s,
            actor=SYSTEM,
            data=data,
            filename="grow.xlsx",
            dry_run=False,
            today=AS_OF,
            max_bytes=200 << 20,
        )
    assert not result.errors, [str(e) for e in result.errors[:3]]


def measure(engine: Any, runs: int) -> dict[str, float]:
    from tracker.document import render
    from tracker.services.indicator_files import (
        export_document,
        export_workbook,
        import_indicators,
    )

    def xlsx() -> bytes:
        with read_session(engine) as s:
            return export_workbook(s, actor=SYSTEM, as_of=AS_OF)

    def docx() -> bytes:
        with read_session(engine) as s:
            return render(export_document(s, actor=SYSTEM, as_of=AS_OF), "docx")

    figures: dict[str, float] = {}
    figures["export .xlsx"], data = _timed(xlsx, runs)
    figures["export .docx"], _ = _timed(docx, runs)
    for dry in (True, False):

        def imported(dry: bool = dry) -> Any:
            with write_session(engine) as s:
                return import_indicators(
                    s,
                    actor=SYSTEM,
                    data=data,
                    filename="x.xlsx",
                    dry_run=dry,
                    today=AS_OF,
                    max_bytes=200 << 20,
                )

        label = "import dry run" if dry else "import (all unchanged)"
        figures[label], result = _timed(imported, runs)
        assert not result.errors and not result.changes and not result.created
    figures["file KB"] = len(data) / 1024
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    from tracker.services.demo import build_demo

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'indicators.db'}")
        migrate(engine)
        with write_session(engine) as s:
            build_demo(s, as_of=AS_OF, password="pw")
        columns = {"171 (demo)": measure(engine, args.runs)}
        _grow(engine, args.total)
        columns[f"{args.total:,}"] = measure(engine, args.runs)
        engine.dispose()
    names = list(next(iter(columns.values())))
    print(f"{'indicators':<24}" + "".join(f"{c:>14}" for c in columns))
    for name in names:
        unit = "" if name.endswith("KB") else " ms"
        print(f"{name + unit:<24}" + "".join(f"{columns[c][name]:>14,.0f}" for c in columns))


if __name__ == "__main__":
    main()
