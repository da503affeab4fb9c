"""payments: an index on reversal, so the payment-code pollers (every second in every process:
paying, or a reversal pending) read a few rows instead of the whole table

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 16:35:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_payments_reversal', 'payments', ['reversal'])


def downgrade() -> None:
    op.drop_index('ix_payments_reversal', table_name='payments')
