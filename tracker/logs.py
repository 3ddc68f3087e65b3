"""Logging: one JSON object per line in production (for journald / a log shipper), text otherwise.

``python app.py``, the scheduler and the command line call ``configure_logging``; under
gunicorn, gunicorn.conf.py hands ``gunicorn_logconfig`` to gunicorn, so its own messages and
its access log come out in the same format as the app's.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# gunicorn's access-log atoms -> the JSON fields they become
ACCESS_FIELDS = {
    "h": "remote",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "ms",
    "f": "referer",
    "a": "agent",
}


class JsonFormatter(logging.Formatter):
    EXTRA_SKIP = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        payload.update({k: v for k, v in vars(record).items() if k not in self.EXTRA_SKIP})
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            payload.update(_access_fields(record.args))
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for atom, name in ACCESS_FIELDS.items():
        value = atoms.get(atom)
        if value in (None, "-", ""):
            continue
        if name == "status" and str(value).split()[0].isdigit():
            value = int(str(value).split()[0])
        out[name] = value
    return out


def make_formatter(fmt: str = "text") -> logging.Formatter:
    return JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)


def configure_logging(fmt: str = "text", level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(make_formatter(fmt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def gunicorn_logconfig(fmt: str = "text", level: str = "INFO") -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: the app, gunicorn's messages and its access log, all
    on stderr (journald) in LOG_FORMAT."""
    formatter: dict[str, Any] = (
        {"()": "tracker.logs.JsonFormatter"} if fmt == "json" else {"format": TEXT_FORMAT}
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "tracker",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"tracker": formatter},
        "handlers": {"stderr": handler},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        },
    }
