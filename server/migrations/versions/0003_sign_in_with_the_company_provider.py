"""sign in with the company's OpenID Connect provider

A sign-in sent to the provider is kept in the database until its callback (any node may
receive it): the oidclogin table. A group membership says whether the provider's group
claim made it, so a later sign-in can end it when the claim drops the group without
touching memberships admins made.

Databases made by create_all from these models, then stamped 0001 by server.db.migrate,
have both already.

Revision ID: 0003
Revises: 0002
Created: 2026-12-04 16:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table('oidclogin'):
        op.create_table('oidclogin',
        sa.Column('state_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('code_verifier', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('next_page', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('state_hash')
        )
        with op.batch_alter_table('oidclogin', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_oidclogin_expires_at'), ['expires_at'], unique=False)

    if 'from_claim' not in {column['name'] for column in inspector.get_columns('groupmember')}:
        with op.batch_alter_table('groupmember', schema=None) as batch_op:
            batch_op.add_column(sa.Column('from_claim', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('groupmember', schema=None) as batch_op:
        batch_op.drop_column('from_claim')

    with op.batch_alter_table('oidclogin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oidclogin_expires_at'))

    op.drop_table('oidclogin')
