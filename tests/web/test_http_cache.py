"""What is the same for many users is built once and revalidated: Dash's layout per role and
language, its dependencies, the assets and component bundles (compressed once)."""

from __future__ import annotations

import gzip
import re

from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.signin import sign_in, user_frame
from tracker.config import load_settings
from tracker.db import write_session
from tracker.models import User
from tracker.web.app import create_app
from tracker.web.shell import ShellIds


def _app(engine):
    return create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)


def _signed_in(app, engine, username: str, language: str = "zh"):
    with write_session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
    client = app.server.test_client()
    sign_in(client, engine, user)
    with client.session_transaction() as session:
        session["lang"] = language
    return client


def test_the_layout_is_one_body_per_role_and_language_revalidated_by_its_etag(demo_engine):
    app = _app(demo_engine)
    yunxian = _signed_in(app, demo_engine, "yunxian")  # two county leads
    gengma = _signed_in(app, demo_engine, "gengma")
    first = yunxian.get("/_dash-layout")
    assert first.status_code == 200 and first.headers["ETag"]
    assert "private" in first.headers["Cache-Control"]
    again = gengma.get("/_dash-layout", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert gengma.get("/_dash-layout").data == first.data
    text = first.get_data(as_text=True)
    assert "云县" not in text and "耿马" not in text, "nobody's own name or county is in it"
    assert "总览" in text

    english = _signed_in(app, demo_engine, "gengma", "en")
    in_english = english.get("/_dash-layout", headers={"If-None-Match": first.headers["ETag"]})
    assert in_english.status_code == 200 and "Overview" in in_english.get_data(as_text=True)

    admin = _signed_in(app, demo_engine, "admin")
    office = admin.get("/_dash-layout", headers={"If-None-Match": first.headers["ETag"]})
    assert office.status_code == 200 and office.headers["ETag"] != first.headers["ETag"]
    assert "/admin" in str(office.get_json()) and "/admin" not in str(first.get_json())


def test_each_user_still_sees_their_own_name_scope_bell_and_token(demo_engine):
    app = _app(demo_engine)
    yunxian = user_frame(_signed_in(app, demo_engine, "yunxian"))
    gengma = user_frame(_signed_in(app, demo_engine, "gengma"))
    assert "云县" in yunxian[ShellIds.USER_NAME]["children"]
    assert "耿马" in gengma[ShellIds.USER_SCOPE]["children"]
    assert yunxian[ShellIds.CSRF]["value"] != gengma[ShellIds.CSRF]["value"]
    assert "2026" in str(yunxian[ShellIds.PERIOD]["children"])


def test_nobody_signed_in_gets_no_layout_and_pages_go_to_the_login_form(demo_engine):
    client = _app(demo_engine).server.test_client()
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    page = client.get("/projects")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")


def test_the_dependencies_are_revalidated_by_their_etag(demo_engine):
    app = _app(demo_engine)
    client = _signed_in(app, demo_engine, "leader")
    first = client.get("/_dash-dependencies")
    assert first.status_code == 200 and first.get_json()
    again = client.get("/_dash-dependencies", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def _linked(engine, pattern: str):
    """The app, a signed-in client and the URL the page links with ``pattern``."""
    app = _app(engine)
    client = _signed_in(app, engine, "leader")
    return app, client, re.search(pattern, client.get("/").get_data(as_text=True)).group(1)


def test_a_fingerprinted_bundle_is_immutable_and_compressed_once(demo_engine):
    _, client, url = _linked(demo_engine, r'src="(/_dash-component-suites/dash_ag_grid/[^"]+)"')
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data) / 2
    control = packed.headers["Cache-Control"]
    assert "immutable" in control and "max-age=31536000" in control
    assert "Accept-Encoding" in packed.headers["Vary"]
    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""


def test_assets_are_immutable_under_their_version_and_revalidated_without_it(demo_engine):
    app, client, url = _linked(demo_engine, r'href="(/assets/app\.css\?m=[\d.]+)"')
    versioned = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "immutable" in versioned.headers["Cache-Control"]
    assert versioned.headers["Content-Encoding"] == "gzip"
    anonymous = app.server.test_client()  # the login page's link: public, no version
    bare = anonymous.get("/assets/app.css")
    assert bare.status_code == 200 and "Content-Encoding" not in bare.headers
    assert gzip.decompress(versioned.data) == bare.data
    assert "no-cache" in bare.headers["Cache-Control"]
    stale = client.get("/assets/app.css?m=1", headers={"Accept-Encoding": "gzip"})
    assert "immutable" not in stale.headers["Cache-Control"], "another version's URL"
    again = anonymous.get("/assets/app.css", headers={"If-None-Match": bare.headers["ETag"]})
    assert again.status_code == 304
    assert anonymous.get("/assets/../app.py").status_code == 404
    assert anonymous.get("/assets/missing.css").status_code == 404
