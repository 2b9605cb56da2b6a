"""``decision-aid lint``: warnings a sound rule set may still deserve."""

from __future__ import annotations

import argparse

from decision_aid.cli.options import (
    EXIT_FAILED,
    EXIT_OK,
    add_format,
    add_rules,
    add_settings,
)

NAME = "lint"
HELP = "warnings: readability, unused references, …"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True)
    add_settings(parser)
    add_format(parser)
    parser.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    parser.add_argument(
        "--no-solver", action="store_true",
        help="skip the checks over every answer set (never-fires, never-decides, gap)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    import sys
    from datetime import date

    from decision_aid.authoring.lint import lint, lint_ignore_problems
    from decision_aid.cli.output import print_problems
    from decision_aid.cli.settings import load_under
    from decision_aid.cli.solver import use_solver

    loaded = load_under(args)
    if isinstance(loaded, int):
        return loaded
    rule_set, given = loaded
    if problems := lint_ignore_problems(rule_set):
        print_problems(problems, args.format, sys.stdout)
        return EXIT_FAILED
    solver = use_solver(args.no_solver, "the solver checks need z3")
    warnings = lint(rule_set, today=date.today(), solver=solver, chosen=given)
    print_problems(warnings, args.format, sys.stdout, limit=200)
    if args.format == "text":
        print(f"{len(warnings)} warning(s)")
    return EXIT_FAILED if warnings and args.strict else EXIT_OK
