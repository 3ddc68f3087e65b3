"""The Dash app factory: ``create_app(settings, engine) -> dash.Dash``.

Security settings live here: session cookie flags, the upload cap, the login guard, and
compression. Pages are imported after the app exists (``dash.register_page`` needs it)
and wire their callbacks onto this app, so tests can build many apps in one process.
"""

from __future__ import annotations

import importlib
import logging
import secrets
from collections.abc import Callable
from datetime import date, timedelta

import dash
from dash import ClientsideFunction, Input, Output
from flask import Flask, Response
from flask_compress import Compress
from sqlalchemy import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker import palette
from tracker.config import ROOT, Settings, request_limit_bytes
from tracker.i18n import t
from tracker.services import freshness
from tracker.services.auth import configure_hashing
from tracker.services.import_jobs import Runner, in_thread
from tracker.startup import shanghai_today
from tracker.web import fastjson, http_cache, notices
from tracker.web.auth import install_auth, request_version
from tracker.web.calendar_routes import install_calendar
from tracker.web.context import EXTENSION, WebContext, read
from tracker.web.manifest import install_manifest, link_manifest
from tracker.web.media import install_media

PAGES = (
    "overview",
    "battle_map",
    "project_map",
    "projects",
    "project",
    "project_steps",
    "approvals",
    "reports",
    "ledger",
    "bulletin",
    "indicators",  # #16
    "indicator",
    "indicator_entry",
    "sdg",
    "admin",
)
ASSETS = ROOT / "assets"


def _secret_key(settings: Settings) -> str:
    if settings.SECRET_KEY:
        return settings.SECRET_KEY
    if settings.is_production:  # load_settings already refuses this; never fall through
        raise RuntimeError("SECRET_KEY is required in production")
    return secrets.token_hex(32)  # development: a new key per start (sessions end on restart)


def _server(settings: Settings) -> Flask:
    server = Flask("tracker", static_folder=None)
    server.config.update(
        SECRET_KEY=_secret_key(settings),
        SESSION_COOKIE_NAME="tracker_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookies_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.cookies_secure,
        # the cookie outlives no session: the server-side record decides (services.sessions)
        PERMANENT_SESSION_LIFETIME=timedelta(hours=int(settings.SESSION_MAX_HOURS)),
        MAX_CONTENT_LENGTH=request_limit_bytes(settings.MAX_UPLOAD_MB),
        DEBUG=bool(settings.TRACKER_DEBUG),
        COMPRESS_MIMETYPES=[
            "text/html",
            "text/css",
            "text/plain",
            "application/json",
            "application/javascript",
            "text/javascript",
            "image/svg+xml",
        ],
        # per request, for what changes (callbacks, pages); files and Dash's layout and
        # dependencies come compressed once from tracker.web.http_cache
        COMPRESS_LEVEL=6,
        COMPRESS_BR_LEVEL=4,  # 40 % less CPU than 6 for ~10 % more bytes (benchmarks/compression.py)
        COMPRESS_MIN_SIZE=500,
        COMPRESS_ALGORITHM=list(http_cache.CODINGS),
    )
    proxies = int(settings.TRACKER_TRUSTED_PROXIES)
    if proxies > 0:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    return server


def _page_cache(app: dash.Dash) -> None:
    """The project page's responses, kept while no write touches the project, a county's
    (or unit's) report page while none touches its projects, and the overview's and the
    battle map's until the next write (#15)."""
    from tracker.web.pages import battle_map, overview, project, reports

    def choose(pathname: str, search: str) -> http_cache.Cacheable | None:
        return (
            project.cacheable(pathname, search)
            or reports.cacheable(pathname, search)
            or overview.cacheable(pathname, search)
            or battle_map.cacheable(pathname, search)
        )

    def unchanged(since, until, projects, tables) -> bool:
        return read(
            freshness.unchanged_for, since=since, until=until, projects=projects, tables=tables
        )

    http_cache.install_page_cache(
        app,
        choose=choose,
        # read with the session (tracker.web.auth) when the request had one
        version=lambda: request_version(lambda: read(freshness.version_now)),
        unchanged=unchanged,
    )


