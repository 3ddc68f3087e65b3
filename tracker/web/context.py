"""What every page and callback needs from the running app: engine, settings, today, actor.

The app factory stores one ``WebContext`` on the Flask server; pages and callbacks reach it
through ``ctx()`` instead of module globals, so tests can build many apps in one process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Concatenate, ParamSpec, TypeVar

import flask
from flask_login import current_user
from sqlalchemy import Engine
from sqlmodel import Session

from tracker import data_version
from tracker.config import DEFAULT_OFFICE_NAME, Settings
from tracker.data_version import Version
from tracker.domain.rules import Thresholds
from tracker.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from tracker.services import policy, unit
from tracker.services.auth import ANONYMOUS, Actor
from tracker.services.import_jobs import Importer, Runner, in_thread, plan_import
from tracker.startup import shanghai_today

EXTENSION = "tracker"
P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class WebContext:
    engine: Engine
    settings: Settings
    today: Callable[[], date] = shanghai_today
    run_job: Runner = field(default=in_thread)  # tests run import jobs inline
    importer: Importer = field(default=plan_import)  # the list importer (tests: a fake)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.settings.MAX_UPLOAD_MB) * 1024 * 1024

    def office_name(self, language: str) -> str:
        """OFFICE_NAME, or OFFICE_NAME_EN in English (the demo office has both built in)."""
        name = str(self.settings.OFFICE_NAME).strip()
        if language == "en":
            if str(self.settings.OFFICE_NAME_EN).strip():
                return str(self.settings.OFFICE_NAME_EN).strip()
            if name == DEFAULT_OFFICE_NAME:
                return t("app.org", "en")
        return name

    @property
    def office_mark(self) -> str:
        """The character beside the office's name: the first of OFFICE_REGION."""
        return str(self.settings.OFFICE_REGION).strip()[:1]


def ctx() -> WebContext:
    return flask.current_app.extensions[EXTENSION]


REQUEST_VERSION = "tracker_data_version"  # flask.g: the version read with the session
# flask.g: this thread's count of committed writes when that version was read
_REQUEST_VERSION_WRITES = "tracker_data_version_writes"


def hold_request_version(version: Version | None) -> None:
    """Note the data version this request read with its login session (first one wins)."""
    if REQUEST_VERSION not in flask.g:
        flask.g.setdefault(REQUEST_VERSION, version)
        flask.g.setdefault(_REQUEST_VERSION_WRITES, data_version.writes_committed_here())


def holds_request_version() -> bool:
    """Whether this request read the data version with its login session and has written
    nothing since: a save's answer is read under the version its own write made, never
    under the one read before it."""
    return (
        flask.has_request_context()
        and REQUEST_VERSION in flask.g
        and flask.g.get(_REQUEST_VERSION_WRITES) == data_version.writes_committed_here()
    )


def version_read_first() -> Version | None:
    """The data version this request read with its login session (``tracker.web.auth``),
    if it did and has written nothing since (None: it did not, or no cache may be used)."""
    return flask.g.get(REQUEST_VERSION) if holds_request_version() else None


def read(fn: Callable[Concatenate[Session, P], R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run the use case ``fn`` in one read-only session (``tracker.services.unit``); the
    values it keeps by the data version are keyed by the one the request read with its
    login session (read before anything the request reads), not read again."""
    with data_version.read_under(version_read_first()):
        return unit.read(ctx().engine, fn, *args, **kwargs)


def write(fn: Callable[Concatenate[Session, P], R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run the use case ``fn`` in one write transaction (``tracker.services.unit``)."""
    return unit.write(ctx().engine, fn, *args, **kwargs)


def actor() -> Actor:
    """The logged-in user as a service actor (anonymous outside a login)."""
    if flask.has_request_context() and current_user.is_authenticated:
        return current_user.actor
    return ANONYMOUS


def lang() -> str:
    if flask.has_request_context():
        chosen = flask.session.get("lang")
        if chosen in LANGUAGES:
            return chosen
    default = ctx().settings.TRACKER_LANGUAGE if flask.has_app_context() else DEFAULT_LANGUAGE
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def today() -> date:
    return ctx().today()


def thresholds() -> Thresholds:
    """The office's light thresholds."""
    return read(policy.current_thresholds, ctx().settings)
