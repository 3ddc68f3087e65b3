"""Composition root: settings -> database -> Dash app. ``server`` is the WSGI app for gunicorn.

`python app.py` runs the embedded default: a SQLite file under ./data/, the demo office on
first start (its logins printed once), debug off unless TRACKER_DEBUG.
"""

from __future__ import annotations

from tracker.config import SettingsError, load_settings, require_database_url
from tracker.logs import configure_logging
from tracker.startup import prepare_database, print_demo_logins, settle_heap
from tracker.web.app import create_app

try:
    require_database_url()  # production names its database: never the default SQLite file
    settings = load_settings()
except SettingsError as exc:  # one clear line, not a traceback
    raise SystemExit(f"tracker: {exc}") from None
configure_logging(settings.LOG_FORMAT, settings.LOG_LEVEL)  # here for gunicorn's workers too
engine, created_demo_users = prepare_database(settings)
app = create_app(settings, engine)
server = app.server
settle_heap()  # what was built lives as long as the process; GC runs less often

if __name__ == "__main__":
    print_demo_logins(created_demo_users)
    if settings.TRACKER_SCHEDULER == "embedded":
        import schedules

        schedules.start_embedded(engine, settings)
    if settings.TRACKER_DEBUG:  # dev tools are on already (create_app): Flask's debug server
        server.run(host=settings.TRACKER_HOST, port=settings.TRACKER_PORT, debug=True)
    else:
        app.run(host=settings.TRACKER_HOST, port=settings.TRACKER_PORT, debug=False)
