"""``decision-aid coverage``: which rules and options the case files exercise."""

from __future__ import annotations

import argparse

from decision_aid.cli.options import (
    EXIT_FAILED,
    EXIT_OK,
    add_format,
    add_rules,
    add_settings,
)

NAME = "coverage"
HELP = "which rules and options the cases exercise"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True)
    add_settings(parser)
    add_format(parser)
    parser.add_argument(
        "--fail-under", type=float, metavar="PERCENT",
        help="exit 1 if fewer rules than this were seen both true and false",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    import sys

    from decision_aid.authoring.cases import case_files, run_case_files
    from decision_aid.authoring.coverage import measure
    from decision_aid.cli.output import print_json, print_problems
    from decision_aid.cli.settings import load_under

    loaded = load_under(args)
    if isinstance(loaded, int):
        return loaded
    rule_set, given = loaded
    results, problems = run_case_files(rule_set, case_files(args.rules))
    if problems:
        print_problems(problems, args.format, sys.stdout)
        return EXIT_FAILED
    coverage = measure(rule_set, results, given)
    passed = args.fail_under is None or coverage.meets(args.fail_under)
    if args.format == "json":
        print_json(coverage.as_dict())
        return EXIT_OK if passed else EXIT_FAILED
    for rule in coverage.rules:
        if not rule.covered:
            missing = [v for v in ("true", "false") if v not in {str(s) for s in rule.seen}]
            print(f"{rule.file}:{rule.line}: rule {rule.rule_id} never seen {' or '.join(missing)}")
    for file, line, column, question, option in coverage.unused_options:
        print(f"{file}:{line}:{column}: option {question}={option} is used by no case")
    unknown = sum("unknown" in {str(s) for s in r.seen} for r in coverage.rules)
    print(
        f"rules seen true and false: {coverage.covered}/{len(coverage.rules)} "
        f"({coverage.percent():.1f}%); seen unknown: {unknown}; "
        f"options used by no case: {len(coverage.unused_options)}"
    )
    if not passed:
        print(f"coverage is below {args.fail_under:g}%")
    return EXIT_OK if passed else EXIT_FAILED
