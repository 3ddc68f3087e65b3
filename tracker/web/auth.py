"""Login on the Dash server: Flask-Login sessions, the login form, the access guard.

Every Dash endpoint (layout, dependencies, callbacks, component bundles) needs a session;
anonymous calls get 401, anonymous page loads go to the login form. The form is plain
server-rendered HTML (Jinja autoescaping), so logging in needs no Dash endpoint at all.
Failed attempts are counted in the database (``services.login``), so the lockout holds
across gunicorn workers. A login starts a server-side session (``services.sessions``): the
cookie carries only its random token, so logout, a password reset, disabling the account or
the office's "sign out everywhere" end it for good, and so do the idle timeout and the
absolute lifetime.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from urllib.parse import quote, urlsplit

import flask
from flask import Flask, jsonify, redirect, render_template_string, request
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from tracker.data_version import Version
from tracker.domain.messages import render
from tracker.i18n import LANGUAGES, t
from tracker.services import health, sessions
from tracker.services.auth import Actor
from tracker.services.login import LoginPolicy, sign_in
from tracker.web.context import (
    EXTENSION,
    REQUEST_VERSION,
    ctx,
    hold_request_version,
    holds_request_version,
    lang,
)
from tracker.web.http_cache import page_route

log = logging.getLogger(__name__)

PUBLIC_PATHS = ("/login", "/_favicon.ico", "/favicon.ico", "/healthz")
PUBLIC_PREFIXES = ("/assets/", "/lang/", "/calendar/feed/")  # the feed: its token is the key
CSRF_KEY = "csrf"


class LoginUser(UserMixin):
    """The session's user; its id is the session's random token (what the cookie carries)."""

    def __init__(self, actor: Actor, token: str) -> None:
        self.actor = actor
        self.session_id = token

    def get_id(self) -> str:
        return self.session_id


def csrf_token() -> str:
    token = flask.session.get(CSRF_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        flask.session[CSRF_KEY] = token
    return token


def _csrf_ok() -> bool:
    sent = request.form.get("csrf_token", "")
    expected = flask.session.get(CSRF_KEY, "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else becomes '/'."""
    if not isinstance(target, str) or len(target) > 2000:
        return "/"
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(not c.isprintable() for c in target):  # CR/LF would split the Location header
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _load_user(token: str) -> LoginUser | None:
    """The user of the cookie's session while it is active; its last use is noted (at most
    once a minute, so the idle timeout counts from the latest request). A kept page's
    request reads the data version with it (``request_version``)."""
    context = flask.current_app.extensions[EXTENSION]
    policy = sessions.SessionPolicy.from_settings(context.settings)
    # a kept page needs the version; any other request gets it when it comes in the same
    # statement as the session (no round trip more), for the caches its reads may use
    page = page_route(request.get_json(silent=True)) is not None
    who, version = sessions.resume_reading(
        context.engine, token=token, policy=policy, version="always" if page else "beside"
    )
    if page or version is not None:
        hold_request_version(version)
    return None if who is None else LoginUser(who, token)


def request_version(read: Callable[[], Version | None]) -> Version | None:
    """The data version this request read with its session, else ``read()``'s: either is
    read before anything the request builds."""
    if holds_request_version():
        return flask.g.get(REQUEST_VERSION)
    return read()


def _guard():
    """Refuse every request without a session, except the login form and static assets."""
    if current_user.is_authenticated:
        return None
    path = request.path
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return None
    if path.startswith("/_") or request.method != "GET":
        return jsonify({"error": t("auth.login_required", lang())}), 401
    return redirect(f"/login?next={quote(request.full_path.rstrip('?'))}")


class AuthIds:
    """The login page's element ids (a Flask page: the template names them through ``ids``)."""

    USERNAME = "username"
    PASSWORD = "password"
    SUBMIT = "login-submit"


LOGIN_PAGE = """<!doctype html>
<html lang="{{ 'en' if lang == 'en' else 'zh-CN' }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t('auth.title', lang) }} · {{ t('app.title', lang) }}</title>
<link rel="icon" href="/_favicon.ico">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body class="login-body">
<main class="login-card">
  <div class="login-brand">
    <div class="login-mark">{{ office_mark }}</div>
    <div>
      <div class="login-org">{{ office }}</div>
      <h1>{{ t('app.title', lang) }}</h1>
    </div>
  </div>
  <form method="post" action="/login" autocomplete="on">
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    <input type="hidden" name="next" value="{{ next }}">
    <label for="{{ ids.USERNAME }}">{{ t('auth.username', lang) }}</label>
    <input id="{{ ids.USERNAME }}" name="username" value="{{ username }}" autocomplete="username" required autofocus>
    <label for="{{ ids.PASSWORD }}">{{ t('auth.password', lang) }}</label>
    <input id="{{ ids.PASSWORD }}" name="password" type="password" autocomplete="current-password" required>
    {% if message %}<p class="login-error" role="alert">{{ message }}</p>{% endif %}
    <button type="submit" id="{{ ids.SUBMIT }}" data-busy="{{ t('auth.busy', lang) }}">{{ t('auth.submit', lang) }}</button>
  </form>
  <p class="login-foot">
    <a href="/lang/zh?next={{ here|urlencode }}">中文</a> ·
    <a href="/lang/en?next={{ here|urlencode }}">English</a>
  </p>
</main>
<script src="/assets/login.js" defer></script>
</body>
</html>"""


