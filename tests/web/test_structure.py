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


CALLBACK_IDS = {"Input", "Output", "State"}


def _literal_id(node: ast.expr) -> bool:
    """A string, an f-string, or a pattern-matching id whose "type" is either."""
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        or isinstance(node, ast.JoinedStr)
    ):
        return True
    return isinstance(node, ast.Dict) and any(
        isinstance(key, ast.Constant) and key.value == "type" and _literal_id(value)
        for key, value in zip(node.keys, node.values, strict=True)
    )


def _literal_ids(source: str, name: str) -> list[str]:
    """Component ids written as literals: an ``id=`` keyword, or the component of a
    callback's Input/Output/State (its first argument or ``component_id=``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        ids = [k.value for k in node.keywords if k.arg == "id"]
        if called in CALLBACK_IDS:
            ids += node.args[:1] + [k.value for k in node.keywords if k.arg == "component_id"]
        found += [f"{name}:{node.lineno}: {ast.unparse(i)}" for i in ids if _literal_id(i)]
    return found


def test_component_ids_come_from_an_ids_class_never_a_literal():
    offenders = [
        line
        for path in sorted(WEB.rglob("*.py"))
        for line in _literal_ids(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert offenders == [], "name these ids in the page's Ids class:\n" + "\n".join(offenders)


def test_the_id_rule_sees_every_kind_of_literal_id():
    source = """
html.Div(id="a")
html.Div(id=f"kpi-{x}")
dmc.Button(id={"type": "retry", "index": 1})
Input("b", "value")
Output(component_id="c", component_property="data")
State({"type": f"row-{k}", "index": ALL}, "value")
html.Div(id=Ids.GOOD)
Input(Ids.GOOD, "value")
dmc.Button(id={"type": Ids.RETRY, "index": 1})
"""
    found = _literal_ids(source, "sample")
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "5", "6", "7"], found


def test_the_login_page_names_its_ids_through_its_ids_class():
    from tracker.web.auth import LOGIN_PAGE

    assert re.findall(r'\b(?:id|for)="([^"{]+)"', LOGIN_PAGE) == []
