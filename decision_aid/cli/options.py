"""The options every command declares the same way, declared here once.

- ``--rules DIR``: the rule set. Given before the command or after it; without it, the
  rule set installed by the clinic's package, else the bundled draft.
- ``--format text|json``: what a person reads, or what a program reads.
- ``--setting ID=VALUE`` (repeatable) and its shorthand ``--basis CHOICE``: the rule set's
  settings, on the commands that evaluate.

Only the standard library loads here: the parser is built before the window opens.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = [
    "BASIS_SETTING",
    "EXIT_FAILED",
    "EXIT_INPUT",
    "EXIT_OK",
    "add_format",
    "add_rules",
    "add_settings",
    "resolve_rules",
]

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
"""0 success; 1 the rule set is broken or its cases fail; 2 bad input."""

BASIS_SETTING = "guideline_basis"
"""The setting ``--basis`` is short for, when a rule set has one by that name."""


def add_rules(
    parser: argparse.ArgumentParser, *, positional: bool = False, required: bool = False
) -> None:
    """``--rules DIR``. ``positional`` also accepts the folder as the first argument, the
    old form, which still works but is deprecated; ``required``: no default rule set."""
    parser.add_argument(
        "--rules", type=Path, default=argparse.SUPPRESS, metavar="DIR",
        help="the rule set's folder"
        + ("" if required else " (default: the installed approved set, else the bundled one)"),
    )  # fmt: skip
    if positional:
        parser.add_argument(
            "old_rules", nargs="?", type=Path, default=None, metavar="RULES_DIR",
            help="deprecated: the same as --rules RULES_DIR",
        )  # fmt: skip
    parser.set_defaults(rules_required=required)


def resolve_rules(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Settle ``args.rules`` once parsing is done: the one given, the deprecated positional
    folder (with a note), or the default rule set."""
    old = getattr(args, "old_rules", None)
    if old is not None:
        if hasattr(args, "rules"):
            parser.error("the rule set is given twice: write --rules DIR only")
        print(
            f"note: a rule set's folder given alone is deprecated; write --rules {old}",
            file=sys.stderr,
        )
        args.rules = old
    if hasattr(args, "rules"):
        return
    if getattr(args, "rules_required", False):
        parser.error(f"{args.command} needs the rule set: --rules DIR")
    from decision_aid.governance.installation import default_rules_dir

    args.rules = default_rules_dir()


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("text", "json"), default="text",
        help="text for a person (default), json for a program",
    )  # fmt: skip


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not (equals and name.strip() and value.strip()):
        raise argparse.ArgumentTypeError(f"write a setting as ID=VALUE, not '{text}'")
    return name.strip(), value.strip()


def add_settings(parser: argparse.ArgumentParser) -> None:
    """``--setting ID=VALUE`` and ``--basis CHOICE``; checked against the rule set once it
    is loaded (:func:`decision_aid.cli.settings.chosen`)."""
    parser.add_argument(
        "--setting", action="append", type=_setting, default=[], metavar="ID=VALUE",
        help="use this choice of one of the rule set's settings (repeatable); "
        "the ids are those under settings: in ruleset.yaml",
    )  # fmt: skip
    parser.add_argument(
        "--basis", metavar="CHOICE",
        help=f"short for --setting {BASIS_SETTING}=CHOICE, for a rule set with that setting",
    )  # fmt: skip
