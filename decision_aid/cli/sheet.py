"""``decision-aid sheet``: the discussion sheet (PDF) for an answers file, recorded in
the audit trail before it is written."""

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

NAME = "sheet"
HELP = "write the discussion sheet (PDF) for an answers file"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("answers", metavar="ANSWERS.yaml")
    parser.add_argument("-o", "--output", required=True, metavar="SHEET.pdf")
    add_rules(parser)
    add_settings(parser)
    add_format(parser)
    parser.add_argument(
        "--part",
        choices=("summary", "full"),
        default="full",
        help="the two-page summary (and the clinician's page), or the full sheet",
    )
    parser.add_argument("--label", metavar="TEXT", help="patient label for page 1 and footers")


def run(args: argparse.Namespace) -> int:
    import functools
    import sys
    from pathlib import Path

    from decision_aid.cli.output import approval, error, load, print_json, print_problems
    from decision_aid.cli.settings import chosen
    from decision_aid.domain import DecisionAidError, InputError, evaluate, parse_answers
    from decision_aid.domain.errors import StorageError
    from decision_aid.domain.yamlsource import read_yaml
    from decision_aid.governance.audit import record_sheet
    from decision_aid.storage.atomic import write_file

    rule_set = load(args.rules, args.format)
    if rule_set is None or (state := approval(rule_set)) is None:
        return EXIT_FAILED
    document, problems = read_yaml(Path(args.answers))
    if problems:
        print_problems(problems, "text", sys.stderr)
        return EXIT_INPUT
    raw = document.data or {}
    try:
        settings = chosen(rule_set, args)
        if not isinstance(raw, dict):
            raise InputError("answers must be a mapping of question ids to answers")
        answers = parse_answers(rule_set.questionnaire, raw)
        assessment = evaluate(rule_set, answers, settings)
    except DecisionAidError as bad:
        print(f"{args.answers}: error: {bad}", file=sys.stderr)
        return EXIT_INPUT
    from decision_aid.sheet import render  # reportlab loads only for sheets

    try:
        data = render(
            assessment,
            answers,
            rule_set,
            approval=state,
            part=args.part,
            patient_label=args.label,
        )
    except Exception as failed:  # reportlab's failures have no common base
        error(f"the discussion sheet could not be drawn: {failed}")
        return EXIT_FAILED
    output = Path(args.output)
    record = functools.partial(
        record_sheet,
        rule_set=rule_set, answers=raw, assessment=assessment, output=output, approval=state,
    )  # fmt: skip
    if failed_record := record():
        error(f"could not write {output}: {failed_record}; nothing was written")
        return EXIT_FAILED
    try:
        write_file(output, data)
    except StorageError as failed_write:
        record(event="sheet-not-written")  # best effort: the write's error is the one to say
        error(f"could not write {failed_write}")
        return EXIT_FAILED
    if args.format == "json":
        print_json({"written": [str(output)], "bytes": len(data)})
    else:
        print(f"{args.output}: discussion sheet written ({len(data)} bytes)")
    return EXIT_OK
