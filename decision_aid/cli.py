"""The ``decision-aid`` command: the consultation window, or a headless sub-command.

Exit codes: 0 success; 1 the rule set is broken or its cases fail; 2 bad input
(an answers file, a setting, the command line). Problems print compiler-style,
``path:line:col: error[code]: message``, one per line, sorted and capped.

Only the argument parser lives here, so that opening the window imports nothing of the
sub-commands (:mod:`decision_aid.commands`), which load the domain and authoring tools.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from decision_aid import __version__
from decision_aid.governance.installation import default_rules_dir

__all__ = ["main"]

EXIT_FAILED = 1


VERIFY_TIME_LIMIT = 60.0
"""Seconds ``decision-aid verify`` gives the solver for a whole rule set by default."""


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 < seconds < 10**6:
        raise argparse.ArgumentTypeError(f"the time limit must be above 0 s, not '{text}'")
    return seconds


def _add_authoring_commands(commands: Any, bundled: Path) -> None:
    """The rule author's tools beyond check and test."""
    coverage = commands.add_parser("coverage", help="which rules and options the cases exercise")
    coverage.add_argument("rules_dir", nargs="?", type=Path, default=bundled, metavar="RULES_DIR")
    coverage.add_argument("--format", choices=("text", "json"), default="text")
    coverage.add_argument(
        "--fail-under", type=float, metavar="PERCENT",
        help="exit 1 if fewer rules than this were seen both true and false",
    )  # fmt: skip
    coverage.set_defaults(run="cmd_coverage")

    lint_cmd = commands.add_parser("lint", help="warnings: readability, unused references, …")
    lint_cmd.add_argument("rules_dir", nargs="?", type=Path, default=bundled, metavar="RULES_DIR")
    lint_cmd.add_argument("--format", choices=("text", "json"), default="text")
    lint_cmd.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    lint_cmd.add_argument(
        "--no-solver", action="store_true",
        help="skip the checks over every answer set (never-fires, never-decides, gap)",
    )  # fmt: skip
    lint_cmd.set_defaults(run="cmd_lint")

    docs = commands.add_parser("docs", help="write a readable reference of a rule set")
    docs.add_argument("rules_dir", nargs="?", type=Path, default=bundled, metavar="RULES_DIR")
    docs.add_argument("-o", "--output", type=Path, default=Path("rule-set-docs"), metavar="DIR")
    docs.add_argument("--format", choices=("text", "json"), default="text")
    docs.set_defaults(run="cmd_docs")

    verify_cmd = commands.add_parser("verify", help="prove safety properties with an SMT solver")
    verify_cmd.add_argument("rules_dir", nargs="?", type=Path, default=bundled, metavar="RULES_DIR")
    verify_cmd.add_argument("--format", choices=("text", "json"), default="text")
    verify_cmd.add_argument(
        "--time-limit",
        type=_positive_seconds,
        default=VERIFY_TIME_LIMIT,
        metavar="SECONDS",
        help="give the solver at most this long for the whole rule set (default 60); "
        "what it has not settled by then is reported undecided, never proved",
    )
    verify_cmd.set_defaults(run="cmd_verify")

    mutate = commands.add_parser(
        "mutate", help="mutation testing: would the cases or verify notice a wrong rule?"
    )
    mutate.add_argument("rules_dir", nargs="?", type=Path, default=bundled, metavar="RULES_DIR")
    mutate.add_argument("--format", choices=("text", "json"), default="text")
    mutate.add_argument(
        "--fail-under", type=float, metavar="PERCENT", help="exit 1 if fewer mutants are killed"
    )
    mutate.add_argument(
        "--no-verify", action="store_true", help="only the cases may kill mutants (faster)"
    )
    mutate.add_argument(
        "--rule", action="append", metavar="ID", help="mutate only this rule (repeatable)"
    )
    mutate.add_argument("-v", "--verbose", action="store_true", help="report each mutant")
    mutate.set_defaults(run="cmd_mutate")

    diff = commands.add_parser("diff", help="what changed between two rule sets, and its impact")
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument("--exit-code", action="store_true", help="exit 1 when anything changed")
    diff.add_argument(
        "--no-solver", action="store_true", help="skip the comparison over every answer set"
    )
    diff.add_argument(
        "--time-limit", type=_positive_seconds, default=VERIFY_TIME_LIMIT, metavar="SECONDS",
        help="give the solver at most this long (default 60); what it has not settled by "
        "then is reported undecided, never equivalent",
    )  # fmt: skip
    diff.set_defaults(run="cmd_diff")

    schema = commands.add_parser(
        "schema", help="write a rule set's JSON Schemas (its own ids included) for editors"
    )
    schema.add_argument("rules_dir", nargs="?", type=Path, default=bundled, metavar="RULES_DIR")
    schema.add_argument(
        "-o", "--output", type=Path, metavar="DIR",
        help="where to write them (default: RULES_DIR/schema, where the files' schema lines point)",
    )  # fmt: skip
    schema.add_argument("--format", choices=("text", "json"), default="text")
    schema.set_defaults(run="cmd_schema")


