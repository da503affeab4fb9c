"""ingredient stock: ingredients, recipes, stock moves, sell-outs

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-03 14:49:28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0020'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ingredients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('low_at', sa.Integer(), nullable=False),
    sa.Column('reorder_qty', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_ingredients_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingredients')),
    sa.UniqueConstraint('store_id', 'name', name=op.f('uq_ingredients_store_id_name'))
    )
    with op.batch_alter_table('ingredients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ingredients_store_id'), ['store_id'], unique=False)

    op.create_table('stock_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('ingredient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('client_key', models.base.Key(64), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('expected', sa.Integer(), nullable=True),
    sa.Column('counted', sa.Integer(), nullable=True),
    sa.Column('variance', sa.Integer(), nullable=True),
    sa.Column('on_hand_after', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_stock_moves_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_stock_moves_staff_id_staff')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_stock_moves_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_moves')),
    sa.UniqueConstraint('store_id', 'client_key', name=op.f('uq_stock_moves_store_id_client_key'))
    )
    with op.batch_alter_table('stock_moves', schema=None) as batch_op:
        batch_op.create_index('ix_stock_moves_ingredient', ['ingredient_id', 'id'], unique=False)

    op.create_table('stock_sellouts',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_stock_sellouts_item_id_items')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_stock_sellouts_store_id_stores')),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_stock_sellouts'))
    )
    with op.batch_alter_table('stock_sellouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_sellouts_store_id'), ['store_id'], unique=False)

    op.create_table('recipe_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('ingredient_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_recipe_lines_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_recipe_lines_item_id_items')),
    sa.ForeignKeyConstraint(['option_id'], ['options.id'], name=op.f('fk_recipe_lines_option_id_options')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_recipe_lines_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipe_lines'))
    )
    with op.batch_alter_table('recipe_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipe_lines_ingredient_id'), ['ingredient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipe_lines_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipe_lines_option_id'), ['option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipe_lines_store_id'), ['store_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('recipe_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipe_lines_store_id'))
        batch_op.drop_index(batch_op.f('ix_recipe_lines_option_id'))
        batch_op.drop_index(batch_op.f('ix_recipe_lines_item_id'))
        batch_op.drop_index(batch_op.f('ix_recipe_lines_ingredient_id'))

    op.drop_table('recipe_lines')
    with op.batch_alter_table('stock_sellouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_sellouts_store_id'))

    op.drop_table('stock_sellouts')
    with op.batch_alter_table('stock_moves', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_moves_ingredient')

    op.drop_table('stock_moves')
    with op.batch_alter_table('ingredients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ingredients_store_id'))

    op.drop_table('ingredients')
