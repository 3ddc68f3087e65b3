"""i14-doc: the office's edits of a month's bulletin sections (draft → edit → 定稿)

Revision ID: 0008_bulletin_texts
Revises: 0007_i14dudan
Create Date: 2026-12-04 12:55:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

revision: str = "0008_bulletin_texts"
down_revision: Union[str, Sequence[str], None] = "0007_i14dudan"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "bulletinsectionedit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("section", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("edited_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["edited_by"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "section"),
    )
    with op.batch_alter_table("bulletinsectionedit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bulletinsectionedit_period"), ["period"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("bulletinsectionedit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bulletinsectionedit_period"))
    op.drop_table("bulletinsectionedit")
