"""The calendar feed's routes (#17), plain Flask beside the login routes (tracker/web/auth.py).

- ``GET /calendar/feed/<token>.ics``: public (a phone calendar cannot sign in; the token is
  the credential). An unknown token and a disabled account both answer 404.
- ``GET /calendar``: the signed-in user's page about their feed; ``POST /calendar`` (with
  the form's CSRF token) makes a new private URL, shown once, and ends the old one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import flask
from flask import Flask, Response, abort, render_template_string, request
from flask_login import current_user

from tracker.i18n import t
from tracker.services.calendar_feed import calendar_feed, has_calendar_token, reset_calendar_token
from tracker.web.auth import _csrf_ok, csrf_token
from tracker.web.context import actor, lang, read, write

FEED_PREFIX = "/calendar/feed/"


class CalendarIds:
    """The calendar page's element ids (a Flask page: the template names them via ``ids``)."""

    URL = "calendar-url"
    RESET = "calendar-reset"


CALENDAR_PAGE = """<!doctype html>
<html lang="{{ 'en' if lang == 'en' else 'zh-CN' }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t('calendar.title', lang) }} · {{ t('app.title', lang) }}</title>
<link rel="icon" href="/_favicon.ico">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body class="login-body">
<main class="login-card">
  <h1>{{ t('calendar.title', lang) }}</h1>
  <p>{{ t('calendar.explain', lang) }}</p>
  {% if url %}
  <p>{{ t('calendar.new_url' if replaced else 'calendar.first_url', lang) }}</p>
  <input id="{{ ids.URL }}" class="calendar-url" value="{{ url }}" readonly>
  {% elif has_token %}
  <p>{{ t('calendar.has_url', lang) }}</p>
  {% endif %}
  <form method="post" action="/calendar">
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    <button type="submit" id="{{ ids.RESET }}">
      {{ t('calendar.reset' if has_token or url else 'calendar.create', lang) }}</button>
  </form>
  <p class="login-foot"><a href="/">{{ t('calendar.back', lang) }}</a></p>
</main>
</body>
</html>"""


def _page(url: str = "", *, replaced: bool = False):
    has_token = read(has_calendar_token, actor=actor())
    body = render_template_string(
        CALENDAR_PAGE,
        t=t,
        lang=lang(),
        ids=CalendarIds,
        url=url,
        replaced=replaced,
        has_token=has_token,
        csrf=csrf_token(),
    )
    return body, 200, {"Cache-Control": "no-store"}


def install_calendar(server: Flask) -> None:
    """The feed (public, by token) and the page that makes its URL (signed in)."""

    @server.route(FEED_PREFIX + "<token>.ics")
    def calendar_feed_ics(token: str):
        body = read(calendar_feed, token=token, now=datetime.now(UTC), host=request.host)
        if body is None:
            abort(404)
        return Response(
            body,
            mimetype="text/calendar",
            headers={"Cache-Control": "private, no-cache", "Referrer-Policy": "no-referrer"},
        )

    @server.route("/calendar", methods=["GET", "POST"])
    def calendar_page():
        if not current_user.is_authenticated:  # the guard redirects first; kept for clarity
            abort(401)
        if request.method == "GET":
            return _page()
        if not _csrf_ok():
            return flask.jsonify({"error": t("auth.expired", lang())}), 400
        replaced = read(has_calendar_token, actor=actor())
        token = write(reset_calendar_token, actor=actor(), now=datetime.now(UTC))
        url = f"{request.host_url.rstrip('/')}{FEED_PREFIX}{token}.ics"
        return _page(url, replaced=replaced)
