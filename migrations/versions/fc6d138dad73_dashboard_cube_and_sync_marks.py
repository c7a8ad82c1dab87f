"""Dashboards: a stored cube, and marks on the takes a sync has looked at.

- ``take.dashboard_epoch``: the epoch at which the organization's sync looked at a
  finished take; a sync reads only the takes without one (``ix_take_dashboard_epoch``).
  Takes already in the roll-up are marked with the epoch they entered at; the rest
  are looked at by the next sync.
- ``dashboard_cell``: the organization's cube, brought forward by what entered or was
  replaced since ``dashboard_state.cube_epoch``; ``cube_members`` tells a deletion.
- ``ix_dashboard_member_entered``: the rows that entered since an epoch.

Revision ID: fc6d138dad73
Revises: 7996ce47ef25
Create Date: 2026-11-30

"""

from alembic import op
import sqlalchemy as sa


revision = "fc6d138dad73"
down_revision = "7996ce47ef25"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("take", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dashboard_epoch", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_take_dashboard_epoch", ["organization_id", "dashboard_epoch", "state"], unique=False
        )
    op.execute(
        "UPDATE take SET dashboard_epoch = "
        "(SELECT entered FROM dashboard_member WHERE dashboard_member.take_id = take.id) "
        "WHERE id IN (SELECT take_id FROM dashboard_member)"
    )
    with op.batch_alter_table("dashboard_member", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dashboard_member_entered", ["organization_id", "entered"], unique=False
        )
    with op.batch_alter_table("dashboard_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cube_epoch", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cube_members", sa.Integer(), nullable=True))
    op.create_table(
        "dashboard_cell",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=32), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("tally", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_dashboard_cell_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organization_id",
            "cause",
            "quarter",
            "locale",
            "workshop_id",
            "complete",
            name=op.f("pk_dashboard_cell"),
        ),
    )


def downgrade():
    op.drop_table("dashboard_cell")
    with op.batch_alter_table("dashboard_state", schema=None) as batch_op:
        batch_op.drop_column("cube_members")
        batch_op.drop_column("cube_epoch")
    with op.batch_alter_table("dashboard_member", schema=None) as batch_op:
        batch_op.drop_index("ix_dashboard_member_entered")
    with op.batch_alter_table("take", schema=None) as batch_op:
        batch_op.drop_index("ix_take_dashboard_epoch")
        batch_op.drop_column("dashboard_epoch")
