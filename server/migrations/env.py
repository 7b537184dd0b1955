"""Alembic's entry point: runs on the connection `server.db.migrate` hands it, inside that
connection's transaction (which holds the lock that lets one process migrate at a time)."""

from alembic import context
from sqlmodel import SQLModel

import server.models  # noqa: F401  (registers every table)

context.configure(connection=context.config.attributes["connection"], target_metadata=SQLModel.metadata,
                  render_as_batch=True, compare_type=True)  # batch: SQLite alters a table by copying it
with context.begin_transaction():
    context.run_migrations()
