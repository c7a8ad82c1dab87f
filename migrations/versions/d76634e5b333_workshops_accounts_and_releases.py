"""Workshops: staff accounts, workshops, the release log, and the workshop of a take.

- ``account``: facilitators and organizers of an organization (volunteers have none).
- ``workshop``: a session with a join code; state and round follow ``app.domain.workshop``.
- ``release`` and ``release_take``: figures exactly as shown, and the set of takes behind
  them; deleting a take removes it from the set, never the figures.
- ``take.workshop_id``: the workshop a volunteer joined by code (nullable: existing takes
  belong to none).

Revision ID: d76634e5b333
Revises: 92ac3e9c918e
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


revision = 'd76634e5b333'
down_revision = '92ac3e9c918e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('is_facilitator', sa.Boolean(), nullable=False),
        sa.Column('is_organizer', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.CheckConstraint('email = lower(email)', name=op.f('ck_account_email_lower_case')),
        sa.CheckConstraint('is_facilitator OR is_organizer', name=op.f('ck_account_has_a_role')),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organization.id'],
            name=op.f('fk_account_organization_id_organization'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
        sa.UniqueConstraint('email', name=op.f('uq_account_email')),
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_organization_id'), ['organization_id'], unique=False)

    op.create_table(
        'workshop',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('cause_key', sa.String(length=32), nullable=True),
        sa.Column('cause_label', sa.String(length=120), nullable=True),
        sa.Column('ingroup_label', sa.String(length=120), nullable=True),
        sa.Column('outgroup_label', sa.String(length=120), nullable=True),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('with_deeper', sa.Boolean(), nullable=False),
        sa.Column('with_scenarios', sa.Boolean(), nullable=False),
        sa.Column('k_room', sa.SmallInteger(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('round', sa.SmallInteger(), nullable=False),
        sa.Column('join_code', sa.String(length=6), nullable=True),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.CheckConstraint(
            "state <> 'closed' OR join_code IS NULL", name=op.f('ck_workshop_closed_has_no_code')
        ),
        sa.CheckConstraint(
            "state IN ('created', 'open', 'round_closed', 'closed')", name=op.f('ck_workshop_state')
        ),
        sa.CheckConstraint(
            '(cause_key IS NOT NULL AND cause_label IS NULL AND ingroup_label IS NULL '
            'AND outgroup_label IS NULL) OR (cause_key IS NULL AND cause_label IS NOT NULL '
            'AND ingroup_label IS NOT NULL AND outgroup_label IS NOT NULL)',
            name=op.f('ck_workshop_preset_or_custom_labels'),
        ),
        sa.CheckConstraint('k_room >= 5', name=op.f('ck_workshop_k_room_at_least_5')),
        sa.CheckConstraint('round BETWEEN 1 AND 2', name=op.f('ck_workshop_round_1_or_2')),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organization.id'],
            name=op.f('fk_workshop_organization_id_organization'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['account.id'],
            name=op.f('fk_workshop_owner_id_account'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop')),
        sa.UniqueConstraint('join_code', name=op.f('uq_workshop_join_code')),
    )
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_owner_id'), ['owner_id'], unique=False)

    op.create_table(
        'release',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=True),
        sa.Column('surface', sa.String(length=16), nullable=False),
        sa.Column('round', sa.SmallInteger(), nullable=True),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.CheckConstraint("surface IN ('room', 'dashboard')", name=op.f('ck_release_surface')),
        sa.CheckConstraint('n >= 0', name=op.f('ck_release_n_not_negative')),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organization.id'],
            name=op.f('fk_release_organization_id_organization'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['workshop_id'], ['workshop.id'],
            name=op.f('fk_release_workshop_id_workshop'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_release')),
    )
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_release_workshop_surface', ['workshop_id', 'surface', 'id'], unique=False)

    op.create_table(
        'release_take',
        sa.Column('release_id', sa.Integer(), nullable=False),
        sa.Column('take_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['release_id'], ['release.id'],
            name=op.f('fk_release_take_release_id_release'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['take_id'], ['take.id'], name=op.f('fk_release_take_take_id_take'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('release_id', 'take_id', name=op.f('pk_release_take')),
    )
    with op.batch_alter_table('release_take', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_take_take_id'), ['take_id'], unique=False)

    # Nullable, so existing takes need no default: they belong to no workshop.
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_take_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_take_workshop_id_workshop'), 'workshop', ['workshop_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_take_workshop_id_workshop'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_take_workshop_id'))
        batch_op.drop_column('workshop_id')

    with op.batch_alter_table('release_take', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_take_take_id'))
    op.drop_table('release_take')

    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_index('ix_release_workshop_surface')
        batch_op.drop_index(batch_op.f('ix_release_organization_id'))
    op.drop_table('release')

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_owner_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_organization_id'))
    op.drop_table('workshop')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_organization_id'))
    op.drop_table('account')
