"""``decision-aid keys new|list|export|trust``: a reviewer's signing keys, and the keys
this installation trusts. ``cryptography`` loads only when one of them runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK
from decision_aid.cli.passphrase import add_passphrase, passphrase

NAME = "keys"
HELP = "a reviewer's signing keys; the keys trusted here"


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="make a key pair (a passphrase of 8 or more characters)")
    add_passphrase(new)
    actions.add_parser("list", help="the keys held and the keys trusted")
    export = actions.add_parser("export", help="write a key's public half, for trust")
    export.add_argument("key", metavar="KEY", help="key id (or a unique start of it)")
    export.add_argument("-o", "--output", metavar="FILE", help="default: print it")
    trust = actions.add_parser("trust", help="trust a public key file for this user")
    trust.add_argument("file", metavar="FILE")


def run(args: argparse.Namespace) -> int:
    from decision_aid.cli.output import error
    from decision_aid.domain import DecisionAidError

    actions: dict[str, Callable[[argparse.Namespace], int]] = {
        "new": _new, "list": _list, "export": _export, "trust": _trust,
    }  # fmt: skip
    try:
        return actions[args.keys_command](args)
    except DecisionAidError as failed:
        error(str(failed))
        return EXIT_FAILED


def _new(args: argparse.Namespace) -> int:
    from decision_aid.governance.keys import new_key

    pair = new_key(passphrase(args, confirm=True))
    print(f"new key {pair.key_id}")
    print(f"  private key (passphrase-protected, 0600): {pair.private}")
    print(f"  public key: {pair.public}")
    print(
        f"give the public key to whoever configures trust: decision-aid keys export {pair.key_id}"
    )
    return EXIT_OK


def _list(_args: argparse.Namespace) -> int:
    from decision_aid.governance.keys import keys_dir, list_keys
    from decision_aid.governance.trust import trust_dirs, trusted_keys

    held = list_keys()
    print(f"keys held ({keys_dir()}):" + ("" if held else " none"))
    for pair in held:
        print(f"  {pair.key_id}  {pair.private}")
    found, refused = trusted_keys()
    folders = ", ".join(str(f) for f in trust_dirs()) or "none"
    print(f"trusted keys ({folders}):" + ("" if found else " none"))
    for key in found.values():
        print(f"  {key.key_id}  {key.path}")
    for message in refused:
        print(f"  not used: {message}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from decision_aid.governance.keys import find_key, public_pem, read_public_key
    from decision_aid.storage.atomic import atomic_write

    private = find_key(args.key)
    pem = public_pem(read_public_key(private.with_suffix(".pub")))
    if args.output is None:
        print(pem.decode("ascii"), end="")
    else:
        atomic_write(Path(args.output), pem)
        print(f"{args.output}: public key {private.stem} written")
    return EXIT_OK


def _trust(args: argparse.Namespace) -> int:
    from pathlib import Path

    from decision_aid.governance.trust import trust_key

    key = trust_key(Path(args.file))
    print(f"trusted key {key.key_id}: {key.path}")
    return EXIT_OK
