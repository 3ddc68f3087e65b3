"""What a load balancer asks: can this process reach its database, at the right schema?"""

from __future__ import annotations

from functools import cache
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from tracker.db import MIGRATIONS


@cache
def _code_head() -> str | None:
    """The newest migration the code ships (read once: the scripts don't change at run time)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def check(engine: Engine) -> tuple[bool, dict[str, Any]]:
    """(healthy, details). Unhealthy when the database does not answer or lags the code."""
    head = _code_head()
    try:
        with engine.connect() as conn:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as exc:  # any failure to reach the database is the answer itself
        return False, {"status": "error", "database": f"{type(exc).__name__}"}
    ok = current == head
    return ok, {
        "status": "ok" if ok else "error",
        "database": "ok",
        "schema": current,
        "expected_schema": head,
    }
