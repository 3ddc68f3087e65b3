"""What a load balancer asks: can this process reach its database, at the right schema?"""

from __future__ import annotations

from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from tracker.db import alembic_config


def check(engine: Engine) -> tuple[bool, dict[str, Any]]:
    """(healthy, details). Unhealthy when the database does not answer or lags the code."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
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
