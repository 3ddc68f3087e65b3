"""The monthly form upload against the 2 GB shared-string form and the whole hostile
catalogue, measured in a process of its own (``benchmarks/bad_form.py``)."""

import re

from tests.hostile_catalogue import CASES
from tests.runs import run_benchmark, summary


def test_the_form_upload_refuses_every_hostile_file_within_100_mib_of_memory():
    output = run_benchmark("bad_form")
    tally = summary(output)
    tried = len(CASES) + 2  # the catalogue and the 2 GB shared-string form, twice
    assert f"kinds tried: {tried}; refused cleanly: {tried}; rows written: 0;" in tally
    peak = float(re.search(r"largest rise of peak RSS: ([\d.]+) MiB", tally)[1])
    assert peak < 100
    huge = [line for line in output.splitlines() if line.startswith("2 GB shared string")]
    assert len(huge) == 2 and all(" refused " in line for line in huge)
    assert "a real form with 3 filled rows: accepted (saved 3" in output
