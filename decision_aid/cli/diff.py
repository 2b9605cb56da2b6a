"""``decision-aid diff OLD NEW``: what changed between two rule sets, and its impact."""

from __future__ import annotations

import argparse
from pathlib import Path

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format

NAME = "diff"
HELP = "what changed between two rule sets, and its impact"


def configure(parser: argparse.ArgumentParser) -> None:
    # Two rule sets, old and new: named by place, not by --rules, which names one.
    parser.add_argument("old", type=Path, metavar="OLD")
    parser.add_argument("new", type=Path, metavar="NEW")
    add_format(parser)
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when anything changed")


def run(args: argparse.Namespace) -> int:
    from decision_aid.authoring.diff import diff_rule_sets
    from decision_aid.cli.output import load, print_json

    old, new = load(args.old, args.format), load(args.new, args.format)
    if old is None or new is None:
        return EXIT_FAILED
    result = diff_rule_sets(old, args.old, new, args.new)
    if args.format == "json":
        print_json(result.as_dict())
    else:
        print(f"{old.info.id} {old.info.version} -> {new.info.id} {new.info.version}")
        for change in result.changes:
            print(f"  {change.kind} {change.id}: {change.what}")
        print(f"impact on the cases of both versions: {len(result.impacts)} case(s) change")
        for impact in result.impacts:
            print(f"  {impact.where}: {impact.case}")
            print(f"      before: {impact.old}")
            print(f"      after:  {impact.new}")
    changed = bool(result.changes or result.impacts)
    return EXIT_FAILED if changed and args.exit_code else EXIT_OK
