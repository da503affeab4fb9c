"""operations: indexes for the metrics scrape (open tickets per station, payments stuck paying)

Revision ID: 0017
Revises: 0010
Create Date: 2026-12-03 11:50:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0017'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_tickets_status_store_station', 'tickets', ['status', 'store_id', 'station', 'created_at'])
    op.create_index('ix_payments_status_created', 'payments', ['status', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_payments_status_created', table_name='payments')
    op.drop_index('ix_tickets_status_store_station', table_name='tickets')
