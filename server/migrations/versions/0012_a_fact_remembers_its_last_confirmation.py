"""a fact remembers its last confirmation

quickfact.confirmed_at and .confirmed_by_id: when someone last said the fact still holds (by
saving its text or confirming it as it is), so an old one can be marked "may be stale". Facts
made before count as confirmed by their last save: confirmed_at = updated_at, by updated_by_id.

Plain ALTER TABLE ADD COLUMN: both columns are nullable, and batch mode (copy the table)
fails on SQLite for tables that others reference.

Revision ID: 0012
Revises: 0011
Created: 2026-12-04 21:10:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {column['name'] for column in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # A database made before migrations already has them (see add_missing_columns).
    columns = _columns('quickfact')
    if 'confirmed_at' not in columns:
        op.add_column('quickfact', sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    if 'confirmed_by_id' not in columns:
        _add_confirmed_by()
    op.execute('UPDATE quickfact SET confirmed_at = updated_at, confirmed_by_id = updated_by_id '
               'WHERE confirmed_at IS NULL')


def _add_confirmed_by() -> None:
    """SQLite adds a column's foreign key only in the same ALTER (Alembic would send a second
    one, which SQLite has not); PostgreSQL takes the constraint as its own statement."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE quickfact ADD COLUMN confirmed_by_id INTEGER REFERENCES "user" (id)')
    else:
        op.add_column('quickfact', sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key('quickfact_confirmed_by_id_fkey', 'quickfact', 'user', ['confirmed_by_id'], ['id'])


def downgrade() -> None:
    op.drop_column('quickfact', 'confirmed_by_id')
    op.drop_column('quickfact', 'confirmed_at')
