"""``decision-aid docs``: a readable reference of a rule set, Markdown and HTML."""

from __future__ import annotations

import argparse
from pathlib import Path

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format, add_rules

NAME = "docs"
HELP = "write a readable reference of a rule set"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True)
    parser.add_argument("-o", "--output", type=Path, default=Path("rule-set-docs"), metavar="DIR")
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    from decision_aid.authoring.docs import blocks, to_html, to_markdown
    from decision_aid.cli.output import error, load, print_written
    from decision_aid.domain.errors import StorageError
    from decision_aid.paths import safe_file_name
    from decision_aid.storage.atomic import write_files

    rule_set = load(args.rules, args.format)
    if rule_set is None:
        return EXIT_FAILED
    parts = blocks(rule_set)
    name = safe_file_name(rule_set.info.id, suffix="", fallback="rule-set")  # an id is no path
    written = {
        args.output / f"{name}.md": to_markdown(parts).encode("utf-8"),
        args.output / f"{name}.html": to_html(parts, rule_set.info.title).encode("utf-8"),
    }
    try:
        write_files(written, private=False, make_folders=True)
    except StorageError as failed:
        error(f"could not write {failed}")
        return EXIT_FAILED
    print_written(list(written), args.format)
    return EXIT_OK
