"""``decision-aid schema``: a rule set's JSON Schemas (its own ids included), for editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format, add_rules

NAME = "schema"
HELP = "write a rule set's JSON Schemas (its own ids included) for editors"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True)
    parser.add_argument(
        "-o", "--output", type=Path, metavar="DIR",
        help="where to write them (default: the rule set's schema/, where its files' schema "
        "lines point)",
    )  # fmt: skip
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    from decision_aid.authoring.schema import write_schemas
    from decision_aid.cli.output import error, load, print_written
    from decision_aid.domain.errors import StorageError
    from decision_aid.domain.layout import SCHEMAS

    rule_set = load(args.rules, args.format)
    if rule_set is None:
        return EXIT_FAILED
    try:
        written = write_schemas(rule_set, args.output or args.rules / SCHEMAS)
    except StorageError as failed:
        error(f"could not write {failed}")
        return EXIT_FAILED
    print_written(written, args.format)
    return EXIT_OK
