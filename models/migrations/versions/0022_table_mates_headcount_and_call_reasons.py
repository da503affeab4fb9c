"""table-mates, headcount and call reasons: check_diners (who sits at an open check), stores.ask_headcount,
table_sessions.headcount, waiter_calls.reason and order_id

Revision ID: 0022
Revises: 0020a
Create Date: 2026-12-03 14:52:09.822708
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0022'
down_revision: str | None = '0020a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('check_diners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('table_session_id', sa.Integer(), nullable=False),
    sa.Column('diner_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['diner_id'], ['diners.id'], name=op.f('fk_check_diners_diner_id_diners')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_check_diners_store_id_stores')),
    sa.ForeignKeyConstraint(['table_session_id'], ['table_sessions.id'], name=op.f('fk_check_diners_table_session_id_table_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_diners')),
    sa.UniqueConstraint('table_session_id', 'diner_id', name=op.f('uq_check_diners_table_session_id_diner_id'))
    )
    with op.batch_alter_table('check_diners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_diners_diner_id'), ['diner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_diners_store_id'), ['store_id'], unique=False)

    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ask_headcount', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('table_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headcount', sa.Integer(), nullable=True))

    with op.batch_alter_table('waiter_calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('order_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_waiter_calls_order_id_orders'), 'orders', ['order_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('waiter_calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_waiter_calls_order_id_orders'), type_='foreignkey')
        batch_op.drop_column('order_id')
        batch_op.drop_column('reason')

    with op.batch_alter_table('table_sessions', schema=None) as batch_op:
        batch_op.drop_column('headcount')

    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('ask_headcount')

    with op.batch_alter_table('check_diners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_diners_store_id'))
        batch_op.drop_index(batch_op.f('ix_check_diners_diner_id'))

    op.drop_table('check_diners')
