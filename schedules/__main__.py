"""`python -m schedules`: the scheduler as its own process (production).

Holds the installation's scheduler lock for its lifetime; a second copy stays idle and
takes over when the first one stops.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Sequence

from schedules.runner import acquire_lock, build_scheduler
from tracker.config import SettingsError, load_settings, require_database_url
from tracker.db import make_engine, migrate
from tracker.logs import configure_logging

log = logging.getLogger("schedules")
STANDBY_SECONDS = 60


def build_parser() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog="python -m schedules",
        description=(
            "Run the monthly dispatch cycle (open, remind, watch milestones, escalate 督办, close "
            "and compile the bulletin) as its own process, on the database of DATABASE_URL. Only one "
            "scheduler runs jobs per installation; a second copy stands by. Stop with SIGTERM "
            "or Ctrl-C. Settings come from the environment (python -m tracker settings)."
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    build_parser().parse_args(argv)  # --help prints the usage and exits before any work
    try:
        require_database_url()
        settings = load_settings()
    except SettingsError as exc:
        print(f"python -m schedules: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.LOG_FORMAT, settings.LOG_LEVEL)
    engine = make_engine(settings.DATABASE_URL)
    migrate(engine)
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    lock = acquire_lock(engine, settings)
    while lock is None:
        log.info("another scheduler is running: standing by")
        time.sleep(STANDBY_SECONDS)
        lock = acquire_lock(engine, settings)
    log.info("scheduler lock acquired: running the monthly cycle")
    try:
        build_scheduler(engine, settings, blocking=True).start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        lock.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
