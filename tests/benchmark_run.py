"""Run one of ``benchmarks/`` as CI does, in a process of its own, and read its summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_benchmark(module: str) -> str:
    """``python -m benchmarks.<module>`` from the repository root: its output, once it has
    exited 0 (the figures are printed into CI's log)."""
    run = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(run.stdout)  # the figures, in CI's log
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def summary(output: str) -> str:
    """The bad-input benchmarks' summary line ("kinds tried: …")."""
    return next(line for line in output.splitlines() if line.startswith("kinds tried"))
