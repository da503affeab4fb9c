"""operations: indexes for the metrics scrape (open tickets per station, payments stuck paying);
kitchen screens' last_seen_at for staff warnings

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-03 11:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0017'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_tickets_status_store_station', 'tickets', ['status', 'store_id', 'station', 'created_at'])
    op.create_index('ix_payments_status_created', 'payments', ['status', 'created_at'])
    with op.batch_alter_table('kitchen_devices') as batch:
        batch.add_column(sa.Column('last_seen_at', models.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kitchen_devices') as batch:
        batch.drop_column('last_seen_at')
    op.drop_index('ix_payments_status_created', table_name='payments')
    op.drop_index('ix_tickets_status_store_station', table_name='tickets')
