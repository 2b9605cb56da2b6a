"""``decision-aid audit verify|show``: check and list the audit trail. Exit 1 when the
trail is not whole (verify) or cannot be read."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format

if TYPE_CHECKING:
    from decision_aid.governance.audit import AuditLog, Verification

NAME = "audit"
HELP = "the audit trail: sheets printed or saved, exports, overrides, loads"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it YYYY-MM-DD") from None


def _anchor(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    if not (seq.isdigit() and len(digest) == 64 and set(digest) <= set("0123456789abcdef")):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an anchor; write ENTRY:HASH (the 64 hex digits verify printed)"
        )
    return int(seq), digest


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check that no entry was edited, reordered or removed (exit 1 if any)"
    )
    verify.add_argument(
        "--anchor", action="append", type=_anchor, metavar="ENTRY:HASH",
        help="an entry's hash copied elsewhere earlier; it must still be there (repeatable)",
    )  # fmt: skip
    add_format(verify)
    show = actions.add_parser("show", help="list the audit trail, oldest first")
    show.add_argument("--since", type=_day, metavar="DATE", help="from this day on (YYYY-MM-DD)")
    add_format(show)


def run(args: argparse.Namespace) -> int:
    actions: dict[str, Callable[[argparse.Namespace], int]] = {"verify": _verify, "show": _show}
    return actions[args.audit_command](args)


def _verification(log: AuditLog, anchors: dict[int, str] | None = None) -> Verification | None:
    from decision_aid.cli.output import error
    from decision_aid.governance.audit import AuditError

    try:
        return log.verify(anchors=anchors)
    except AuditError as failed:
        error(str(failed))
        return None


def _verify(args: argparse.Namespace) -> int:
    from decision_aid.cli.output import print_json
    from decision_aid.governance.audit import AuditLog

    log = AuditLog()
    result = _verification(log, dict(args.anchor or []))
    if result is None:
        return EXIT_FAILED
    head_hash = str(result.entries[-1].hash) if result.entries else ""
    if args.format == "json":
        print_json(
            {
                "log": str(log.log_path),
                "entries": len(result.entries),
                "ok": result.ok,
                "head_hash": head_hash,
                "problems": list(result.problems),
                "notices": list(result.notices),
            }
        )
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


def _show(args: argparse.Namespace) -> int:
    import sys

    from decision_aid.cli.output import print_json
    from decision_aid.governance.audit import AuditLog

    result = _verification(AuditLog())
    if result is None:
        return EXIT_FAILED
    start = args.since.isoformat() if args.since else ""
    shown = [e for e in result.entries if e.time[:10] >= start]
    if args.format == "json":
        print_json([dict(e.data) for e in shown])
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
