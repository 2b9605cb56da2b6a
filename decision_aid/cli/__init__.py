"""The ``decision-aid`` command: the consultation window, or a headless sub-command.

Each sub-command is a module of this package with ``NAME``, ``HELP``,
``configure(parser)`` and ``run(args) -> int``, listed once in :data:`COMMANDS`. The
options every command shares (``--rules``, ``--format``, ``--setting``) are declared in
:mod:`decision_aid.cli.options`.

Exit codes: 0 success; 1 the rule set is broken or its cases fail; 2 bad input
(an answers file, a setting, the command line). Problems print compiler-style,
``path:line:col: error[code]: message``, one per line, sorted and capped.

Building the parser imports only the standard library and these modules: a command
loads the domain and the authoring tools inside its ``run``, so opening the window
pays for none of them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, Protocol

from decision_aid import __version__
from decision_aid.cli import (
    approve,
    audit,
    check,
    coverage,
    diff,
    docs,
    evaluate,
    keys,
    lint,
    mutate,
    new,
    questions,
    schema,
    sheet,
    test,
    verify,
)
from decision_aid.cli.options import EXIT_FAILED, add_rules, resolve_rules

__all__ = ["COMMANDS", "Command", "main", "parse_command_line", "parser"]


class Command(Protocol):
    """One sub-command: a module with these names."""

    NAME: str
    HELP: str

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


COMMANDS: tuple[Command, ...] = (
    new,
    check,
    test,
    questions,
    evaluate,
    sheet,
    coverage,
    lint,
    docs,
    verify,
    mutate,
    diff,
    schema,
    keys,
    approve,
    audit,
)
"""Every sub-command, in the order ``--help`` lists them."""


def _window_options(top: argparse.ArgumentParser) -> None:
    add_rules(top)  # given here, it serves the window and any command after it
    # Hidden: open the window, quit on its first paint (see decision_aid.gui.app).
    top.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)


def parser() -> argparse.ArgumentParser:
    """The whole command line: the window's options and every command's."""
    top = argparse.ArgumentParser(
        prog="decision-aid",
        description="A shared decision aid: whether a treatment is worth discussing, from a "
        "rule set of YAML files. With no command, the consultation window opens.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _window_options(top)
    subcommands = top.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        sub = subcommands.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.configure(sub)
        sub.set_defaults(run=command.run)
    return top


class _WindowParser(argparse.ArgumentParser):
    """The window's options alone, with no help and no version: what it cannot read, or
    reads wrong, it raises rather than answers, and the whole parser reads it all again."""

    def __init__(self) -> None:
        super().__init__(prog="decision-aid", add_help=False)
        _window_options(self)
        self.set_defaults(command=None)

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def parse_command_line(
    argv: Sequence[str] | None,
) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """Parse with the window's options first: building every command's options costs
    as much as a tenth of the window's start. Anything those leave over (a command, a
    help or version flag, a typo) is parsed again by the whole parser, with its messages."""
    window = _WindowParser()
    try:
        args, rest = window.parse_known_args(argv)
        if not rest:
            return window, args
    except argparse.ArgumentError:
        pass  # said again, in full, by the whole parser
    top = parser()
    return top, top.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    top, args = parse_command_line(argv)
    resolve_rules(top, args)
    if args.command is None:
        from decision_aid.gui.app import run  # Qt loads only for the window

        return run(args.rules, smoke_test=args.smoke_test)
    try:
        code: int = args.run(args)
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    return code
