"""one payment in flight per scope; overpayments kept and refunded

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 11:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flight_key', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_payments_flight_key'), ['flight_key'])

    with op.batch_alter_table('payment_anomalies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('amount', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_payment_anomalies_payment_id'), ['payment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_payment_anomalies_payment_id_payments'), 'payments',
                                    ['payment_id'], ['id'])

    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overpayment', sa.Boolean(), server_default='0', nullable=False))

    # Payments in flight before this revision take their scope now, newest per scope first; the
    # older ones of a scope stay unkeyed and are closed by the reconcile cron as before.
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, table_session_id, order_id FROM payments WHERE status IN ('created', 'paying') "
        "AND channel = 'wechat_jsapi' ORDER BY id DESC")).fetchall()
    taken: set[str] = set()
    for pid, check_id, order_id in rows:
        key = f"order:{order_id}" if order_id is not None else f"check:{check_id}"
        if key not in taken:
            taken.add(key)
            conn.execute(sa.text("UPDATE payments SET flight_key = :k WHERE id = :i"), {"k": key, "i": pid})


def downgrade() -> None:
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_column('overpayment')

    with op.batch_alter_table('payment_anomalies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_anomalies_payment_id_payments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_payment_anomalies_payment_id'))
        batch_op.drop_column('amount')
        batch_op.drop_column('payment_id')

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_payments_flight_key'), type_='unique')
        batch_op.drop_column('flight_key')
