import re
from pathlib import Path

from tracker.config import SPECS, settings_markdown

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table_with_its_default():
    block = re.search(r"<!-- settings:begin -->\n(.*?)<!-- settings:end -->", README, re.S)
    assert block, "README lacks the settings table markers"
    assert block.group(1).strip() == settings_markdown().strip(), (
        "README settings table is out of date: paste `python -m tracker settings`"
    )
    for spec in SPECS:
        assert f"`{spec.env}`" in block.group(1)


def test_ci_runs_the_readme_s_test_command():
    command = "bash scripts/test.sh"
    assert command in README
    assert command in (ROOT / ".ci" / "run").read_text()
