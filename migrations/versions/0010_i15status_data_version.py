"""data version: one row whose counter every committed write bumps, so the workers' caches
know when what they hold is stale (#15, tracker.data_version). Revision
0010_i15status_data_version, after 0009."""

import secrets

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010_i15status_data_version"
down_revision = "0009_notification_message"
branch_labels = depends_on = None


def upgrade() -> None:
    # a backup taken before this migration, restored over a newer database, leaves the
    # table in place (pg_restore --clean drops only what the dump holds): keep it then
    if not sa.inspect(op.get_bind()).has_table("dataversion"):
        op.create_table(
            "dataversion",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("epoch", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
            sa.Column("version", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
    op.execute(
        sa.text(
            "INSERT INTO dataversion (id, epoch, version) VALUES (1, :epoch, 1) "
            "ON CONFLICT (id) DO NOTHING"
        ).bindparams(epoch=secrets.token_hex(8))
    )


def downgrade() -> None:
    op.drop_table("dataversion")
