"""notification message: a notification's subject and body as catalogue messages, so the
bell shows them in its reader's language (#13). Revision 0009_notification_message, after 0008."""

import sqlalchemy as sa
from alembic import op

revision = "0009_notification_message"
down_revision = "0008_bulletin_texts"
branch_labels = depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("message")
