"""The office's name and region are settings: the header and the login page show them."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.signin import sign_in
from tracker.config import SettingsError, load_settings
from tracker.db import write_session
from tracker.models import User
from tracker.web.app import create_app
from tracker.web.shell import ShellIds

PUER = {
    "OFFICE_NAME": "普洱市国家绿色经济试验示范区建设办公室",
    "OFFICE_REGION": "普洱市",
}


def _find(node, component_id: str):
    """The component with ``component_id`` in a /_dash-layout JSON tree."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        for value in node.values():
            found = _find(value, component_id)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, component_id)
            if found is not None:
                return found
    return None


def _header(engine, env: dict[str, str], language: str = "zh") -> tuple[str, str]:
    app = create_app(load_settings(env=env), engine, today=lambda: DEMO_AS_OF)
    with write_session(engine) as s:
        user = s.exec(select(User).where(User.username == "admin")).one()
    client = app.server.test_client()
    sign_in(client, engine, user)
    with client.session_transaction() as session:
        session["lang"] = language
    layout = client.get("/_dash-layout").get_json()
    mark = _find(layout, ShellIds.MARK)
    office = _find(layout, ShellIds.OFFICE)
    assert mark is not None and office is not None
    return mark["props"]["children"], office["props"]["children"]


def _login_page(engine, env: dict[str, str], language: str = "zh") -> str:
    app = create_app(load_settings(env=env), engine, today=lambda: DEMO_AS_OF)
    client = app.server.test_client()
    client.get(f"/lang/{language}")
    return client.get("/login").get_data(as_text=True)


def test_another_office_sees_its_own_name_and_mark_in_the_header_and_on_the_login_page(
    demo_engine,
):
    assert _header(demo_engine, PUER) == ("普", PUER["OFFICE_NAME"])
    page = _login_page(demo_engine, PUER)
    assert PUER["OFFICE_NAME"] in page
    assert '<div class="login-mark">普</div>' in page
    assert "临沧" not in page


def test_the_english_interface_shows_the_english_name_when_one_is_set_else_the_name(demo_engine):
    named = {**PUER, "OFFICE_NAME_EN": "Pu'er Green Economy Zone Office"}
    assert _header(demo_engine, named, "en") == ("普", "Pu'er Green Economy Zone Office")
    assert _header(demo_engine, PUER, "en") == ("普", PUER["OFFICE_NAME"])
    assert "Pu&#39;er Green Economy Zone Office" in _login_page(demo_engine, named, "en")


def test_without_settings_the_demo_office_of_lincang_is_shown_in_both_languages(demo_engine):
    assert _header(demo_engine, {}) == ("临", "临沧市国家可持续发展议程创新示范区建设办公室")
    assert _header(demo_engine, {}, "en") == ("临", "Lincang Sustainable Development Zone Office")


@pytest.mark.parametrize("name", ["OFFICE_NAME", "OFFICE_REGION"])
def test_an_empty_office_name_or_region_is_refused_at_start(name):
    with pytest.raises(SettingsError, match=name):
        load_settings(env={name: "  "})
