"""Governance: approval signatures, trusted keys (and, with issue #17's audit slice, the
audit log). It reads the domain and storage; the window, the sheet and the CLI read it;
the domain never does (import-linter keeps it so)."""

from __future__ import annotations

from decision_aid.governance.approval import (
    ApprovalError,
    ApprovalKind,
    ApprovalState,
    approval_problems,
    approval_state,
    approve,
)

__all__ = [
    "ApprovalError",
    "ApprovalKind",
    "ApprovalState",
    "approval_problems",
    "approval_state",
    "approve",
]
