"""``decision-aid audit verify|show``, and the record of a sheet the command line writes.

Kept beside the log rather than in :mod:`decision_aid.commands`, so the audit's wording
lives in one place. Exit codes as elsewhere: 0 whole, 1 not whole or not recorded.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decision_aid.governance.audit import AuditError, AuditEvent, AuditLog, Verification

if TYPE_CHECKING:
    from decision_aid.domain import Assessment, RuleSet
    from decision_aid.governance.audit_entries import SupportsKind

__all__ = ["cmd_audit_show", "cmd_audit_verify", "record_sheet"]

EXIT_OK, EXIT_FAILED = 0, 1


def _verification(log: AuditLog, anchors: dict[int, str] | None = None) -> Verification | None:
    try:
        return log.verify(anchors=anchors)
    except AuditError as error:
        print(f"error: {error}", file=sys.stderr)
        return None


def cmd_audit_verify(args: argparse.Namespace) -> int:
    log = AuditLog()
    result = _verification(log, dict(args.anchor or []))
    if result is None:
        return EXIT_FAILED
    head_hash = str(result.entries[-1].hash) if result.entries else ""
    if args.format == "json":
        summary = {
            "log": str(log.log_path),
            "entries": len(result.entries),
            "ok": result.ok,
            "head_hash": head_hash,
            "problems": list(result.problems),
            "notices": list(result.notices),
        }
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK if result.ok else EXIT_FAILED
    for problem in result.problems:
        print(f"{log.log_path}: error: {problem}")
    for notice in result.notices:
        print(f"{log.log_path}: note: {notice}")
    if result.ok:
        newest = f"; entry {len(result.entries)} has hash {head_hash}" if head_hash else ""
        print(f"{log.log_path}: {len(result.entries)} entries, whole and in order{newest}")
        return EXIT_OK
    print(f"{log.log_path}: NOT WHOLE: {len(result.problems)} problem(s)")
    return EXIT_FAILED


def cmd_audit_show(args: argparse.Namespace) -> int:
    log = AuditLog()
    result = _verification(log)
    if result is None:
        return EXIT_FAILED
    start = args.since.isoformat() if args.since else ""
    shown = [e for e in result.entries if e.time[:10] >= start]
    if args.format == "json":
        json.dump([dict(e.data) for e in shown], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for entry in shown:
            print(entry.describe())
        if not shown:
            print("(no entries)" if not start else f"(no entries since {start})")
    if not result.ok:
        print(
            "warning: the audit log is not whole; `decision-aid audit verify` says where",
            file=sys.stderr,
        )
    return EXIT_OK


def record_sheet(
    *,
    rule_set: RuleSet,
    answers: Mapping[str, Any],
    assessment: Assessment,
    output: Path,
    approval: SupportsKind | None = None,
    event: str = "sheet-written",
) -> str | None:
    """Record a sheet the CLI is about to write (``sheet-written``), or one it then could
    not write (``sheet-not-written``). The record comes first, so no sheet leaves the
    command line unrecorded, and a failed record leaves the old file as it was.

    Returns the error to print, or None.
    """
    entry = AuditEvent(
        event,
        rule_set_id=rule_set.info.id,
        version=rule_set.info.version,
        digest=rule_set.digest,
        approval=approval.kind if approval is not None else "not-checked",
        outcome=assessment.outcome.id,
        target=str(output),
        answers=answers,
    )
    try:
        AuditLog().append(entry)
    except AuditError as error:
        return f"it could not be recorded in the audit trail ({error})"
    return None
