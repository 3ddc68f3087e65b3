"""前期手续 (#17): the step catalogue (approvalsteptype), chain templates, a project's steps
(projectstep), links between steps and milestones (steplink), and calendar feed tokens.
Revision 0013_i17_approvals, after 0011 (the lead re-chains the branches at merge)."""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013_i17_approvals"
down_revision = "0012_i16_indicators"
branch_labels = depends_on = None


def upgrade() -> None:
    op.create_table(
        "approvalsteptype",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("approving_unit", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("time_limit_days", sa.Integer(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "approvaltemplate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("nature", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "calendartoken",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "projectstep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("step_type_id", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("approving_unit", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("time_limit_days", sa.Integer(), nullable=False),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_finish", sa.Date(), nullable=True),
        sa.Column("actual_start", sa.Date(), nullable=True),
        sa.Column("actual_finish", sa.Date(), nullable=True),
        sa.Column("document_number", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("contact_person", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["step_type_id"], ["approvalsteptype.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "seq"),
    )
    with op.batch_alter_table("projectstep", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projectstep_approving_unit"), ["approving_unit"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projectstep_project_id"), ["project_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_projectstep_step_type_id"), ["step_type_id"], unique=False
        )

    op.create_table(
        "steplink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("from_step_id", sa.Integer(), nullable=True),
        sa.Column("from_milestone_id", sa.Integer(), nullable=True),
        sa.Column("to_step_id", sa.Integer(), nullable=True),
        sa.Column("to_milestone_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("lag_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["from_milestone_id"], ["milestone.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_step_id"], ["projectstep.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_milestone_id"], ["milestone.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_step_id"], ["projectstep.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("steplink", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_steplink_project_id"), ["project_id"], unique=False)
    _seed_catalogue()


def _seed_catalogue() -> None:
    """The standard steps and chain templates (the office edits them later)."""
    from tracker.domain.approvals import STANDARD_STEPS, STANDARD_TEMPLATES

    meta = sa.MetaData()
    steps = sa.Table("approvalsteptype", meta, autoload_with=op.get_bind())
    templates = sa.Table("approvaltemplate", meta, autoload_with=op.get_bind())
    op.bulk_insert(
        steps,
        [
            {
                "code": s.code,
                "name": s.name,
                "approving_unit": s.approving_unit,
                "time_limit_days": s.time_limit_days,
                "sort_order": n,
                "version": 1,
            }
            for n, s in enumerate(STANDARD_STEPS, start=1)
        ],
    )
    op.bulk_insert(
        templates,
        [
            {
                "name": t.name,
                "nature": t.nature,
                "area_id": None,
                "steps": list(t.steps),
                "links": [
                    {"from": x.source, "to": x.target, "kind": x.kind, "lag": x.lag}
                    for x in t.links
                ],
                "sort_order": n,
                "version": 1,
            }
            for n, t in enumerate(STANDARD_TEMPLATES, start=1)
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("steplink", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_steplink_project_id"))

    op.drop_table("steplink")
    with op.batch_alter_table("projectstep", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projectstep_step_type_id"))
        batch_op.drop_index(batch_op.f("ix_projectstep_project_id"))
        batch_op.drop_index(batch_op.f("ix_projectstep_approving_unit"))

    op.drop_table("projectstep")
    op.drop_table("calendartoken")
    op.drop_table("approvaltemplate")
    op.drop_table("approvalsteptype")
