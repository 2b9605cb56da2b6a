"""The governance sub-commands of ``decision-aid``: ``keys new|list|export|trust`` and
``approve``. Apart from :mod:`decision_aid.commands` so that they load ``cryptography``
only when used. A passphrase comes from a prompt or ``--passphrase-file``, never argv.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from decision_aid.domain import DecisionAidError, RuleSetError, load_rule_set
from decision_aid.governance.approval import approval_state, approve
from decision_aid.governance.keys import (
    KeyFileError,
    find_key,
    keys_dir,
    list_keys,
    load_private_key,
    new_key,
    public_pem,
    read_public_key,
)
from decision_aid.governance.trust import trust_dirs, trust_key, trusted_keys
from decision_aid.storage import atomic_write

__all__ = ["cmd_approve", "cmd_keys"]

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
MAX_PASSPHRASE_FILE = 4096


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> bytes:
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


def _keys_new(args: argparse.Namespace) -> int:
    pair = new_key(_passphrase(args, confirm=True))
    print(f"new key {pair.key_id}")
    print(f"  private key (passphrase-protected, 0600): {pair.private}")
    print(f"  public key: {pair.public}")
    print(
        f"give the public key to whoever configures trust: decision-aid keys export {pair.key_id}"
    )
    return EXIT_OK


def _keys_list(_args: argparse.Namespace) -> int:
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


def _keys_export(args: argparse.Namespace) -> int:
    private = find_key(args.key)
    public = read_public_key(private.with_suffix(".pub"))
    pem = public_pem(public)
    if args.output is None:
        sys.stdout.write(pem.decode("ascii"))
    else:
        atomic_write(Path(args.output), pem)
        print(f"{args.output}: public key {private.stem} written")
    return EXIT_OK


def _keys_trust(args: argparse.Namespace) -> int:
    key = trust_key(Path(args.file))
    print(f"trusted key {key.key_id}: {key.path}")
    return EXIT_OK


def cmd_keys(args: argparse.Namespace) -> int:
    actions = {"new": _keys_new, "list": _keys_list, "export": _keys_export, "trust": _keys_trust}
    try:
        return actions[args.keys_command](args)
    except DecisionAidError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED


def cmd_approve(args: argparse.Namespace) -> int:
    try:
        rule_set = load_rule_set(args.rules_dir)
    except RuleSetError as error:
        for problem in sorted(error.problems)[:50]:
            print(problem.format())
        print("error: a rule set with problems cannot be approved", file=sys.stderr)
        return EXIT_FAILED
    try:
        path = find_key(args.key)
        key = load_private_key(path, _passphrase(args, confirm=False))
        signed = approve(
            Path(args.rules_dir), rule_set, reviewer=args.reviewer, role=args.role, key=key
        )
    except DecisionAidError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"{Path(args.rules_dir) / 'approval.yaml'}: {rule_set.info.id} {rule_set.info.version} "
        f"approved by {signed.reviewer} ({signed.role}) with key {signed.key_id}, "
        f"{len(signed.files)} files"
    )
    state = approval_state(load_rule_set(args.rules_dir))
    print(f"approval: {state.describe()}")
    if not state.approved:
        print(
            "note: this installation does not count it as approved yet; "
            "trust the key with decision-aid keys trust FILE",
            file=sys.stderr,
        )
    return EXIT_OK
