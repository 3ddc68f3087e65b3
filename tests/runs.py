"""Run the product's commands in processes of their own: the CLI, and ``benchmarks/`` as CI does."""

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


def run_cli(
    env: dict[str, str],
    *args: str,
    stdin: str | None = None,
    cwd: Path = ROOT,
    timeout: float = 120,
    path: str = "/usr/bin:/bin",
) -> subprocess.CompletedProcess:
    """``python -m tracker ARGS…`` with ``env`` and nothing else of this environment but
    ``path`` (and the repository on PYTHONPATH); ``stdin``: what is typed, else none."""
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        cwd=cwd,
        env={"PATH": path, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )
