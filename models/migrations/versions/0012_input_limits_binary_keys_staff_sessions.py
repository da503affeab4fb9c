"""input limits: portion caps per round and check, BIGINT sums, binary keys, revoked staff sessions

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

import models.base

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, length, nullable): compared byte for byte on MariaDB (utf8mb4_nopad_bin); SQLite
# compares bytes already, so only MariaDB's columns change.
KEYS = [
    ("staff", "username", 40, False),
    ("stores", "slug", 40, False),
    ("orders", "client_key", 64, False),
    ("payments", "client_key", 64, False),
    ("payments", "out_trade_no", 32, False),
    ("refunds", "client_key", 64, False),
    ("refunds", "out_refund_no", 64, False),
    ("diners", "openid_hash", 64, False),
    ("kitchen_devices", "pairing_code_hash", 64, True),
    ("kitchen_devices", "token_hash", 64, True),
    ("cart_lines", "line_key", 255, False),
    ("waiter_calls", "open_key", 40, True),
]


def _collate(collation: str) -> None:
    for table, column, length, nullable in KEYS:
        op.alter_column(table, column, existing_type=sa.String(length), existing_nullable=nullable,
                        type_=mysql.VARCHAR(length, charset="utf8mb4", collation=collation))


def _normalise_usernames() -> None:
    """Usernames are kept stripped and in lower case; one that would collide keeps its spelling."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, store_id, username FROM staff")).all()
    taken = {(r.store_id, r.username) for r in rows}
    for r in rows:
        wanted = r.username.strip().lower()
        if wanted != r.username and (r.store_id, wanted) not in taken:
            conn.execute(sa.text("UPDATE staff SET username = :u WHERE id = :id"), {"u": wanted, "id": r.id})
            taken.discard((r.store_id, r.username))
            taken.add((r.store_id, wanted))


def upgrade() -> None:
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_portions_round', sa.Integer(), server_default='200', nullable=False))
        batch_op.add_column(sa.Column('max_portions_check', sa.Integer(), server_default='500', nullable=False))
    with op.batch_alter_table('table_sessions', schema=None) as batch_op:
        batch_op.alter_column('paid', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('refunded', existing_type=sa.Integer(), type_=sa.BigInteger(),
                              existing_nullable=False, existing_server_default='0')
    op.create_table('revoked_staff_sessions',
        sa.Column('session_id', models.base.Key(32), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('expires_at', models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_revoked_staff_sessions_staff_id_staff')),
        sa.PrimaryKeyConstraint('session_id', name=op.f('pk_revoked_staff_sessions')),
    )
    with op.batch_alter_table('revoked_staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revoked_staff_sessions_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revoked_staff_sessions_expires_at'), ['expires_at'], unique=False)
    _normalise_usernames()
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        _collate("utf8mb4_nopad_bin")


def downgrade() -> None:
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        _collate("utf8mb4_unicode_ci")
    op.drop_table('revoked_staff_sessions')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('refunded', existing_type=sa.BigInteger(), type_=sa.Integer(),
                              existing_nullable=False, existing_server_default='0')
    with op.batch_alter_table('table_sessions', schema=None) as batch_op:
        batch_op.alter_column('paid', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('max_portions_check')
        batch_op.drop_column('max_portions_round')
