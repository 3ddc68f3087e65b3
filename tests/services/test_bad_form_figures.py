"""The monthly form upload against the 2 GB shared-string form and the whole hostile
catalogue, measured in a process of its own (``benchmarks/bad_form.py``)."""

import re
import subprocess
import sys
from pathlib import Path

from tests.hostile_catalogue import CASES

ROOT = Path(__file__).resolve().parents[2]


def test_the_form_upload_refuses_every_hostile_file_within_100_mib_of_memory():
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.bad_form"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(run.stdout)  # the figures, in CI's log
    assert run.returncode == 0, run.stdout + run.stderr
    summary = next(line for line in run.stdout.splitlines() if line.startswith("kinds tried"))
    tried = len(CASES) + 2  # the catalogue and the 2 GB shared-string form, twice
    assert f"kinds tried: {tried}; refused cleanly: {tried}; rows written: 0;" in summary
    peak = float(re.search(r"largest rise of peak RSS: ([\d.]+) MiB", summary)[1])
    assert peak < 100
    huge = [line for line in run.stdout.splitlines() if line.startswith("2 GB shared string")]
    assert len(huge) == 2 and all(" refused " in line for line in huge)
    assert "a real form with 3 filled rows: accepted (saved 3" in run.stdout
