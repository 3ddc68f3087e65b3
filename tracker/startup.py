"""Start-up shared by `python app.py`, the CLI and the scheduler: engine, migrations, demo."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import select

from tracker.config import Settings
from tracker.db import make_engine, migrate, write_session
from tracker.domain.periods import SHANGHAI
from tracker.models import Project
from tracker.services.demo import DemoUser, build_demo


def shanghai_today() -> date:
    """The office's today. The one place outside tests that reads the clock for a date."""
    return datetime.now(SHANGHAI).date()


def prepare_database(settings: Settings) -> tuple[Engine, list[DemoUser]]:
    """Engine with the schema migrated; in development, the demo office in an empty database."""
    engine = make_engine(settings.DATABASE_URL)
    migrate(engine)
    created: list[DemoUser] = []
    if settings.TRACKER_DEMO and not settings.is_production:
        with write_session(engine) as session:
            if session.exec(select(Project.id).limit(1)).first() is None:
                created = build_demo(session, as_of=shanghai_today())
    return engine, created


def print_demo_logins(users: list[DemoUser]) -> None:
    if not users:
        return
    print("演示账号 / demo logins (shown once, at first start):")
    for user in users:
        print(f"  {user.username:<12} {user.password:<14} {user.role:<7} {user.scope}")
