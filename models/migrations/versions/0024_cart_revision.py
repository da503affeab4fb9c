"""table_sessions.cart_revision: the shared cart's change count, so a phone can tell a late,
older cart (a slow answer, events out of order) from the newest one and keep the newest

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 01:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('table_sessions') as batch:
        batch.add_column(sa.Column('cart_revision', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('table_sessions') as batch:
        batch.drop_column('cart_revision')
