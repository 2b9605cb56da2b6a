"""``decision-aid approve``: sign a rule set's approval (writes ``approval.yaml``)."""

from __future__ import annotations

import argparse

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_rules
from decision_aid.cli.passphrase import add_passphrase, passphrase

NAME = "approve"
HELP = "sign a rule set's approval (writes approval.yaml)"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser, positional=True, required=True)
    parser.add_argument("--reviewer", required=True, metavar="NAME")
    parser.add_argument("--role", required=True, metavar="ROLE", help="e.g. 'Pain consultant'")
    parser.add_argument("--key", required=True, metavar="KEY", help="key id, or a .key file")
    add_passphrase(parser)


def run(args: argparse.Namespace) -> int:
    import sys

    from decision_aid.cli.output import MAX_PROBLEMS, error
    from decision_aid.domain import DecisionAidError, RuleSetError, load_rule_set
    from decision_aid.governance.approval import approval_state, approve
    from decision_aid.governance.keys import find_key, load_private_key

    try:
        rule_set = load_rule_set(args.rules)
    except RuleSetError as broken:
        for problem in sorted(broken.problems)[:MAX_PROBLEMS]:
            print(problem.format())
        error("a rule set with problems cannot be approved")
        return EXIT_FAILED
    try:
        key = load_private_key(find_key(args.key), passphrase(args, confirm=False))
        signed = approve(args.rules, rule_set, reviewer=args.reviewer, role=args.role, key=key)
    except DecisionAidError as failed:
        error(str(failed))
        return EXIT_FAILED
    print(
        f"{args.rules / 'approval.yaml'}: {rule_set.info.id} {rule_set.info.version} "
        f"approved by {signed.reviewer} ({signed.role}) with key {signed.key_id}, "
        f"{len(signed.files)} files"
    )
    state = approval_state(load_rule_set(args.rules))
    print(f"approval: {state.describe()}")
    if not state.approved:
        print(
            "note: this installation does not count it as approved yet; "
            "trust the key with decision-aid keys trust FILE",
            file=sys.stderr,
        )
    return EXIT_OK
