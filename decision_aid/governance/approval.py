"""The approval state of a loaded rule set, and signing a rule set's approval.

A rule set is *approved* only when its folder holds an ``approval.yaml`` whose Ed25519
signature verifies with a key this installation trusts (:mod:`~decision_aid.governance.trust`),
over the loader's digest and every file in the folder (:mod:`~decision_aid.governance.manifest`),
and its review date has not passed. ``status: approved`` in ``ruleset.yaml`` claims it;
the signature proves it. Every other state is a mark the window and the sheet show, in
the words of :meth:`ApprovalState.describe`.

The cryptography is loaded only for a rule set that holds an approval: reading keys
costs a tenth of the window's start, and a draft has no signature to check.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from decision_aid.domain.errors import DecisionAidError, Problem
from decision_aid.domain.rules import RuleSet, Status
from decision_aid.domain.yamlsource import dump_yaml, read_yaml
from decision_aid.governance.manifest import APPROVAL_FILE, ManifestError, changed_files, manifest
from decision_aid.storage.atomic import atomic_write

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from decision_aid.governance.trust import TrustedKey

__all__ = [
    "APPROVAL_FILE",
    "FORMAT",
    "ApprovalError",
    "ApprovalKind",
    "ApprovalState",
    "SignedApproval",
    "approval_problems",
    "approval_state",
    "approve",
    "refusal_problem",
]

FORMAT = "decision-aid-approval/1"


class ApprovalError(DecisionAidError):
    """A rule set cannot be approved as asked; the message says what to do first."""


class ApprovalKind(StrEnum):
    APPROVED = "approved"
    UNSIGNED = "unsigned"
    EDITED = "edited-after-approval"
    UNTRUSTED = "untrusted-key"
    INVALID = "invalid-signature"
    EXPIRED = "expired"
    RETIRED = "retired"


def _day(value: date) -> str:
    return f"{value:%d %B %Y}"


@dataclass(frozen=True)
class ApprovalState:
    """What is known of a loaded rule set's approval. ``kind`` is an :class:`ApprovalKind`."""

    kind: str
    status: str
    review_by: date
    reviewer: str | None = None
    role: str | None = None
    approved_on: date | None = None
    key_id: str | None = None
    changed: tuple[str, ...] = ()
    reason: str = ""

    @property
    def approved(self) -> bool:
        return self.kind == ApprovalKind.APPROVED

    def flags(self) -> tuple[str, ...]:
        """Short marks for a window title: DRAFT, NOT APPROVED, EXPIRED, RETIRED."""
        if self.kind == ApprovalKind.APPROVED:
            return ()
        if self.kind in (ApprovalKind.RETIRED, ApprovalKind.EXPIRED):
            return (str(self.kind).upper(),)
        first = "DRAFT" if self.status == Status.DRAFT else "NOT APPROVED"
        return (first, "EXPIRED") if self.reason.startswith("EXPIRED") else (first,)

    def fhir_status(self, claimed: str) -> str:
        """A FHIR Questionnaire status that claims no more than is proved: "active" only
        for an approved set (an unproved "approved" is exported as "draft")."""
        return "draft" if claimed == "active" and not self.approved else claimed

    def refusal(self) -> str | None:
        """Why no new consultation may start with this rule set, or None when one may."""
        if self.kind != ApprovalKind.RETIRED:
            return None
        return (
            "this rule set is retired (status: retired in ruleset.yaml): it cannot be used "
            "for a new consultation; use the rule set that replaces it"
        )

    def _by(self) -> str:
        on = f" on {_day(self.approved_on)}" if self.approved_on else ""
        return f"{self.reviewer}{on}"

    def describe(self) -> str:
        """The mark, in words: the same on screen, in the CLI and on every page of a sheet."""
        kind = self.kind
        if kind == ApprovalKind.APPROVED:
            role = f" ({self.role})" if self.role else ""
            return (
                f"Approved by {self.reviewer}{role} on {_day(self.approved_on or self.review_by)};"
                f" review by {_day(self.review_by)}"
            )
        if kind == ApprovalKind.RETIRED:
            return "RETIRED: this rule set is no longer in use; it cannot start a new consultation"
        if kind == ApprovalKind.EDITED:
            files = ", ".join(self.changed[:3]) + (" …" if len(self.changed) > 3 else "")
            which = f" ({files})" if files else ""
            return f"NOT APPROVED: Rules changed since approval by {self._by()}{which}"
        if kind == ApprovalKind.UNTRUSTED:
            return (
                f"NOT APPROVED: signed with a key this installation does not trust "
                f"(key {self.key_id}, signed as {self._by()})"
            )
        if kind == ApprovalKind.INVALID:
            return f"NOT APPROVED: the approval signature is not valid ({self.reason})"
        if kind == ApprovalKind.EXPIRED:
            return (
                f"EXPIRED: this rule set was due for review by {_day(self.review_by)} "
                f"(approved by {self._by()})"
            )
        text = (
            "DRAFT: this rule set has not been approved by a clinician"
            if self.status != Status.APPROVED
            else "NOT APPROVED: ruleset.yaml says approved, but the rule set has no approval "
            "signature"
        )
        if self.reason:  # past its review date as well
            text += f". {self.reason}"
        return text


