"""reports and coupons: report indexes, ticket recalls, coupons and their claims

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-03 11:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0018'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('coupons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('min_spend', sa.Integer(), nullable=False),
    sa.Column('starts_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('ends_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('per_diner', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('claimed', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], name=op.f('fk_coupons_created_by_staff')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_coupons_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupons'))
    )
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coupons_store_id'), ['store_id'], unique=False)

    op.create_table('coupon_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('coupon_id', sa.Integer(), nullable=False),
    sa.Column('diner_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('table_session_id', sa.Integer(), nullable=True),
    sa.Column('discount', sa.Integer(), nullable=False),
    sa.Column('claimed_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('used_at', models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['coupon_id'], ['coupons.id'], name=op.f('fk_coupon_claims_coupon_id_coupons')),
    sa.ForeignKeyConstraint(['diner_id'], ['diners.id'], name=op.f('fk_coupon_claims_diner_id_diners')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_coupon_claims_payment_id_payments')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_coupon_claims_store_id_stores')),
    sa.ForeignKeyConstraint(['table_session_id'], ['table_sessions.id'],
                            name=op.f('fk_coupon_claims_table_session_id_table_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupon_claims')),
    sa.UniqueConstraint('coupon_id', 'diner_id', 'seq', name=op.f('uq_coupon_claims_coupon_id_diner_id_seq')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_coupon_claims_payment_id'))
    )
    with op.batch_alter_table('coupon_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coupon_claims_coupon_id'), ['coupon_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coupon_claims_diner_id'), ['diner_id'], unique=False)
        batch_op.create_index('ix_coupon_claims_store_used', ['store_id', 'used_at'], unique=False)

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recalls', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_tickets_store_created', ['store_id', 'created_at'], unique=False)

    with op.batch_alter_table('table_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coupon_discount', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_index('ix_table_sessions_store_closed', ['store_id', 'closed_at'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_store_created', ['store_id', 'created_at'], unique=False)

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index('ix_payments_store_paid', ['store_id', 'paid_at'], unique=False)

    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index('ix_refunds_store_done', ['store_id', 'done_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index('ix_refunds_store_done')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('ix_payments_store_paid')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_store_created')
    with op.batch_alter_table('table_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_table_sessions_store_closed')
        batch_op.drop_column('coupon_discount')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_store_created')
        batch_op.drop_column('recalls')
    op.drop_table('coupon_claims')
    op.drop_table('coupons')
