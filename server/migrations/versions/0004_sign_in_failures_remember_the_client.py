"""sign-in failures remember the client

Limits on guessing count per client address as well as per account: a wrong password is
kept with the address it came from (signinfailure.client).

Databases made by create_all from these models, then stamped 0001 by server.db.migrate,
have it already.

Revision ID: 0004
Revises: 0003
Created: 2026-12-04 16:10:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if 'client' not in {column['name'] for column in inspector.get_columns('signinfailure')}:
        with op.batch_alter_table('signinfailure', schema=None) as batch_op:
            batch_op.add_column(sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=45), server_default='',
                                          nullable=False))
            batch_op.create_index(batch_op.f('ix_signinfailure_client'), ['client'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signinfailure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signinfailure_client'))
        batch_op.drop_column('client')
