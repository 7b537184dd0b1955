"""adapters report what they cannot read

adapterfailure keeps what the extension reports when a help desk's page no longer has what
an adapter looks for: the adapter, its version, the host and the failed check (no page
content), for the admins' adapter health page.

Revision ID: 0009
Revises: 0008
Created: 2026-12-04 18:10:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table('adapterfailure'):
        op.create_table('adapterfailure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('adapter', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('adapter_version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=253), nullable=False),
        sa.Column('check_name', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        with op.batch_alter_table('adapterfailure', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_adapterfailure_adapter'), ['adapter'], unique=False)
            batch_op.create_index(batch_op.f('ix_adapterfailure_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('adapterfailure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adapterfailure_created_at'))
        batch_op.drop_index(batch_op.f('ix_adapterfailure_adapter'))
    op.drop_table('adapterfailure')
