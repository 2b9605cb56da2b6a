"""``decision-aid mutate``: would the cases or verify notice a wrong rule?"""

from __future__ import annotations

import argparse

from decision_aid.cli.options import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    add_format,
    add_rules,
    add_settings,
)

NAME = "mutate"
HELP = "mutation testing: would the cases or verify notice a wrong rule?"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True)
    add_settings(parser)
    add_format(parser)
    parser.add_argument(
        "--fail-under", type=float, metavar="PERCENT", help="exit 1 if fewer mutants are killed"
    )
    parser.add_argument(
        "--no-verify", action="store_true", help="only the cases may kill mutants (faster)"
    )
    parser.add_argument(
        "--rule", action="append", metavar="ID", help="mutate only this rule (repeatable)"
    )
    parser.epilog = (
        "With --setting or --basis, only the rules in force under those choices are mutated."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="report each mutant")


def run(args: argparse.Namespace) -> int:
    import sys

    from decision_aid.authoring.mutate import CasesFail, Mutant, run_mutation
    from decision_aid.authoring.settings import in_force
    from decision_aid.cli.output import MAX_PROBLEMS, error, print_json
    from decision_aid.cli.settings import load_under
    from decision_aid.cli.solver import use_solver
    from decision_aid.domain.validation import did_you_mean
    from decision_aid.domain.yamlsource import dump_yaml

    use_verify = use_solver(args.no_verify, "without z3 only the cases can kill mutants")
    loaded = load_under(args)
    if isinstance(loaded, int):
        return loaded
    rule_set, given = loaded

    def progress(number: int, mutant: Mutant, verdict: str) -> None:
        if args.verbose:
            print(f"{number:4d} {mutant.rule_id}: {mutant.description}: {verdict}", file=sys.stderr)

    unknown = [r for r in args.rule or () if r not in rule_set.rules_by_id]
    if unknown:
        named = ", ".join(f"{r}{did_you_mean(r, rule_set.rules_by_id)}" for r in unknown)
        error(f"no such rule: {named}")
        return EXIT_INPUT
    only = args.rule
    if given:
        only = [r.id for r in rule_set.rules if in_force(r, given) and (not only or r.id in only)]
    try:
        report = run_mutation(
            rule_set, args.rules, use_verify=use_verify, only=only, progress=progress
        )
    except CasesFail as failing:
        if args.format == "json":
            print_json({"error": str(failing), "failing_cases": failing.failing})
            return EXIT_FAILED
        print(f"error: {failing}: a failing case would kill every mutant and measure nothing;")
        print("fix them first (decision-aid test shows why):")
        print("".join(f"  {line}\n" for line in failing.failing[:MAX_PROBLEMS]), end="")
        return EXIT_FAILED
    passed = args.fail_under is None or report.rate() >= args.fail_under
    if args.format == "json":
        print_json(report.as_dict())
        return EXIT_OK if passed else EXIT_FAILED
    for kind, listed in (("survived", report.survivors), ("equivalent", report.equivalent)):
        for mutant in listed:
            place = rule_set.sources.rule(mutant.rule_id, mutant.path)
            print(
                f"{place}: {kind}: rule {mutant.rule_id}: {mutant.description} [{mutant.operator}]"
            )
            if (case := report.killing_cases.get(mutant)) is not None:
                print("  a case that catches it (check the expectation, then add it under tests/):")
                print("".join(f"    {line}\n" for line in dump_yaml([case]).splitlines()), end="")
    killable = report.total - len(report.equivalent)
    print(
        f"mutants: {report.total}; killed by the cases: {report.killed_by_cases}; "
        f"by verify: {report.killed_by_verify}; proved equivalent: {len(report.equivalent)}; "
        f"survived: {len(report.survivors)}"
    )
    print(f"kill rate: {report.killed}/{killable} ({report.rate():.1f}%)")
    if not passed:
        print(f"the kill rate is below {args.fail_under:g}%")
    return EXIT_OK if passed else EXIT_FAILED
