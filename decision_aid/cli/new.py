"""``decision-aid new DIR``: a small rule set to start from (a made-up treatment)."""

from __future__ import annotations

import argparse
from pathlib import Path

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format

NAME = "new"
HELP = "write a small rule set to start from, for a made-up treatment"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    from datetime import date

    from decision_aid.authoring.starter import new_rule_set
    from decision_aid.cli.output import error, print_written
    from decision_aid.domain.errors import StorageError

    try:
        written = new_rule_set(args.folder, today=date.today())
    except StorageError as failed:
        error(str(failed))
        return EXIT_FAILED
    print_written(written, args.format)
    if args.format == "text":
        print(
            f"next: decision-aid check --rules {args.folder}, then test, coverage, lint and "
            "verify the same way; edit the files, keeping them passing"
        )
    return EXIT_OK
