"""i14-dudan: ledger items carry a cause, the day the office set the 督办 level by hand, and
their 督办单's 文号 (per year)

Existing items get their cause guessed from their text (the same rule as new ones), and
coordination items that were given the office as responsible unit by default get the unit
their text names, or none (待明确: the office fills it).

Revision ID: 0007_i14dudan
Revises: 0006_sessions
"""

from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0007_i14dudan"
down_revision: Union[str, Sequence[str], None] = "0006_sessions"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_DEFAULT_OWNER = "示范区建设办公室"


def upgrade() -> None:
    with op.batch_alter_table("problemitem", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "cause",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="other",
            )
        )
        batch_op.add_column(sa.Column("level_by_hand_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("duban_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("duban_no", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("duban_issued_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "duban_number",
                sqlmodel.sql.sqltypes.AutoString(length=60),
                nullable=False,
                server_default="",
            )
        )
        batch_op.create_unique_constraint("uq_problemitem_duban_no", ["duban_year", "duban_no"])
    _backfill()


def _backfill() -> None:
    from tracker.domain.duban import cause_from_text, owner_from_text

    bind = op.get_bind()
    units = [u for (u,) in bind.execute(sa.text("select distinct lead_unit from project"))]
    rows = bind.execute(sa.text("select id, kind, text, owner from problemitem")).all()
    for item_id, kind, text, owner in rows:
        values = {"id": item_id, "cause": cause_from_text(text or "")}
        if kind == "coordination" and owner == OLD_DEFAULT_OWNER:
            values["owner"] = owner_from_text(text or "", units)
            statement = "update problemitem set cause = :cause, owner = :owner where id = :id"
        else:
            statement = "update problemitem set cause = :cause where id = :id"
        bind.execute(sa.text(statement), values)


def downgrade() -> None:
    with op.batch_alter_table("problemitem", schema=None) as batch_op:
        batch_op.drop_constraint("uq_problemitem_duban_no", type_="unique")
        batch_op.drop_column("duban_number")
        batch_op.drop_column("duban_issued_on")
        batch_op.drop_column("duban_no")
        batch_op.drop_column("duban_year")
        batch_op.drop_column("level_by_hand_on")
        batch_op.drop_column("cause")
