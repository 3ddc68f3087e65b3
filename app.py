"""Composition root: settings -> database -> Dash app. ``server`` is the WSGI app for gunicorn.

`python app.py` runs the embedded default: a SQLite file under ./data/, the demo office on
first start, and the monthly scheduler inside the process.
"""

from __future__ import annotations

import dash
from dash import html
from sqlmodel import select

from tracker.config import load_settings
from tracker.db import read_session
from tracker.models import Project
from tracker.startup import prepare_database, print_demo_logins

settings = load_settings()
engine, created_demo_users = prepare_database(settings)

app = dash.Dash(__name__, title="挂图作战", serve_locally=True)
server = app.server


def layout() -> html.Div:
    with read_session(engine) as session:
        projects = session.exec(select(Project).order_by(Project.sort_order)).all()
    return html.Div(
        [html.H1("挂图作战 · 每月调度"), html.P(f"{len(projects)} 个重大项目")]
        + [html.Div(f"{p.code} {p.name}") for p in projects]
    )


app.layout = layout

if __name__ == "__main__":
    print_demo_logins(created_demo_users)
    if settings.TRACKER_SCHEDULER == "embedded":
        import schedules

        schedules.start_embedded(engine, settings)
    app.run(host=settings.TRACKER_HOST, port=settings.TRACKER_PORT, debug=settings.TRACKER_DEBUG)
