import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bad_input_suite_refuses_every_kind_and_writes_no_row():
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.bad_input"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(run.stdout)  # the figures, in CI's log
    assert run.returncode == 0, run.stdout + run.stderr
    summary = next(line for line in run.stdout.splitlines() if line.startswith("kinds tried"))
    tried = int(summary.split(":")[1].split(";")[0])
    assert f"refused cleanly: {tried};" in summary and "rows written: 0;" in summary