def _add_governance_commands(commands: Any) -> None:
    """Keys and approval (:mod:`decision_aid.governance_commands`)."""
    module = "decision_aid.governance_commands"
    passphrase = argparse.ArgumentParser(add_help=False)
    passphrase.add_argument(
        "--passphrase-file", metavar="FILE",
        help="read the passphrase from this file (default: ask; never on the command line)",
    )  # fmt: skip
    keys = commands.add_parser("keys", help="a reviewer's signing keys; the keys trusted here")
    actions = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    # No abbreviations where a passphrase file is named: "--passphrase X" is refused,
    # never read as --passphrase-file X.
    actions.add_parser(
        "new", parents=[passphrase], allow_abbrev=False,
        help="make a key pair (a passphrase of 8 or more characters)",
    )  # fmt: skip
    actions.add_parser("list", help="the keys held and the keys trusted")
    export = actions.add_parser("export", help="write a key's public half, for trust")
    export.add_argument("key", metavar="KEY", help="key id (or a unique start of it)")
    export.add_argument("-o", "--output", metavar="FILE", help="default: print it")
    trust = actions.add_parser("trust", help="trust a public key file for this user")
    trust.add_argument("file", metavar="FILE")
    keys.set_defaults(run="cmd_keys", module=module)

    approve_cmd = commands.add_parser(
        "approve", parents=[passphrase], allow_abbrev=False,
        help="sign a rule set's approval (writes approval.yaml)",
    )  # fmt: skip
    approve_cmd.add_argument("rules_dir", type=Path, metavar="RULES_DIR")
    approve_cmd.add_argument("--reviewer", required=True, metavar="NAME")
    approve_cmd.add_argument("--role", required=True, metavar="ROLE", help="e.g. 'Pain consultant'")
    approve_cmd.add_argument("--key", required=True, metavar="KEY", help="key id, or a .key file")
    approve_cmd.set_defaults(run="cmd_approve", module=module)


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


def _add_audit_commands(commands: Any) -> None:
    audit = commands.add_parser(
        "audit", help="the audit trail: sheets printed or saved, exports, overrides, loads"
    )
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check that no entry was edited, reordered or removed (exit 1 if any)"
    )
    verify.add_argument(
        "--anchor", action="append", type=_anchor, metavar="ENTRY:HASH",
        help="an entry's hash copied elsewhere earlier; it must still be there (repeatable)",
    )  # fmt: skip
    verify.add_argument("--format", choices=("text", "json"), default="text")
    verify.set_defaults(run="cmd_audit_verify")
    show = actions.add_parser("show", help="list the audit trail, oldest first")
    show.add_argument("--since", type=_day, metavar="DATE", help="from this day on (YYYY-MM-DD)")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(run="cmd_audit_show")


def _parser() -> argparse.ArgumentParser:
    # Without --rules: an approved set installed by the clinic's package, else the bundled draft.
    bundled = default_rules_dir()
    parser = argparse.ArgumentParser(
        prog="decision-aid",
        description="A shared decision aid: is ketamine therapy worth discussing for chronic pain? "
        "With no command, the consultation window opens.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--rules", type=Path, default=bundled, metavar="DIR",
        help="the rule set the consultation window opens (default: the bundled one)",
    )  # fmt: skip
    # Hidden: open the window, quit on its first paint (see decision_aid.gui.app).
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check a rule set; print its problems")
    check.add_argument("rules_dir", nargs="?", type=Path, default=bundled, metavar="RULES_DIR")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run="cmd_check")

    test = commands.add_parser("test", help="run a rule set's case files")
    test.add_argument("rules_dir", nargs="?", type=Path, default=bundled, metavar="RULES_DIR")
    test.add_argument("--format", choices=("text", "json"), default="text")
    test.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")
    test.set_defaults(run="cmd_test")

    questions = commands.add_parser("questions", help="print the questionnaire")
    questions.add_argument("--rules", type=Path, default=argparse.SUPPRESS, metavar="DIR")
    questions.add_argument("--format", choices=("text", "json"), default="text")
    questions.set_defaults(run="cmd_questions")

    evaluate_cmd = commands.add_parser("evaluate", help="assess an answers file")
    evaluate_cmd.add_argument("answers", nargs="?", metavar="ANSWERS.yaml")
    evaluate_cmd.add_argument("--rules", type=Path, default=argparse.SUPPRESS, metavar="DIR")
    evaluate_cmd.add_argument("--basis", metavar="NAME", help="guideline basis, e.g. nice_ng193")
    evaluate_cmd.add_argument("--format", choices=("text", "json"), default="text")
    evaluate_cmd.add_argument(
        "--jsonl", action="store_true", help="read one JSON answers object per stdin line"
    )
    evaluate_cmd.set_defaults(run="cmd_evaluate")

    sheet = commands.add_parser(
        "sheet", help="write the discussion sheet (PDF) for an answers file"
    )
    sheet.add_argument("answers", metavar="ANSWERS.yaml")
    sheet.add_argument("-o", "--output", required=True, metavar="SHEET.pdf")
    sheet.add_argument("--rules", type=Path, default=argparse.SUPPRESS, metavar="DIR")
    sheet.add_argument("--basis", metavar="NAME", help="guideline basis, e.g. nice_ng193")
    sheet.set_defaults(run="cmd_sheet")

    _add_authoring_commands(commands, bundled)
    _add_governance_commands(commands)

    _add_audit_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from decision_aid.gui.app import run  # Qt loads only for the window

        return run(args.rules, smoke_test=args.smoke_test)
    try:
        import importlib

        commands = importlib.import_module(getattr(args, "module", "decision_aid.commands"))
        code: int = getattr(commands, args.run)(args)
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
