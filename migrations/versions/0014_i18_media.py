"""site photos and project locations (#18): the ``photo`` table, ``project.latitude`` and
``project.longitude``. Revision 0014_i18_media, after 0011 (the lead re-chains #16/#17)."""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014_i18_media"
down_revision = "0013_i17_approvals"
branch_labels = depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float(), nullable=True))
    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("full_sha", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("thumb_sha", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("source_format", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("original_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("taken_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploader_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["monthlyreport.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_photo_project_period", "photo", ["project_id", "period"])
    op.create_index(op.f("ix_photo_full_sha"), "photo", ["full_sha"])
    op.create_index(op.f("ix_photo_thumb_sha"), "photo", ["thumb_sha"])
    op.create_index(op.f("ix_photo_milestone_id"), "photo", ["milestone_id"])
    op.create_index(op.f("ix_photo_report_id"), "photo", ["report_id"])


def downgrade() -> None:
    op.drop_table("photo")
    with op.batch_alter_table("project") as batch:
        batch.drop_column("longitude")
        batch.drop_column("latitude")
