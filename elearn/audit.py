"""Record security-relevant events (shown to admins)."""

from __future__ import annotations

from flask import has_request_context, request

from .extensions import db
from .models import AuditEvent


def record(event: str, actor_id: int | None = None, target: str = "", details: str = "") -> None:
    """Add an audit event to the current transaction (committed with the request's work)."""
    ip = (request.remote_addr or "") if has_request_context() else "cli"
    db.session.add(AuditEvent(event=event, actor_id=actor_id, target=target[:200], ip=ip[:45], details=details))
