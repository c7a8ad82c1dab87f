"""Deeper module progress on takes.

Revision ID: 92ac3e9c918e
Revises: 469093e01b91
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


revision = '92ac3e9c918e'
down_revision = '469093e01b91'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deeper_version', sa.Integer(), nullable=True))
        # Existing takes have not opened the deeper module: 0 pages reached.
        batch_op.add_column(
            sa.Column('deeper_reached', sa.SmallInteger(), nullable=False, server_default='0')
        )
        batch_op.create_check_constraint(
            op.f('ck_take_deeper_reached_not_negative'), 'deeper_reached >= 0'
        )


def downgrade():
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_take_deeper_reached_not_negative'), type_='check')
        batch_op.drop_column('deeper_reached')
        batch_op.drop_column('deeper_version')
