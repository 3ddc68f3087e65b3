"""data changes: what each data version's write changed, per table and project, so a worker
recomputes only the projects a save touched (#15, tracker.data_version). Revision
0011_i15_data_changes, after 0010."""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011_i15_data_changes"
down_revision = "0010_i15status_data_version"
branch_labels = depends_on = None


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("datachange"):
        op.create_table(
            "datachange",
            sa.Column("epoch", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
            sa.Column("version", sa.BigInteger(), nullable=False),
            sa.Column("changes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.PrimaryKeyConstraint("epoch", "version"),
        )


def downgrade() -> None:
    op.drop_table("datachange")