class SignedApproval(BaseModel):
    """``approval.yaml``: what the reviewer signed, and the signature."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    format: Literal["decision-aid-approval/1"]
    rule_set: str
    version: str
    digest: str
    reviewer: str = Field(min_length=1)
    role: str = Field(min_length=1)
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    key_id: str
    public_key: str
    files: dict[str, str]
    signature: str

    def signed_bytes(self) -> bytes:
        """The canonical bytes the signature is over: everything but the signature."""
        body = self.model_dump(exclude={"signature"})
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _unsigned_reason(rule_set: RuleSet, today: date) -> str:
    review_by = rule_set.info.review_by
    return (
        f"EXPIRED: this rule set was due for review by {_day(review_by)}"
        if review_by < today
        else ""
    )


def _read_approval(path: Path) -> SignedApproval | str:
    if not path.is_file():  # a folder, a dangling link, a pipe that would block the read
        return f"{APPROVAL_FILE} is not a regular file"
    document, problems = read_yaml(path)
    if problems:
        return f"{APPROVAL_FILE} cannot be read: {problems[0].message}"
    try:
        return SignedApproval.model_validate(document.data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        return f"{APPROVAL_FILE} is malformed at {where}: {first['msg']}"


def _verify(signed: SignedApproval) -> Ed25519PublicKey | str:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from decision_aid.governance.keys import key_id

    try:
        public = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(signed.public_key, validate=True)
        )
        signature = base64.b64decode(signed.signature, validate=True)
    except (ValueError, binascii.Error):
        return f"{APPROVAL_FILE} holds no usable public key or signature"
    if key_id(public) != signed.key_id:
        return f"{APPROVAL_FILE} names key {signed.key_id} but holds another"
    try:
        public.verify(signature, signed.signed_bytes())
    except InvalidSignature:
        return f"{APPROVAL_FILE} was altered after signing, or signed by another key"
    return public


def approval_state(
    rule_set: RuleSet,
    *,
    folder: Path | None = None,
    today: date | None = None,
    trusted: dict[str, TrustedKey] | None = None,
) -> ApprovalState:
    """The approval state of a rule set loaded from ``folder`` (default: its source)."""
    root = Path(rule_set.source) if folder is None else folder
    when = today or date.today()
    info = rule_set.info
    base: dict[str, Any] = {"status": str(info.status), "review_by": info.review_by}
    if info.status is Status.RETIRED:
        return ApprovalState(ApprovalKind.RETIRED, **base)
    path = root / APPROVAL_FILE
    if info.status is not Status.APPROVED or not (path.exists() or path.is_symlink()):
        return ApprovalState(ApprovalKind.UNSIGNED, **base, reason=_unsigned_reason(rule_set, when))
    signed = _read_approval(path)
    if isinstance(signed, str):
        return ApprovalState(ApprovalKind.INVALID, **base, reason=signed)
    public = _verify(signed)
    if isinstance(public, str):
        return ApprovalState(ApprovalKind.INVALID, **base, reason=public)
    try:
        on: date | None = date.fromisoformat(signed.date)
    except ValueError:
        return ApprovalState(ApprovalKind.INVALID, **base, reason=f"{signed.date} is no date")
    who: dict[str, Any] = {
        "reviewer": signed.reviewer, "role": signed.role, "approved_on": on,
        "key_id": signed.key_id,
    }  # fmt: skip
    if trusted is None:
        from decision_aid.governance.trust import trusted_keys

        trusted = trusted_keys()[0]
    found = trusted.get(signed.key_id)
    if found is None or found.key != public:
        return ApprovalState(ApprovalKind.UNTRUSTED, **base, **who)
    try:
        now = manifest(root)
    except ManifestError as error:
        return ApprovalState(ApprovalKind.EDITED, **base, **who, reason=str(error))
    changed = changed_files(signed.files, now)
    if changed or signed.digest != rule_set.digest:
        return ApprovalState(ApprovalKind.EDITED, **base, **who, changed=changed)
    if (signed.rule_set, signed.version) != (info.id, info.version):
        return ApprovalState(ApprovalKind.EDITED, **base, **who)
    if info.review_by < when:
        return ApprovalState(ApprovalKind.EXPIRED, **base, **who)
    return ApprovalState(ApprovalKind.APPROVED, **base, **who)


_CLAIM_BROKEN = frozenset(
    {ApprovalKind.UNSIGNED, ApprovalKind.EDITED, ApprovalKind.UNTRUSTED, ApprovalKind.INVALID}
)


def _status_problem(rule_set: RuleSet, code: str, message: str) -> Problem:
    path = Path(rule_set.source) / "ruleset.yaml"
    document, _ = read_yaml(path, str(path))
    return document.problem(("status",), code, message)


def refusal_problem(rule_set: RuleSet, state: ApprovalState) -> Problem | None:
    """The refusal of a retired set, placed on its status, for a window's problem list."""
    refused = state.refusal()
    return None if refused is None else _status_problem(rule_set, "retired", refused)


