"""one overall trust snapshot a day

SQL counts NULLs as distinct in a unique constraint, so UNIQUE (day, collection_id) let
two nodes both write a day's overall row (collection_id NULL). A unique index on day,
partial to the overall rows, allows one. Overall rows written twice before it are
deleted first (the lowest id of each day stays), or building the index would fail on
the databases it is meant for.

Revision ID: 0002
Revises: 0001
Created: 2026-12-04 15:04:47.214743
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

INDEX = 'uq_trustsnapshot_overall_day'
OVERALL = sa.text('collection_id IS NULL')


def upgrade() -> None:
    op.execute("DELETE FROM trustsnapshot WHERE collection_id IS NULL AND id NOT IN "
               "(SELECT MIN(id) FROM trustsnapshot WHERE collection_id IS NULL GROUP BY day)")
    # Tables made by create_all from these models, then stamped 0001 by server.db.migrate
    # (a database with tables and no alembic_version), have the index already.
    if INDEX in {index['name'] for index in sa.inspect(op.get_bind()).get_indexes('trustsnapshot')}:
        return
    op.create_index(INDEX, 'trustsnapshot', ['day'], unique=True, sqlite_where=OVERALL, postgresql_where=OVERALL)


def downgrade() -> None:
    op.drop_index(INDEX, table_name='trustsnapshot')
