"""``decision-aid verify``: prove the safety properties over every answer set (z3)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from decision_aid.cli.options import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    add_format,
    add_rules,
    add_settings,
)

if TYPE_CHECKING:
    from decision_aid.domain.sources import Place

NAME = "verify"
HELP = "prove safety properties with an SMT solver"

TIME_LIMIT = 60.0
"""Seconds ``decision-aid verify`` gives the solver for a whole rule set by default."""


def positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 < seconds < 10**6:
        raise argparse.ArgumentTypeError(f"the time limit must be above 0 s, not '{text}'")
    return seconds


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True)
    add_settings(parser)
    add_format(parser)
    parser.add_argument(
        "--time-limit", type=positive_seconds, default=TIME_LIMIT, metavar="SECONDS",
        help="give the solver at most this long for the whole rule set (default 60); "
        "what it has not settled by then is reported undecided, never proved",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from decision_aid.authoring.settings import matches
    from decision_aid.cli.output import assess, error, print_json
    from decision_aid.cli.settings import load_under
    from decision_aid.domain import DecisionAidError
    from decision_aid.domain.yamlsource import dump_yaml

    try:
        from decision_aid.authoring.verify import verify
    except ImportError:
        error("verify needs the z3 solver: pip install z3-solver")
        return EXIT_INPUT
    loaded = load_under(args)
    if isinstance(loaded, int):
        return loaded
    rule_set, given = loaded
    findings = [
        f for f in verify(rule_set, time_limit=args.time_limit) if matches(f.settings, given)
    ]
    failed = [f for f in findings if not f.holds]
    if args.format == "json":
        print_json(
            [
                vars(f) | {"settings": dict(f.settings)} | _place(f.place(rule_set.sources))
                for f in findings
            ]
        )
        return EXIT_FAILED if failed else EXIT_OK
    undecided = [f for f in failed if f.undecided]
    for finding in failed:
        settings = ", ".join(f"{k} = {v}" for k, v in finding.settings.items())
        place = finding.place(rule_set.sources)
        if finding.undecided:
            print(f"{place}: UNDECIDED: {finding.property} [{settings}]: {finding.message}")
            continue
        print(f"{place}: FAILED: {finding.property} [{settings}]: {finding.message}")
        print("  counterexample (an answers file for decision-aid evaluate):")
        text = dump_yaml(finding.counterexample)
        print("".join(f"    {line}\n" for line in text.splitlines()), end="")
        try:
            assessment = assess(rule_set, finding.counterexample or {}, dict(finding.settings))
        except DecisionAidError as bad:  # the encoding and the engine disagree: say so
            print(f"  the engine cannot run it: {bad}")
            continue
        certain = ", ".join(f.rule_id for f in assessment.fired if f.certain) or "none"
        might = sum(not f.certain for f in assessment.fired)
        print(
            f"  the engine gives: {assessment.outcome.id} (fired: {certain}; "
            f"{might} more might apply)"
        )
    print(f"{len(findings) - len(failed)}/{len(findings)} properties proved over every answer set")
    if undecided:
        print(
            f"{len(undecided)} not decided within the time limit of {args.time_limit:g} s; "
            "give the solver longer with --time-limit SECONDS, or split the rule set"
        )
    return EXIT_FAILED if failed else EXIT_OK


def _place(place: Place) -> dict[str, str | int]:
    return {"file": place.file, "line": place.line, "column": place.column}
