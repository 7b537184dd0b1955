"""Writing to the audit log, inside the caller's transaction."""

from __future__ import annotations

from sqlmodel import Session, select

from server.audit.models import AuditEvent


def record(session: Session, *, actor_id: int | None, action: str, target_type: str, target_id: int | None,
           **details) -> None:
    session.add(AuditEvent(actor_id=actor_id, action=action, target_type=target_type, target_id=target_id,
                           details=details))


def events_for(session: Session, target_type: str, target_id: int) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.target_type == target_type,
                                                      AuditEvent.target_id == target_id).order_by(AuditEvent.id)))
