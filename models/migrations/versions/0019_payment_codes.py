"""payment codes: polls, the next poll's lease, reversal and failure on payments

Revision ID: 0019
Revises: 0020
Create Date: 2026-12-03 15:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0019'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('polls', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('next_poll_at', models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reversal', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('failure', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_column('failure')
        batch_op.drop_column('reversal')
        batch_op.drop_column('next_poll_at')
        batch_op.drop_column('polls')
