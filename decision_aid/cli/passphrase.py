"""``--passphrase-file``, shared by ``keys new`` and ``approve``: a passphrase comes from a
prompt or a file, never from the command line."""

from __future__ import annotations

import argparse

__all__ = ["add_passphrase", "passphrase"]

MAX_PASSPHRASE_FILE = 4096


def add_passphrase(parser: argparse.ArgumentParser) -> None:
    # No abbreviations where a passphrase file is named: "--passphrase X" is refused,
    # never read as --passphrase-file X.
    parser.allow_abbrev = False
    parser.add_argument(
        "--passphrase-file", metavar="FILE",
        help="read the passphrase from this file (default: ask; never on the command line)",
    )  # fmt: skip


def passphrase(args: argparse.Namespace, *, confirm: bool) -> bytes:
    import getpass
    import sys
    from pathlib import Path

    from decision_aid.governance.keys import KeyFileError

    if args.passphrase_file is not None:
        path = Path(args.passphrase_file)
        try:
            data = path.read_bytes()[: MAX_PASSPHRASE_FILE + 1]
        except OSError as error:
            raise KeyFileError(
                f"{path}: cannot read the passphrase file: {error.strerror}"
            ) from None
        if len(data) > MAX_PASSPHRASE_FILE:
            raise KeyFileError(f"{path}: too long to be a passphrase file")
        return data.rstrip(b"\r\n")
    if not sys.stdin.isatty():
        raise KeyFileError("no terminal to ask for the passphrase: give --passphrase-file FILE")
    first = getpass.getpass("Passphrase for the private key: ")
    if confirm and getpass.getpass("The same passphrase again: ") != first:
        raise KeyFileError("the two passphrases differ: nothing was written")
    return first.encode("utf-8")
