"""Start-up shared by `python app.py`, the CLI and the scheduler: engine, migrations, demo."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import select

from tracker.config import Settings
from tracker.db import make_engine, migrate, write_session
from tracker.domain.periods import SHANGHAI, today_in_shanghai
from tracker.models import Project
from tracker.services.demo import DemoUser, build_demo


def shanghai_today() -> date:
    """The office's today. The one place outside tests that reads the clock for a date."""
    return today_in_shanghai(datetime.now(UTC))


def shanghai_now() -> datetime:
    """The office's wall-clock time (names of dated backups)."""
    return datetime.now(SHANGHAI).replace(tzinfo=None)


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


# Young-generation collections every 50,000 net allocations instead of CPython's 700.
# A request that reads a big plan allocates tens of thousands of ORM objects; with the
# default the cyclic GC ran dozens of times inside it: project_statuses on 5,000
# projects took 610-760 ms with it and 400-500 ms with this (380 ms with no GC at all).
GC_THRESHOLDS = (50_000, 20, 20)


def settle_heap() -> None:
    """Once the app is built: keep the cyclic GC from walking what lives as long as the
    process (gc.freeze; that cost ~75 ms pauses in callbacks, see benchmarks/web.py) and
    let it run less often (GC_THRESHOLDS)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
