"""The web layer's house rules: layering, labels from the catalogue, ids as constants."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tracker.i18n import CATALOGUE
from tracker.services import milestones

ROOT = Path(__file__).resolve().parents[2]
TRACKER = ROOT / "tracker"
WEB = TRACKER / "web"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_nothing_below_the_web_layer_imports_dash():
    offenders = [
        str(p.relative_to(ROOT))
        for p in TRACKER.rglob("*.py")
        if WEB not in p.parents
        and _imports(p) & {"dash", "dash_mantine_components", "dash_ag_grid", "flask"}
    ]
    assert offenders == []


def test_callbacks_hold_no_sql():
    for page in (WEB / "pages").rglob("*.py"):  # a page may be a package (pages/admin/)
        source = page.read_text(encoding="utf-8")
        assert not re.search(r"\b(select|update|delete|insert)\(", source), page.name
        assert "session.exec" not in source and "session.add" not in source, page.name


def _literal_keys() -> set[str]:
    keys: set[str] = set()
    for path in WEB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"(col|th|filter\.start)\.[a-z_]+", node.value)
            ):
                keys.add(node.value)
    return keys


def test_every_label_the_web_layer_uses_is_in_the_catalogue_in_both_languages():
    families = {f"role.{r}" for r in ("admin", "county", "unit", "viewer", "system", "anonymous")}
    families |= {f"milestone.{s}" for s in ("done", "due_soon", "overdue", "future")}
    families |= {f"report.{s}" for s in ("draft", "submitted", "returned")}
    families |= {
        f"field.{f}" for f in milestones.MILESTONE_FIELDS if f not in {"version", "pending_by"}
    }
    families |= {
        f"import.stage.{s}"
        for s in ("queued", "reading", "applying", "checked", "applied", "failed", "refused")
    }
    actions = re.findall(
        r'action="([a-z_]+)"', (TRACKER / "services" / "milestones.py").read_text()
    )
    families |= {f"action.{a}" for a in actions} | {"action.start"}
    missing = sorted((_literal_keys() | families) - set(CATALOGUE))
    assert missing == []
    untranslated = [
        k
        for k, (zh, en) in CATALOGUE.items()
        if not zh.strip() or (not en.strip() and k != "unit.count")
    ]
    assert untranslated == []


def test_pages_name_their_component_ids_in_an_ids_class():
    for page in (WEB / "pages").rglob("*.py"):  # a page may be a package (pages/admin/)
        if page == WEB / "pages" / "__init__.py":
            continue
        source = page.read_text(encoding="utf-8")
        assert "Ids" in source, page.name
        # ids are referenced through the class, not written as string literals in callbacks
        literal_ids = re.findall(r'(?:Input|Output|State)\(\s*"([^"]+)"', source)
        assert literal_ids == [], (page.name, literal_ids)
