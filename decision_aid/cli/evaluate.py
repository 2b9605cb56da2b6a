"""``decision-aid evaluate``: assess one answers file, or a stream of JSON lines."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from decision_aid.cli.options import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    add_format,
    add_rules,
    add_settings,
)

if TYPE_CHECKING:
    from decision_aid.domain import DecisionAidError, RuleSet

NAME = "evaluate"
HELP = "assess an answers file"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("answers", nargs="?", metavar="ANSWERS.yaml")
    add_rules(parser)
    add_settings(parser)
    add_format(parser)
    parser.add_argument(
        "--jsonl", action="store_true", help="read one JSON answers object per stdin line"
    )


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from decision_aid.cli.output import (
        answers_of,
        approval,
        error,
        load,
        print_json,
        print_problems,
    )
    from decision_aid.cli.settings import chosen
    from decision_aid.domain import DecisionAidError, InputError, evaluate
    from decision_aid.domain.yamlsource import read_yaml
    from decision_aid.present.report import text_report
    from decision_aid.present.wording import assessed

    rule_set = load(args.rules, args.format)
    if rule_set is None or (state := approval(rule_set)) is None:
        return EXIT_FAILED
    try:
        settings = chosen(rule_set, args)
    except InputError as bad:
        error(str(bad))
        return EXIT_INPUT
    if args.jsonl:
        return _evaluate_lines(rule_set, settings)
    if args.answers is None:
        error("give an ANSWERS file, or --jsonl to read answers from stdin")
        return EXIT_INPUT
    document, problems = read_yaml(Path(args.answers))
    if problems:
        print_problems(problems, "text", sys.stderr)
        return EXIT_INPUT
    try:
        answers = answers_of(rule_set, document.data or {})
        assessment = evaluate(rule_set, answers, settings)
    except DecisionAidError as bad:
        print(f"{args.answers}: error: {bad}", file=sys.stderr)
        return EXIT_INPUT
    if args.format == "json":
        print_json(
            assessment.as_dict() | {"approval": {"state": state.kind, "describe": state.describe()}}
        )
    else:
        # No answer at all, not even "Not known": a blank form, as the window and sheet say.
        lines = text_report(assessment, rule_set, assessed=assessed(answers)).splitlines()
        after = next((i + 1 for i, line in enumerate(lines) if line.startswith("Rule set:")), 0)
        lines.insert(after, f"Approval: {state.describe()}")  # beside the rule set it marks
        print("\n".join(lines))
    return EXIT_OK


def _evaluate_lines(rule_set: RuleSet, settings: dict[str, str]) -> int:
    """One answers object per input line, one JSON result per output line, aligned.

    Each line stands alone: a line that is not UTF-8 or not JSON gets its error and
    the next line is read; the exit code says 2 at the end if any line failed.
    """
    import json
    import sys

    from decision_aid.cli.output import assess
    from decision_aid.domain import DecisionAidError

    status = EXIT_OK
    stream = getattr(sys.stdin, "buffer", None)  # a text stand-in (a test's) has none
    lines: Iterable[bytes] = (
        stream if stream is not None else (t.encode("utf-8", "surrogatepass") for t in sys.stdin)
    )
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            result: dict[str, Any] = assess(rule_set, _json_line(line), settings).as_dict()
            del result["trace"]
        except DecisionAidError as bad:
            result, status = {"error": f"line {number}: {_without_line(bad)}"}, EXIT_INPUT
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return status


def _json_line(line: bytes) -> object:
    """One JSON value from one line: UTF-8, strict (no key twice), never a crash."""
    from decision_aid.domain import InputError
    from decision_aid.domain.jsontext import loads_strict

    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise InputError(f"not UTF-8 text (byte {bad.start + 1})") from None
    return loads_strict(text)


def _without_line(error: DecisionAidError) -> str:
    # loads_strict says "line 1: ..." of the one-line text; the stream's line is given instead.
    return str(error).removeprefix("line 1: ")
