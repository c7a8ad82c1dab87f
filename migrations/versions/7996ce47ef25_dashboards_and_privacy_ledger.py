"""Organizer dashboards: the roll-up, the sets behind releases, released pages, the DP ledger.

- ``dashboard_member``: one row per take the organization's figures count, with its
  coarse attributes and scores copied once; deleting the take deletes the row.
- ``dashboard_state``: each organization's roll-up epoch and filter categories.
- ``dashboard_set``: the conditions and epoch that define the set behind a dashboard
  release (``release`` with surface 'dashboard', beside the rooms' releases).
- ``dashboard_view``: a dashboard or quality page exactly as released.
- ``privacy_spend``: differential-privacy budget spent, per organization and quarter.

Revision ID: 7996ce47ef25
Revises: d76634e5b333
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


revision = '7996ce47ef25'
down_revision = 'd76634e5b333'
branch_labels = None
depends_on = None


def _organization(table):
    return sa.ForeignKeyConstraint(
        ['organization_id'], ['organization.id'],
        name=op.f(f'fk_{table}_organization_id_organization'), ondelete='CASCADE',
    )


def upgrade():
    op.create_table(
        'dashboard_state',
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('epoch', sa.Integer(), nullable=False),
        sa.Column('categories', sa.JSON(), nullable=False),
        sa.Column('updated_on', sa.Date(), nullable=False),
        sa.CheckConstraint('epoch >= 0', name=op.f('ck_dashboard_state_epoch_not_negative')),
        _organization('dashboard_state'),
        sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_dashboard_state')),
    )
    op.create_table(
        'dashboard_view',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('context', sa.String(length=200), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('epoch', sa.Integer(), nullable=False),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.CheckConstraint("kind IN ('dashboard', 'quality')", name=op.f('ck_dashboard_view_kind')),
        _organization('dashboard_view'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_view')),
    )
    with op.batch_alter_table('dashboard_view', schema=None) as batch_op:
        batch_op.create_index(
            'ix_dashboard_view_lookup', ['organization_id', 'kind', 'context', 'id'], unique=False
        )

    op.create_table(
        'privacy_spend',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('quarter', sa.String(length=7), nullable=False),
        sa.Column('epsilon', sa.Float(), nullable=False),
        sa.Column('view_id', sa.Integer(), nullable=True),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.CheckConstraint('epsilon > 0', name=op.f('ck_privacy_spend_epsilon_positive')),
        _organization('privacy_spend'),
        sa.ForeignKeyConstraint(
            ['view_id'], ['dashboard_view.id'],
            name=op.f('fk_privacy_spend_view_id_dashboard_view'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_spend')),
    )
    with op.batch_alter_table('privacy_spend', schema=None) as batch_op:
        batch_op.create_index(
            'ix_privacy_spend_quarter', ['organization_id', 'quarter'], unique=False
        )

    op.create_table(
        'dashboard_member',
        sa.Column('take_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('respondent_id', sa.Integer(), nullable=False),
        sa.Column('entered', sa.Integer(), nullable=False),
        sa.Column('replaced', sa.Integer(), nullable=True),
        sa.Column('cause', sa.String(length=32), nullable=False),
        sa.Column('quarter', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('share_outgroup', sa.Float(), nullable=False),
        sa.Column('share_ingroup', sa.Float(), nullable=False),
        sa.Column('share_personal', sa.Float(), nullable=False),
        sa.Column('share_morality', sa.Float(), nullable=False),
        sa.Column('lean_help', sa.SmallInteger(), nullable=False),
        sa.Column('lean_action', sa.SmallInteger(), nullable=False),
        sa.Column('lean_visibility', sa.SmallInteger(), nullable=False),
        sa.Column('lean_ally', sa.SmallInteger(), nullable=False),
        sa.Column('complete', sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            'lean_help IN (-1, 0, 1) AND lean_action IN (-1, 0, 1) '
            'AND lean_visibility IN (-1, 0, 1) AND lean_ally IN (-1, 0, 1)',
            name=op.f('ck_dashboard_member_leanings_are_signs'),
        ),
        sa.CheckConstraint(
            'replaced IS NULL OR replaced > entered',
            name=op.f('ck_dashboard_member_replaced_after_entering'),
        ),
        sa.CheckConstraint(
            'share_outgroup BETWEEN 0 AND 1 AND share_ingroup BETWEEN 0 AND 1 '
            'AND share_personal BETWEEN 0 AND 1 AND share_morality BETWEEN 0 AND 1',
            name=op.f('ck_dashboard_member_shares_in_unit'),
        ),
        _organization('dashboard_member'),
        sa.ForeignKeyConstraint(
            ['respondent_id'], ['respondent.id'],
            name=op.f('fk_dashboard_member_respondent_id_respondent'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['take_id'], ['take.id'],
            name=op.f('fk_dashboard_member_take_id_take'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('take_id', name=op.f('pk_dashboard_member')),
    )
    with op.batch_alter_table('dashboard_member', schema=None) as batch_op:
        batch_op.create_index(
            'ix_dashboard_member_current', ['organization_id', 'replaced'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_dashboard_member_respondent_id'), ['respondent_id'], unique=False
        )

    op.create_table(
        'dashboard_set',
        sa.Column('release_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('conditions', sa.JSON(), nullable=False),
        sa.Column('epoch', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "kind IN ('figures', 'derived', 'quality')", name=op.f('ck_dashboard_set_kind')
        ),
        _organization('dashboard_set'),
        sa.ForeignKeyConstraint(
            ['release_id'], ['release.id'],
            name=op.f('fk_dashboard_set_release_id_release'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('release_id', name=op.f('pk_dashboard_set')),
    )
    with op.batch_alter_table('dashboard_set', schema=None) as batch_op:
        batch_op.create_index(
            'ix_dashboard_set_lookup', ['organization_id', 'kind', 'fingerprint'], unique=False
        )


def downgrade():
    with op.batch_alter_table('dashboard_set', schema=None) as batch_op:
        batch_op.drop_index('ix_dashboard_set_lookup')
    op.drop_table('dashboard_set')
    with op.batch_alter_table('dashboard_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_member_respondent_id'))
        batch_op.drop_index('ix_dashboard_member_current')
    op.drop_table('dashboard_member')
    with op.batch_alter_table('privacy_spend', schema=None) as batch_op:
        batch_op.drop_index('ix_privacy_spend_quarter')
    op.drop_table('privacy_spend')
    with op.batch_alter_table('dashboard_view', schema=None) as batch_op:
        batch_op.drop_index('ix_dashboard_view_lookup')
    op.drop_table('dashboard_view')
    op.drop_table('dashboard_state')
