"""The ledger page opens on the county of someone who may edit only their own county's
items, asking the permission table (not a role name); everyone else sees all counties."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import callback, forge
from tests.web.signin import sign_in
from tracker.config import load_settings
from tracker.db import read_session
from tracker.models import User
from tracker.services import permissions
from tracker.web.app import create_app


def _find(node, component_id: str):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for value in node:
            found = _find(value, component_id)
            if found is not None:
                return found
    return None


def _county_filter(engine, user: User):
    app = create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)
    client = app.server.test_client()
    sign_in(client, engine, user)
    client.get("/login")  # the first request registers the pages' router callback
    key, spec = callback(app, "update")
    values = {f"{i['id']}.{i['property']}": None for i in spec["inputs"]}
    values["_pages_location.pathname"] = "/ledger"
    response = client.post("/_dash-update-component", json=forge(app, "update", values))
    assert response.status_code == 200, response.text[:300]
    return _find(json.loads(response.get_data(as_text=True)), "lg-county")["props"]["value"]


@pytest.mark.parametrize(("role", "scoped"), [("county", True), ("unit", False), ("admin", False)])
def test_the_ledger_opens_on_the_county_the_permission_table_scopes_to(
    demo_engine, monkeypatch, role, scoped
):
    with read_session(demo_engine) as s:
        user = s.exec(select(User).where(User.role == role).order_by(User.id)).first()
    shown = _county_filter(demo_engine, user)
    assert shown == (user.county if scoped else "")
    # the page follows the table: a county lead given the whole ledger sees every county
    if role == "county":
        table = {**permissions.PERMISSIONS, "problem.edit": {"county": permissions.ALL}}
        monkeypatch.setattr(permissions, "PERMISSIONS", table)
        assert _county_filter(demo_engine, user) == ""
