"""collections and customers get access lists

A collection is open (every member reads and edits it) or restricted; collectiongrant is its
access list, a user or a group with a role (read, edit, verify or own). customeraccess names
the groups that alone read a restricted customer's facts.

Databases made by create_all from these models, then stamped 0001 by server.db.migrate,
have them already.

Revision ID: 0007
Revises: 0006
Created: 2026-12-04 17:45:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if 'restricted' not in {column['name'] for column in inspector.get_columns('collection')}:
        # A plain ADD COLUMN: SQLite's batch mode would copy the table, and dropping the old copy
        # fails while cards and trust snapshots refer to it.
        op.add_column('collection', sa.Column('restricted', sa.Boolean(), server_default=sa.false(), nullable=False))
    if not inspector.has_table('collectiongrant'):
        op.create_table('collectiongrant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('collection_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['collection_id'], ['collection.id'], ),
        sa.ForeignKeyConstraint(['group_id'], ['user_group.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        with op.batch_alter_table('collectiongrant', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_collectiongrant_collection_id'), ['collection_id'], unique=False)
            batch_op.create_index(batch_op.f('ix_collectiongrant_group_id'), ['group_id'], unique=False)
            batch_op.create_index(batch_op.f('ix_collectiongrant_user_id'), ['user_id'], unique=False)
    if not inspector.has_table('customeraccess'):
        op.create_table('customeraccess',
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
        sa.ForeignKeyConstraint(['group_id'], ['user_group.id'], ),
        sa.PrimaryKeyConstraint('customer_id', 'group_id')
        )
        with op.batch_alter_table('customeraccess', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_customeraccess_group_id'), ['group_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('customeraccess', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customeraccess_group_id'))
    op.drop_table('customeraccess')
    with op.batch_alter_table('collectiongrant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collectiongrant_user_id'))
        batch_op.drop_index(batch_op.f('ix_collectiongrant_group_id'))
        batch_op.drop_index(batch_op.f('ix_collectiongrant_collection_id'))
    op.drop_table('collectiongrant')
    op.drop_column('collection', 'restricted')
