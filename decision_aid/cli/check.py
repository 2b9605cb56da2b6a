"""``decision-aid check``: the rule set's problems, or its approval state."""

from __future__ import annotations

import argparse

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format, add_rules

NAME = "check"
HELP = "check a rule set; print its problems"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True)
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    import sys

    from decision_aid.authoring.cases import check_case_files
    from decision_aid.authoring.lint import lint_ignore_problems
    from decision_aid.authoring.schema import schema_line_problems
    from decision_aid.cli.output import load, print_problems
    from decision_aid.governance.approval import approval_problems, approval_state

    rule_set = load(args.rules, args.format)
    if rule_set is None:
        return EXIT_FAILED
    state = approval_state(rule_set)
    warnings = schema_line_problems(rule_set, args.rules)
    problems = lint_ignore_problems(rule_set) + approval_problems(rule_set, state)
    if problems := problems + check_case_files(rule_set, args.rules):
        print_problems([*problems, *warnings], args.format, sys.stdout)
        return EXIT_FAILED
    if warnings:
        print_problems(warnings, args.format, sys.stdout)
    if args.format == "text":
        print(f"approval: {state.describe()}")
    return EXIT_OK
