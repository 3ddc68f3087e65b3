"""The importer's budget: validation costs at most three bare reads of the same file."""

from __future__ import annotations

import gc
import statistics
import time
from pathlib import Path

import pytest

from benchmarks.import_list import bare_read, full_parse, generate_list


@pytest.mark.slow
def test_parsing_a_large_list_costs_at_most_three_bare_reads(tmp_path: Path) -> None:
    data = generate_list(2000, tmp_path / "list.xlsx").read_bytes()
    assert full_parse(data) == 2000
    bare_read(data)
    ratios = []
    # the rest of the suite leaves a large heap behind: keep the collector from rescanning it
    gc.collect()
    gc.freeze()
    try:
        for _ in range(7):  # alternate the two so that a busy machine slows both alike
            started = time.perf_counter()
            bare_read(data)
            bare = time.perf_counter() - started
            started = time.perf_counter()
            full_parse(data)
            ratios.append((time.perf_counter() - started) / bare)
    finally:
        gc.unfreeze()
    assert statistics.median(ratios) <= 3.0, [f"{r:.2f}" for r in ratios]
