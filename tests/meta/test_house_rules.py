"""The code's house rules (#13): one way to do each thing, checked on the source itself.

- the web layer holds no session, commit or rollback and imports neither tracker.models nor
  tracker.db, outside its composition root (tracker/web/app.py, context.py);
- nothing the app imports below the web layer imports the test hooks;
- no function is more complex than 15 (ruff's C901, as configured in pyproject.toml);
- below the web layer, a message for the user is a catalogue key, never a Chinese sentence;
- every text raised as a key is in the catalogue in both languages with the same parameters.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import texts
from tracker.i18n import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
TRACKER = ROOT / "tracker"
WEB = TRACKER / "web"
# app.py builds the app; context.py holds what it built (the engine, the settings) and hands
# use cases to tracker.services.unit: the only two web modules that may name the database.
COMPOSITION_ROOT = {WEB / "app.py", WEB / "context.py"}
BELOW_WEB = [TRACKER / name for name in ("services", "domain", "excel", "gantt", "media")]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _sources(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_web_layer_holds_no_session_outside_its_composition_root():
    pattern = re.compile(
        r"\b(Session\(|read_session|write_session|reading\(\)|writing\(\)|\.commit\(|\.rollback\()"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources(WEB)
        if path not in COMPOSITION_ROOT
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line.split("#")[0])
    ]
    assert offenders == []


def test_the_web_layer_imports_no_tables_and_no_database_outside_its_composition_root():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _sources(WEB)
        if path not in COMPOSITION_ROOT
        for name in sorted(_imported_modules(path))
        if re.fullmatch(r"tracker\.(models|db)(\..*)?", name) or name in {"sqlmodel", "sqlalchemy"}
    ]
    assert offenders == []


def test_nothing_below_the_web_layer_imports_the_test_hooks():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _sources(*BELOW_WEB, WEB)
        if any("testhooks" in name for name in _imported_modules(path))
    ]
    assert offenders == []
    assert not (TRACKER / "testhooks.py").exists(), "test hooks live with the tests"
    assert not (TRACKER / "gantt" / "sample.py").exists(), "sample data lives with the tests"


@pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None,
    reason="ruff is not installed (pip install -r requirements-dev.txt)",
)
def test_no_function_is_more_complex_than_fifteen():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--select",
            "C901",
            "--output-format",
            "concise",
            "tracker",
            "schedules",
            "app.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _raised_sentences(path: Path) -> list[str]:
    """Chinese sentences written straight into a raise (or a Message/RowError) below the web."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            calls = [node.exc]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"RowError", "msg"}:
            calls = [node]
        else:
            continue
        for call in calls:
            for arg in [*call.args, *(k.value for k in call.keywords if k.arg == "message")]:
                text = ast.unparse(arg)
                if isinstance(arg, (ast.Constant, ast.JoinedStr)) and CJK.search(text):
                    found.append(f"{path.relative_to(ROOT)}:{call.lineno}: {text[:60]}")
    return found


def test_below_the_web_layer_messages_for_the_user_are_catalogue_keys():
    offenders = [line for path in _sources(*BELOW_WEB) for line in _raised_sentences(path)]
    assert offenders == [], f"{len(offenders)} sentences:\n" + "\n".join(offenders)


def _fields(text: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name
    }


@pytest.mark.parametrize("module", texts.MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_raised_text_is_in_both_languages_with_the_same_parameters(module):
    for key, (zh, en) in module.TEXTS.items():
        assert CATALOGUE[key] == (zh, en)
        assert zh.strip() and en.strip(), key
        assert CJK.search(zh), f"{key}: the Chinese text is not Chinese"
        assert not CJK.search(en), f"{key}: the English text holds Chinese: {en}"
        assert _fields(zh) == _fields(en), f"{key}: parameters differ"


# The policy table's own modules: permissions.py draws it; users.py manages the role itself
# (a role is a field of an account); demo.py creates the demo accounts.
ROLE_MODULES = {TRACKER / "services" / name for name in ("permissions.py", "users.py", "demo.py")}


# Another branch of #13 moves this file's role check onto the policy table; remove it from
# here once that is merged.
def _role_comparisons(path: Path, root: Path = ROOT) -> list[str]:
    """``x.role == …`` / ``!=`` / ``in`` / ``not in`` (either side): a permission question
    asked beside the policy table. ``User.role`` in a query (which accounts to tell) is a
    filter on the column, not a question about the actor, and is allowed."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Compare):
            continue
        if not all(isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn) for op in node.ops):
            continue
        for side in (node.left, *node.comparators):
            if (
                isinstance(side, ast.Attribute)
                and side.attr == "role"
                and not (isinstance(side.value, ast.Name) and side.value.id == "User")
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_roles_are_asked_only_through_the_policy_table():
    offenders = [
        line
        for path in _sources(WEB, TRACKER / "services")
        if path not in ROLE_MODULES
        for line in _role_comparisons(path)
    ]
    assert offenders == [], "ask permissions.can/require/is_scoped instead:\n" + "\n".join(
        offenders
    )


def test_the_role_rule_sees_a_role_comparison(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(actor, who, User):\n"
        "    a = actor.role == 'admin'\n"
        "    b = 'county' != who.role\n"
        "    c = who.role in {'county', 'unit'}\n"
        "    d = select(User).where(User.role == 'admin')\n"
    )
    found = _role_comparisons(sample, tmp_path)
    assert [line.split(":")[1] for line in found] == ["2", "3", "4"], found