def approval_problems(rule_set: RuleSet, state: ApprovalState) -> list[Problem]:
    """``status: approved`` that the signature does not bear out: an error for ``check``,
    placed on the status in ruleset.yaml."""
    if rule_set.info.status is not Status.APPROVED or state.kind not in _CLAIM_BROKEN:
        return []
    message = (
        f"status is 'approved' but the rule set is not: {state.describe()}; "
        "approve it with decision-aid approve, or set status: draft"
    )
    return [_status_problem(rule_set, "not-approved", message)]


def approve(
    folder: Path,
    rule_set: RuleSet,
    *,
    reviewer: str,
    role: str,
    key: Ed25519PrivateKey,
    today: date | None = None,
) -> SignedApproval:
    """Sign the loaded rule set and every file in its folder; write approval.yaml atomically."""
    when = today or date.today()
    info = rule_set.info
    for label, value in (("--reviewer", reviewer), ("--role", role)):
        if not value.strip() or any(c in value for c in "\r\n\t"):
            raise ApprovalError(f"{label} must be a name on one line")
    if info.status is not Status.APPROVED:
        raise ApprovalError(
            f"{folder / 'ruleset.yaml'}: status is '{info.status}': set status: approved "
            "(and a review_by date) first, then approve"
        )
    if info.review_by < when:
        raise ApprovalError(
            f"{folder / 'ruleset.yaml'}: the review date {info.review_by} has passed: "
            "set a new review_by first"
        )
    try:
        files = manifest(folder)
    except ManifestError as error:
        raise ApprovalError(str(error)) from None
    from decision_aid.governance.keys import key_id, raw_public_key

    public = key.public_key()
    body: dict[str, Any] = {
        "format": FORMAT,
        "rule_set": info.id,
        "version": info.version,
        "digest": rule_set.digest,
        "reviewer": reviewer.strip(),
        "role": role.strip(),
        "date": when.isoformat(),
        "key_id": key_id(public),
        "public_key": base64.b64encode(raw_public_key(public)).decode(),
        "files": files,
        "signature": "",
    }
    unsigned = SignedApproval.model_validate(body)
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode()
    signed = unsigned.model_copy(update={"signature": signature})
    text = "# Written by decision-aid approve: do not edit; any change voids the approval.\n"
    text += dump_yaml(signed.model_dump())
    atomic_write(folder / APPROVAL_FILE, text.encode("utf-8"))
    return signed
