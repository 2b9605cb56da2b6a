"""Every approval state, as a change made to an approved copy and the mark it must give.
Shared by the state, CLI and sheet tests here and the window tests in tests/gui."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from decision_aid.domain import load_rule_set
from decision_aid.governance.approval import ApprovalKind, approve
from decision_aid.governance.keys import key_id
from tests.governance.approved import (
    FILE_KINDS,
    REVIEW_BY,
    REVIEWER,
    ROLE,
    SIGNED,
    TODAY,
    approved_copy,
    claim_approved,
    day,
    replace_once,
    tamper_one_byte,
    trust,
    trust_dirs,
)


@dataclass(frozen=True)
class World:
    folder: Path
    key: Ed25519PrivateKey  # the reviewer's, trusted in the user folder as reviewer.pem
    attacker: Ed25519PrivateKey  # trusted nowhere
    system: Path
    user: Path


@dataclass(frozen=True)
class Scenario:
    name: str
    change: Callable[[World], None]
    kind: ApprovalKind
    mark: Callable[[World], str]


APPROVED = f"Approved by {REVIEWER} ({ROLE}) on {day(SIGNED)}; review by {day(REVIEW_BY)}"
INVALID = "NOT APPROVED: the approval signature is not valid ({})"
ALTERED = "approval.yaml was altered after signing, or signed by another key"


def edited(*files: str) -> Callable[[World], str]:
    return lambda _w: (
        f"NOT APPROVED: Rules changed since approval by {REVIEWER} on {day(SIGNED)} "
        f"({', '.join(files)})"
    )


def _nothing(_w: World) -> None:
    pass


def _tamper(name: str) -> Callable[[World], None]:
    return lambda w: tamper_one_byte(w.folder / name)


def _rename_reviewer(w: World) -> None:
    replace_once(w.folder / "approval.yaml", f"reviewer: {REVIEWER}", "reviewer: Dr Ann Smyth")


def _rewrite_manifest(w: World) -> None:
    """An attacker edits a rule, then puts its new hash and the new digest in approval.yaml."""
    rules = w.folder / "rules" / "safety.yaml"
    old = hashlib.sha256(rules.read_bytes()).hexdigest()
    old_digest = load_rule_set(w.folder).digest
    tamper_one_byte(rules)
    approval = w.folder / "approval.yaml"
    replace_once(approval, old, hashlib.sha256(rules.read_bytes()).hexdigest())
    replace_once(approval, old_digest, load_rule_set(w.folder).digest)


def _resign_with_attacker(w: World) -> None:
    rule_set = load_rule_set(w.folder)
    approve(w.folder, rule_set, reviewer=REVIEWER, role=ROLE, key=w.attacker, today=SIGNED)


def _attacker_claims_trusted_id(w: World) -> None:
    _resign_with_attacker(w)
    replace_once(w.folder / "approval.yaml", key_id(w.attacker.public_key()), _id(w.key))


def _id(key: Ed25519PrivateKey) -> str:
    return key_id(key.public_key())


def _untrust(w: World) -> None:
    (w.user / "reviewer.pem").unlink()


def _trust_in_system_folder_only(w: World) -> None:
    _untrust(w)
    trust(w.key, w.system, "clinic-reviewer.pub")


def _expire(w: World) -> None:
    claim_approved(w.folder, review_by=TODAY - timedelta(days=30))
    signed = TODAY - timedelta(days=400)
    approve(
        w.folder, load_rule_set(w.folder), reviewer=REVIEWER, role=ROLE, key=w.key, today=signed
    )


def _retire(w: World) -> None:
    claim_approved(w.folder, status="retired")


def _drop_approval(w: World) -> None:
    (w.folder / "approval.yaml").unlink()


def _add_case_file(w: World) -> None:
    (w.folder / "tests" / "extra.yaml").write_text("cases: []\n")


def _remove_example(w: World) -> None:
    (w.folder / "examples" / "crps-no-concerns.yaml").unlink()


SCENARIOS = (
    Scenario("approved", _nothing, ApprovalKind.APPROVED, lambda _w: APPROVED),
    Scenario(
        "trusted-by-the-system-folder", _trust_in_system_folder_only, ApprovalKind.APPROVED,
        lambda _w: APPROVED,
    ),
    *(
        Scenario(f"one-byte-{name}", _tamper(name), ApprovalKind.EDITED, edited(name))
        for name in FILE_KINDS
    ),
    Scenario("case-file-added", _add_case_file, ApprovalKind.EDITED, edited("tests/extra.yaml")),
    Scenario(
        "example-removed", _remove_example, ApprovalKind.EDITED,
        edited("examples/crps-no-concerns.yaml"),
    ),
    Scenario(
        "one-byte-approval.yaml", _rename_reviewer, ApprovalKind.INVALID,
        lambda _w: INVALID.format(ALTERED),
    ),
    Scenario(
        "manifest-rewritten", _rewrite_manifest, ApprovalKind.INVALID,
        lambda _w: INVALID.format(ALTERED),
    ),
    Scenario(
        "key-swapped", _resign_with_attacker, ApprovalKind.UNTRUSTED,
        lambda w: "NOT APPROVED: signed with a key this installation does not trust "
        f"(key {_id(w.attacker)}, signed as {REVIEWER} on {day(SIGNED)})",
    ),
    Scenario(
        "key-swapped-under-the-trusted-id", _attacker_claims_trusted_id, ApprovalKind.INVALID,
        lambda w: INVALID.format(f"approval.yaml names key {_id(w.key)} but holds another"),
    ),
    Scenario(
        "key-untrusted", _untrust, ApprovalKind.UNTRUSTED,
        lambda w: "NOT APPROVED: signed with a key this installation does not trust "
        f"(key {_id(w.key)}, signed as {REVIEWER} on {day(SIGNED)})",
    ),
    Scenario(
        "expired", _expire, ApprovalKind.EXPIRED,
        lambda _w: f"EXPIRED: this rule set was due for review by "
        f"{day(TODAY - timedelta(days=30))} (approved by {REVIEWER} on "
        f"{day(TODAY - timedelta(days=400))})",
    ),
    Scenario(
        "retired", _retire, ApprovalKind.RETIRED,
        lambda _w: "RETIRED: this rule set is no longer in use; it cannot start a new consultation",
    ),
    Scenario(
        "approval-removed", _drop_approval, ApprovalKind.UNSIGNED,
        lambda _w: "NOT APPROVED: ruleset.yaml says approved, but the rule set has no approval "
        "signature",
    ),
)  # fmt: skip

CLAIM_BROKEN = {
    ApprovalKind.EDITED,
    ApprovalKind.INVALID,
    ApprovalKind.UNTRUSTED,
    ApprovalKind.UNSIGNED,
}


def make_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    """A copy of the bundled set approved with a throw-away key this installation trusts."""
    system, user = trust_dirs(tmp_path, monkeypatch)
    key, attacker = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    trust(key, user)
    return World(approved_copy(tmp_path / "approved", key), key, attacker, system, user)
