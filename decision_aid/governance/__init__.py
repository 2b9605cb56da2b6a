"""Governance: who approved a rule set, which keys are trusted, and the audit trail.

It may import the domain and storage; the domain imports nothing of it.
"""

from __future__ import annotations

from decision_aid.governance.audit import AuditError, AuditEvent, AuditLog, record

__all__ = ["AuditError", "AuditEvent", "AuditLog", "record"]
