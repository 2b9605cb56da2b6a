"""``decision-aid diff OLD NEW``: what changed between two rule sets, and its impact."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format
from decision_aid.cli.verify import TIME_LIMIT, positive_seconds

NAME = "diff"
HELP = "what changed between two rule sets, and its impact"


def configure(parser: argparse.ArgumentParser) -> None:
    # Two rule sets, old and new: named by place, not by --rules, which names one.
    parser.add_argument("old", type=Path, metavar="OLD")
    parser.add_argument("new", type=Path, metavar="NEW")
    add_format(parser)
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when anything changed")
    parser.add_argument(
        "--no-solver", action="store_true", help="skip the comparison over every answer set"
    )
    parser.add_argument(
        "--time-limit", type=positive_seconds, default=TIME_LIMIT, metavar="SECONDS",
        help="give the solver at most this long (default 60); what it has not settled by "
        "then is reported undecided, never equivalent",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from decision_aid.authoring.diff import diff_rule_sets
    from decision_aid.cli.output import load, print_json
    from decision_aid.cli.solver import use_solver

    old, new = load(args.old, args.format), load(args.new, args.format)
    if old is None or new is None:
        return EXIT_FAILED
    solver = use_solver(args.no_solver, "the comparison over every answer set needs z3")
    result = diff_rule_sets(old, args.old, new, args.new, solver=solver, time_limit=args.time_limit)
    if args.format == "json":
        print_json(result.as_dict())
    else:
        print(f"{old.info.id} {old.info.version} -> {new.info.id} {new.info.version}")
        for change in result.changes:
            print(f"  {change.kind} {change.id}: {change.what}")
            for f in change.fields:
                print(f"      {f.field}: {_flow(f.old)} → {_flow(f.new)}")
        print(f"impact on the cases of both versions: {len(result.impacts)} case(s) change")
        for impact in result.impacts:
            print(f"  {impact.where}: {impact.case}")
            print(f"      before: {impact.old}")
            print(f"      after:  {impact.new}")
        for comparison in result.solver or ():
            where = ", ".join(f"{k} = {v}" for k, v in comparison.settings.items())
            verdict = {True: "equivalent", False: "outcomes differ", None: "undecided"}
            print(f"over every answer set [{where or 'no settings'}]: "
                  f"{verdict[comparison.equivalent]}")  # fmt: skip
            if comparison.equivalent is None:
                print(f"  not settled within {args.time_limit:g} s; give it --time-limit SECONDS")
            for example in comparison.examples:
                print(f"  {_flow(example.answers)}")
                print(f"      before: {example.old}")
                print(f"      after:  {example.new}")
    return EXIT_FAILED if result.changed() and args.exit_code else EXIT_OK


def _flow(value: object) -> str:
    """A value on one line, as JSON writes it (and YAML reads it); none for a missing one."""
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)
