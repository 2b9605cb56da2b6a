# Governance's public names, written once: type checkers read them here, and
# decision_aid/governance/__init__.py loads each on first use from this same list.
from .approval import ApprovalError as ApprovalError
from .approval import ApprovalKind as ApprovalKind
from .approval import ApprovalState as ApprovalState
from .approval import approval_problems as approval_problems
from .approval import approval_state as approval_state
from .approval import approve as approve
from .audit import AuditError as AuditError
from .audit import AuditEvent as AuditEvent
from .audit import AuditLog as AuditLog
from .audit import record as record