def _login_page(message: str = "", username: str = "", status: int = 200):
    target = safe_next(request.values.get("next"))
    here = "/login" + (f"?next={quote(target)}" if target != "/" else "")
    context = ctx()
    html = render_template_string(
        LOGIN_PAGE,
        ids=AuthIds,
        t=t,
        lang=lang(),
        office=context.office_name(lang()),
        office_mark=context.office_mark,
        csrf=csrf_token(),
        next=target,
        here=here,
        message=message,
        username=username,
    )
    return html, status


def _user_agent() -> str:
    """The browser's User-Agent; WSGI hands headers over as Latin-1, so UTF-8 text in one
    (a kiosk's name) is decoded back."""
    raw = request.headers.get("User-Agent", "")
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


_warned_proxy: set[int] = set()


def _client_ip() -> str:
    """The client's address (ProxyFix has put the proxy's X-Forwarded-For there when
    TRACKER_TRUSTED_PROXIES is set). A forwarded request without that setting is logged
    once: behind a proxy every user would share the proxy's address and its lockout."""
    if "X-Forwarded-For" in request.headers:
        settings = flask.current_app.extensions[EXTENSION].settings
        if not int(settings.TRACKER_TRUSTED_PROXIES) and id(settings) not in _warned_proxy:
            _warned_proxy.add(id(settings))
            log.warning(
                "requests arrive through a proxy (X-Forwarded-For) but TRACKER_TRUSTED_PROXIES "
                "is 0: every user shares the proxy's address, and failed logins from one "
                "user lock out the office; set TRACKER_TRUSTED_PROXIES=1 behind one nginx"
            )
    return request.remote_addr or ""


def install_auth(server: Flask) -> None:
    """Sessions, the login routes and the guard on the Flask server."""
    manager = LoginManager()
    manager.session_protection = "basic"
    manager.init_app(server)
    manager.user_loader(_load_user)
    # The guard runs before Dash's own hooks, so anonymous requests never reach them.
    server.before_request_funcs.setdefault(None, []).insert(0, _guard)

    @server.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            if current_user.is_authenticated:
                return redirect(safe_next(request.args.get("next")))
            return _login_page()
        username = request.form.get("username", "")
        if not _csrf_ok():
            return _login_page(t("auth.expired", lang()), username, 400)
        context = server.extensions[EXTENSION]
        # the attempt is counted before the slow hash runs, and the hash holds no lock
        result = sign_in(
            context.engine,
            username=username,
            password=request.form.get("password", ""),
            ip=_client_ip(),
            user_agent=_user_agent(),
            policy=LoginPolicy.from_settings(context.settings),
        )
        if result.actor is None:
            message = render(result.message, lang())
            return _login_page(message, username[:50], 429 if result.locked else 401)
        user = LoginUser(result.actor, result.token)
        chosen = flask.session.get("lang")
        flask.session.clear()  # a fresh session: nothing from before the login survives
        if chosen:
            flask.session["lang"] = chosen
        flask.session.permanent = True
        login_user(user)
        csrf_token()
        return redirect(safe_next(request.form.get("next")))

    @server.route("/logout", methods=["POST"])
    def logout():
        if not _csrf_ok():
            return jsonify({"error": t("auth.expired", lang())}), 400
        chosen = flask.session.get("lang")
        if current_user.is_authenticated:
            sessions.log_out(server.extensions[EXTENSION].engine, token=current_user.get_id())
        logout_user()
        flask.session.clear()
        if chosen:
            flask.session["lang"] = chosen
        return redirect("/login")

    @server.route("/lang/<code>")
    def set_language(code: str):
        if code in LANGUAGES:
            flask.session["lang"] = code
        return redirect(safe_next(request.args.get("next")))

    @server.route("/healthz")
    def healthz():
        ok, details = health.check(ctx().engine)
        return jsonify(details), 200 if ok else 503

    @server.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
