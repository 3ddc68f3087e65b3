"""Migration 0007 (i14-dudan): existing ledger items get their cause from their text, and
coordination items the office was given by default get the unit their text names, or none
(待明确)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect, text

from tracker.db import alembic_config


def _row(conn, table: str, **values) -> int:
    """Insert a row filling every other NOT NULL column without a default with a dummy."""
    for column in inspect(conn).get_columns(table):
        name = column["name"]
        if name in values or column["nullable"] or column.get("default") is not None:
            continue
        if column.get("autoincrement") is True or name == "id":
            continue
        kind = str(column["type"]).upper()
        values[name] = (
            0 if any(k in kind for k in ("INT", "NUMERIC", "FLOAT", "BOOL"))
            else "2026-01-01" if "DATE" in kind
            else "x"
        )  # fmt: skip
    names = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    return conn.execute(
        text(f'INSERT INTO "{table}" ({names}) VALUES ({marks}) RETURNING id'), values
    ).scalar_one()


def test_0007_reads_cause_and_owner_of_existing_items_from_their_text(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config(engine)
    command.upgrade(config, "0006_sessions")
    with engine.begin() as conn:
        area = _row(conn, "area", name="绿色低碳发展")
        measure = _row(conn, "measure", name="发展清洁能源", area_id=area)
        project = _row(
            conn, "project", code="LC-1", area_id=area, measure_id=measure, lead_unit="市能源局"
        )
        office = "示范区建设办公室"
        items = [
            ("coordination", "请市能源局协调施工用电", office),
            ("coordination", "请上级协调资金拨付", office),
            ("coordination", "征地拆迁难", "市林草局"),  # named by hand: kept
            ("problem", "林地报批未完成", "市能源局"),
        ]
        for kind, words, owner in items:
            _row(
                conn,
                "problemitem",
                project_id=project,
                kind=kind,
                text=words,
                owner=owner,
                raised_on="2026-10-22",
            )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        got = conn.execute(text("select kind, cause, owner from problemitem order by id")).all()
    assert [tuple(r) for r in got] == [
        ("coordination", "factors", "市能源局"),
        ("coordination", "funds", ""),
        ("coordination", "demolition", "市林草局"),
        ("problem", "land", "市能源局"),
    ]
    command.downgrade(config, "0006_sessions")  # and back
    engine.dispose()
