"""Login on the Dash server: Flask-Login sessions, the login form, the access guard.

Every Dash endpoint (layout, dependencies, callbacks, component bundles) needs a session;
anonymous calls get 401, anonymous page loads go to the login form. The form is plain
server-rendered HTML (Jinja autoescaping), so logging in needs no Dash endpoint at all.
Failed attempts are counted in the database (``services.login``), so the lockout holds
across gunicorn workers.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote, urlsplit

import flask
from flask import Flask, jsonify, redirect, render_template_string, request
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from tracker.db import read_session, write_session
from tracker.i18n import LANGUAGES, t
from tracker.models import User, utcnow
from tracker.services import health
from tracker.services.auth import Actor
from tracker.services.login import LoginPolicy, check_login, record_login
from tracker.web.context import EXTENSION, ctx, lang

PUBLIC_PATHS = ("/login", "/_favicon.ico", "/favicon.ico", "/healthz")
PUBLIC_PREFIXES = ("/assets/", "/lang/")
CSRF_KEY = "csrf"


class LoginUser(UserMixin):
    """The session's user. The id carries the account's version, so resetting a password,
    disabling the account or changing its scope ends the sessions opened before."""

    def __init__(self, user: User) -> None:
        self.actor = Actor.of(user)
        self.session_id = f"{user.id}:{user.version}"

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
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _load_user(session_id: str) -> LoginUser | None:
    try:
        user_id, version = (int(x) for x in session_id.split(":", 1))
    except (ValueError, AttributeError):
        return None
    with read_session(flask.current_app.extensions[EXTENSION].engine) as session:
        user = session.get(User, user_id)
    if user is None or not user.active or user.version != version:
        return None
    return LoginUser(user)


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
    <label for="username">{{ t('auth.username', lang) }}</label>
    <input id="username" name="username" value="{{ username }}" autocomplete="username" required autofocus>
    <label for="password">{{ t('auth.password', lang) }}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    {% if message %}<p class="login-error" role="alert">{{ message }}</p>{% endif %}
    <button type="submit" id="login-submit">{{ t('auth.submit', lang) }}</button>
  </form>
  <p class="login-foot">
    <a href="/lang/zh?next={{ here|urlencode }}">中文</a> ·
    <a href="/lang/en?next={{ here|urlencode }}">English</a>
  </p>
</main>
</body>
</html>"""


def _login_page(message: str = "", username: str = "", status: int = 200):
    target = safe_next(request.values.get("next"))
    here = "/login" + (f"?next={quote(target)}" if target != "/" else "")
    context = ctx()
    html = render_template_string(
        LOGIN_PAGE,
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


def _client_ip() -> str:
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
        password = request.form.get("password", "")
        now = utcnow()
        with read_session(context.engine) as session:  # the slow hash holds no write lock
            result = check_login(
                session,
                username=username,
                password=password,
                ip=_client_ip(),
                now=now,
                policy=LoginPolicy.from_settings(context.settings),
            )
        if not result.locked:
            with write_session(context.engine) as session:
                record_login(
                    session,
                    username=username,
                    password=password,
                    ip=_client_ip(),
                    now=now,
                    result=result,
                )
        user = LoginUser(result.user) if result.user is not None else None
        if user is None:
            message = (
                result.message
                if lang() == "zh"
                else t("auth.locked" if result.locked else "auth.wrong", "en")
            )
            return _login_page(message, username, 429 if result.locked else 401)
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