def create_app(
    settings: Settings,
    engine: Engine,
    *,
    today: Callable[[], date] | None = None,
    run_job: Runner | None = None,
) -> dash.Dash:
    """The Dash app on its own Flask server, against ``engine``."""
    for level, message in settings.startup_notes():
        logging.getLogger("tracker.web").log(logging.getLevelName(level), message)
    server = _server(settings)
    configure_hashing(
        int(settings.LOGIN_HASH_SLOTS),
        int(settings.LOGIN_HASH_NICE),
        bool(settings.LOGIN_HASH_IDLE),
    )
    server.extensions[EXTENSION] = WebContext(
        engine=engine,
        settings=settings,
        today=today or shanghai_today,
        run_job=run_job or in_thread,
    )
    install_auth(server)
    install_calendar(server)
    install_manifest(server)  # #18: the installable app
    _palette_route(server)
    install_media(server)
    Compress(server)
    fastjson.install()  # Dash's answers in one orjson pass (#15: a quarter of a page's CPU)
    app = dash.Dash(
        __name__,
        server=server,
        title=t("app.title", settings.TRACKER_LANGUAGE),
        update_title=None,
        serve_locally=True,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        assets_path_ignore=[
            "vendor"
        ],  # loaded on demand (see assets/tracker.js), not on every page
        assets_ignore=r"^login\.js$",  # the login page's own (tracker/web/auth.py)
        include_pages_meta=False,
        suppress_callback_exceptions=True,
        compress=False,  # Flask-Compress is set up above; files: http_cache
    )
    from tracker.web import shell

    for name in PAGES:
        importlib.import_module(f"tracker.web.pages.{name}").register_callbacks(app)
    shell.register_callbacks(app)
    notices.register_callbacks(app)
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="langLinks"),
        Output(shell.ShellIds.LANG_ZH, "href"),
        Output(shell.ShellIds.LANG_EN, "href"),
        Input(shell.ShellIds.PAGES_LOCATION, "href"),
    )
    app.layout = shell.layout
    app.index_string = link_manifest(app.index_string)
    http_cache.install_dash_responses(app, shell.frame_key)
    http_cache.install_static(app, ASSETS)
    _page_cache(app)
    _content_security_policy(app)
    if settings.TRACKER_DEBUG:
        # Dash's dev tools add a Flask error handler, which Flask refuses once a request has
        # been handled (the set-up below handles one): so they are switched on before it,
        # and app.py serves a debug run with Flask's own server (not Dash's run, which
        # would switch them on a second time)
        app.enable_dev_tools(debug=True, dev_tools_hot_reload=False)
    _first_request_setup(app)
    return app


def _palette_route(server: Flask) -> None:
    """/assets/palette.css: the light colours as CSS variables, written from the one palette
    module (app.css imports it, so the login page has them too). A plain route beats the
    assets folder's pattern, and the /assets/ prefix is public like the other styles."""

    @server.get("/assets/palette.css")
    def palette_css() -> Response:
        response = Response(palette.css(), mimetype="text/css")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response


def _first_request_setup(app: dash.Dash) -> None:
    """Run Dash's first-request set-up now, once, before any real request arrives.

    Dash does it in ``before_request`` hooks that set their done-flag before doing the work,
    so in a threaded server (gunicorn --threads, the browser tests' server) two first
    requests at once race: one walks the callback map while the other adds the pages
    router to it (a 500, "dictionary changed size during iteration"), or is served before
    the set-up has finished. That happened after every worker start under load. A request
    to the public favicon runs every hook here, in one thread, without the database."""
    response = app.server.test_client().get("/_favicon.ico")
    if response.status_code != 200:
        raise RuntimeError(f"the app's first-request set-up failed ({response.status_code})")


def _content_security_policy(app: dash.Dash) -> None:
    """Scripts only from this server (plus Dash's own inline scripts, by hash): an injected
    ``<script>`` or ``on…=`` handler would not run even if text ever reached the DOM as HTML.
    'unsafe-eval' stays because plotly.js and AG Grid's expression strings compile code.
    The hashes are taken per page, since Dash adds inline scripts on its first request."""
    rest = "; ".join(
        [
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )

    @app.server.after_request
    def add_policy(response):
        if response.mimetype == "text/html":
            hashes = " ".join(app.csp_hashes())
            response.headers.setdefault(
                "Content-Security-Policy",
                f"default-src 'self'; script-src 'self' 'unsafe-eval' {hashes}; {rest}",
            )
        return response
