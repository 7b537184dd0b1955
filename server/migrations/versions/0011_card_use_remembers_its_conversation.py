"""card use remembers its conversation

carduse.conversation, .host and .customer_id, and searchevent.conversation: the reports can
follow one conversation from the search to the card opened, copied or inserted into the
reply, and say on which site and for which customer. Rows made before keep NULL.

Plain ALTER TABLE ADD COLUMN: every column is nullable, and batch mode (copy the table)
fails on SQLite for tables that others reference. carduse.customer_id is the exception on
SQLite (see _add_customer_id).

Revision ID: 0011
Revises: 0010
Created: 2026-12-04 21:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def _columns(table: str) -> set[str]:
    return {column['name'] for column in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # A database made before migrations already has them (see add_missing_columns).
    card_use = _columns('carduse')
    if 'conversation' not in card_use:
        op.add_column('carduse', sa.Column('conversation', _TEXT(length=300), nullable=True))
    if 'host' not in card_use:
        op.add_column('carduse', sa.Column('host', _TEXT(length=255), nullable=True))
    if 'customer_id' not in card_use:
        _add_customer_id()
    if 'conversation' not in _columns('searchevent'):
        op.add_column('searchevent', sa.Column('conversation', _TEXT(length=300), nullable=True))


def _add_customer_id() -> None:
    """A deleted customer leaves its uses counted, with no customer (ON DELETE SET NULL).
    SQLite adds a column's foreign key only inline, where its ON DELETE cannot be read back;
    no table refers to carduse, so it is copied into its new shape instead."""
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('carduse', recreate='always') as batch_op:
            batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key('fk_carduse_customer_id_customer', 'customer', ['customer_id'], ['id'],
                                        ondelete='SET NULL')
    else:
        op.add_column('carduse', sa.Column('customer_id', sa.Integer(), nullable=True))
        op.create_foreign_key('carduse_customer_id_fkey', 'carduse', 'customer', ['customer_id'], ['id'],
                              ondelete='SET NULL')


def downgrade() -> None:
    op.drop_column('searchevent', 'conversation')
    op.drop_column('carduse', 'customer_id')
    op.drop_column('carduse', 'host')
    op.drop_column('carduse', 'conversation')
