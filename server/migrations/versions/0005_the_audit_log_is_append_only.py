"""the audit log is append-only

No route changes or deletes an audit event; the database refuses it too, so a bug, a
script or a person with the database's password cannot quietly rewrite who did what.

Revision ID: 0005
Revises: 0004
Created: 2026-12-04 16:20:00.000000
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

MESSAGE = "the audit log is append-only: its events cannot be changed or deleted"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE OR REPLACE FUNCTION vouch_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                       BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""")
        op.execute("CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON auditevent "
                   "FOR EACH ROW EXECUTE FUNCTION vouch_audit_append_only()")
    else:
        for change in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER IF NOT EXISTS auditevent_no_{change.lower()} BEFORE {change} ON auditevent "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS auditevent_append_only ON auditevent")
        op.execute("DROP FUNCTION IF EXISTS vouch_audit_append_only()")
    else:
        for change in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS auditevent_no_{change}")
