"""Governance: who approved a rule set, which keys are trusted, and the audit trail.

It may import the domain and storage; the window, the sheet and the CLI read it; the
domain never does (import-linter keeps it so).
"""

from __future__ import annotations

from decision_aid.governance.approval import (
    ApprovalError,
    ApprovalKind,
    ApprovalState,
    approval_problems,
    approval_state,
    approve,
)
from decision_aid.governance.audit import AuditError, AuditEvent, AuditLog, record

__all__ = [
    "ApprovalError",
    "ApprovalKind",
    "ApprovalState",
    "AuditError",
    "AuditEvent",
    "AuditLog",
    "approval_problems",
    "approval_state",
    "approve",
    "record",
]
