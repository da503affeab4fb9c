"""report days: closed business days summarised

Revision ID: 0020a
Revises: 0019
Create Date: 2026-12-03 15:15:34.285278
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0020a'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('report_days',
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('late_after_s', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('computed_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_report_days_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', 'day', name=op.f('pk_report_days'))
    )



def downgrade() -> None:

    op.drop_table('report_days')

