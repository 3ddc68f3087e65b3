"""Forge the JSON body the browser sends to /_dash-update-component, from app.callback_map."""

from __future__ import annotations

import json
from typing import Any


def _spec_id(raw: str) -> Any:
    return json.loads(raw) if raw.startswith("{") else raw


def callback(app, name: str) -> tuple[str, dict]:
    for key, spec in app.callback_map.items():
        func = spec.get("callback")
        if func is not None and func.__name__ == name:
            return key, spec
    raise AssertionError(f"no callback named {name}")


def outputs(key: str) -> list[dict]:
    """The outputs of a callback, from its callback_map key (one or ``..a.b...c.d..``)."""
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        out.append({"id": _spec_id(cid), "property": prop})
    return out


def forge(app, name: str, values: dict[str, Any], pattern: dict | None = None) -> dict:
    """The JSON body the browser would send to run callback ``name`` with ``values``."""
    key, spec = callback(app, name)

    def entry(item: dict) -> Any:
        raw = item["id"]
        if raw.startswith("{"):  # a pattern-matching input: the clicked button only
            assert pattern is not None, f"{name} needs a pattern id"
            return [{"id": pattern, "property": item["property"], "value": 1}]
        return {
            "id": raw,
            "property": item["property"],
            "value": values.get(f"{raw}.{item['property']}"),
        }

    inputs = [entry(i) for i in spec["inputs"]]
    state = [entry(i) for i in spec.get("state", [])]
    first = spec["inputs"][0]
    if first["id"].startswith("{"):  # the trigger is a pattern-matching input (a state may be)
        assert pattern is not None, f"{name} needs a pattern id"
        changed = (
            json.dumps(pattern, sort_keys=True, separators=(",", ":")) + "." + first["property"]
        )
    else:
        changed = f"{first['id']}.{first['property']}"
    return {
        "output": key,
        "outputs": outputs(key) if key.startswith("..") else outputs(key)[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [changed],
    }


def router(path: str, search: str = "") -> dict:
    """The JSON body of Dash pages' own callback: the page's layout for ``path`` and ``search``."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def render(client, path: str, search: str = ""):
    """Open ``path`` as the browser does (the pages router's callback); the raw response."""
    return client.post("/_dash-update-component", json=router(path, search))
