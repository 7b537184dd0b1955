"""customers are known by their handles

customerhandle keeps a customer's chat and social names, phone numbers and help desk user
names, so a conversation without an email address still finds its customer. One customer
per handle, as with email addresses and domains.

Revision ID: 0010
Revises: 0009
Created: 2026-12-04 18:40:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table('customerhandle'):
        op.create_table('customerhandle',
        sa.Column('handle', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
        sa.PrimaryKeyConstraint('handle')
        )
        with op.batch_alter_table('customerhandle', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_customerhandle_customer_id'), ['customer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('customerhandle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customerhandle_customer_id'))
    op.drop_table('customerhandle')
