import json
import logging

from tracker.logs import JsonFormatter


def test_json_logs_are_one_object_per_line_with_the_extra_fields():
    record = logging.makeLogRecord(
        {
            "name": "schedules",
            "levelname": "INFO",
            "msg": "job %s done",
            "args": ("open_period",),
            "period": "2026-11",
        }
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["msg"] == "job open_period done"
    assert data["period"] == "2026-11" and data["level"] == "info"
