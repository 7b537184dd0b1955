"""a search remembers the collections it found

searchevent.hit_collections (",3,7,") lets the analytics reports leave out the searches
that found cards in a collection the reader may not read. Searches made before keep ''
(found in no restricted collection as far as anyone can tell now).

Revision ID: 0008
Revises: 0007
Created: 2026-12-04 18:30:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if 'hit_collections' not in {column['name'] for column in inspector.get_columns('searchevent')}:
        op.add_column('searchevent', sa.Column('hit_collections', sqlmodel.sql.sqltypes.AutoString(length=500),
                                               server_default='', nullable=False))


def downgrade() -> None:
    op.drop_column('searchevent', 'hit_collections')
