"""`python -m schedules`: the scheduler as its own process (production).

Holds the installation's scheduler lock for its lifetime; a second copy stays idle and
takes over when the first one stops.
"""

from __future__ import annotations

import logging
import signal
import sys
import time

from schedules.runner import acquire_lock, build_scheduler
from tracker.config import load_settings
from tracker.db import make_engine, migrate
from tracker.logs import configure_logging

log = logging.getLogger("schedules")
STANDBY_SECONDS = 60


def main() -> int:
    settings = load_settings()
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
