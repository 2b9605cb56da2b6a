"""``decision-aid schema``: JSON Schemas of the rule-set and case files, for editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format

NAME = "schema"
HELP = "write JSON Schemas of the rule-set and case files for editors"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, default=None, metavar="DIR",
        help="where to write them (default: rules/schema)",
    )  # fmt: skip
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    from decision_aid.authoring.schema import write_schemas
    from decision_aid.cli.output import error, print_written
    from decision_aid.domain.errors import StorageError
    from decision_aid.paths import bundled_rules_dir

    try:
        written = write_schemas(args.output or bundled_rules_dir().parent / "schema")
    except StorageError as failed:
        error(f"could not write {failed}")
        return EXIT_FAILED
    print_written(written, args.format)
    return EXIT_OK
