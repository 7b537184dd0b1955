"""a token says what made it

The origin a card revision records (sidebar or API) is taken from the token a save comes
with, not from the request body: apitoken.kind says whether the extension's connect page
made the token.

Revision ID: 0006
Revises: 0005
Created: 2026-12-04 16:30:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if 'kind' not in {column['name'] for column in inspector.get_columns('apitoken')}:
        with op.batch_alter_table('apitoken', schema=None) as batch_op:
            batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20),
                                          server_default='personal', nullable=False))
        # Tokens the connect page made before: it names them so.
        op.execute("UPDATE apitoken SET kind = 'extension' WHERE name = 'Browser extension'")


def downgrade() -> None:
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.drop_column('kind')
