"""``decision-aid test``: run the rule set's case files."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from decision_aid.cli.options import (
    EXIT_FAILED,
    EXIT_OK,
    add_format,
    add_rules,
    add_settings,
)

if TYPE_CHECKING:
    from decision_aid.authoring.cases import CaseResult

NAME = "test"
HELP = "run a rule set's case files"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True)
    add_settings(parser)
    add_format(parser)
    parser.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")


def run(args: argparse.Namespace) -> int:
    import sys

    from decision_aid.authoring.cases import Verdict, case_files, run_case_files
    from decision_aid.authoring.settings import run_under
    from decision_aid.cli.output import print_json, print_problems
    from decision_aid.cli.settings import load_under

    loaded = load_under(args)
    if isinstance(loaded, int):
        return loaded
    rule_set, given = loaded
    paths = case_files(args.rules)
    results, problems = run_case_files(rule_set, paths)
    run_all, results = len(results), run_under(results, given)
    if args.format == "json":
        print_json(
            {
                "results": [r.as_dict() for r in results],
                "problems": [p.as_dict() for p in sorted(problems)],
            }
        )
    else:
        print_problems(problems, "text", sys.stdout)
        for result in results:
            if result.verdict is not Verdict.PASS or args.verbose:
                print("\n".join(_format_case(result)))
        counts = {v: sum(r.verdict is v for r in results) for v in Verdict}
        print("-" * 60)
        print(f"PASS: {counts[Verdict.PASS]}/{len(results)}", end="")
        print(f"  FAIL: {counts[Verdict.FAIL]}" if counts[Verdict.FAIL] else "", end="")
        print(f"  ERROR: {counts[Verdict.ERROR]}" if counts[Verdict.ERROR] else "")
        if not paths:
            print(f"no case files found under {args.rules / 'tests'}")
        elif left_out := run_all - len(results):
            print(f"{left_out} case(s) under other settings left out")
    passed = results and all(r.verdict is Verdict.PASS for r in results) and not problems
    return EXIT_OK if passed else EXIT_FAILED


def _format_case(result: CaseResult) -> list[str]:
    from decision_aid.authoring.cases import Verdict

    lines = [f"{result.file}:{result.line}: {result.verdict}: {result.name}"]
    if result.verdict is Verdict.ERROR:
        lines += [f"  {p.format()}" for p in result.problems] or [f"  {result.message}"]
    elif result.verdict is Verdict.FAIL and result.assessment and result.expect:
        actual, expect = result.assessment, result.expect
        lines.append(f"  expected outcome: {expect.outcome}")
        lines.append(f"  actual outcome:   {actual.outcome.id}")
        if expect.fired is None and actual.outcome.id != expect.outcome:
            lines.append(f"  decided by:       {', '.join(actual.decided_by)}")
        if expect.fired is not None:
            lines.append(f"  expected fired:   {', '.join(sorted(expect.fired)) or '(none)'}")
            lines.append(f"  actual fired:     {', '.join(sorted(actual.fired_ids)) or '(none)'}")
        if expect.might_apply is not None:
            expected = ", ".join(sorted(expect.might_apply)) or "(none)"
            uncertain = sorted(f.rule_id for f in actual.fired if not f.certain)
            lines.append(f"  expected might apply: {expected}")
            lines.append(f"  actual might apply:   {', '.join(uncertain) or '(none)'}")
        if result.message:
            lines.append(f"  {result.message}")
        for prop in result.broken:
            lines.append(f"  breaks property {prop.id}: {prop.title}")
        for trace in result.differing:
            lines.append(
                f"  rule {trace.rule_id}: {trace.value}"
                + ("" if trace.applies else " (not applicable)")
            )
            if explanation := actual.explanation(trace.rule_id):
                lines += ["    " + line for line in explanation.lines()]
    return lines
