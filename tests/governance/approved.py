"""Helpers for the approval tests: a copy of the bundled set, approved with a throw-away key,
and the one-byte tampering the tests apply to it. Everything goes through public seams."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from decision_aid.domain import load_rule_set
from decision_aid.governance.approval import approve
from decision_aid.governance.keys import public_pem
from tests.conftest import BUNDLED

REVIEWER, ROLE = "Dr Ann Smith", "Pain consultant"
TODAY = date.today()
SIGNED = TODAY - timedelta(days=3)
REVIEW_BY = TODAY + timedelta(days=365)

# One file of each kind the folder holds: every one is inside the approval's scope.
FILE_KINDS = (
    "ruleset.yaml",
    "questionnaire.yaml",
    "references.yaml",
    "sheet.yaml",
    "properties.yaml",
    "rules/safety.yaml",
    "tests/safety.yaml",
    "examples/crps-asra.yaml",
)


def day(value: date) -> str:
    return f"{value:%d %B %Y}"


def trust_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A private system and user trust folder, and data folder, for one test."""
    system, user = tmp_path / "trust-system", tmp_path / "trust-user"
    monkeypatch.setenv("DECISION_AID_TRUST_DIRS", f"{system}:{user}")
    monkeypatch.setenv("DECISION_AID_DATA_DIR", str(tmp_path / "data"))
    return system, user


def trust(key: Ed25519PrivateKey, folder: Path, name: str = "reviewer.pem") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(public_pem(key.public_key()))
    return path


def claim_approved(folder: Path, *, review_by: date = REVIEW_BY, status: str = "approved") -> None:
    path = folder / "ruleset.yaml"
    text = re.sub(r"^status: \w+$", f"status: {status}", path.read_text(), flags=re.M)
    text = re.sub(r"^review_by: .*$", f"review_by: {review_by.isoformat()}", text, flags=re.M)
    path.write_text(text)


def approved_copy(
    target: Path,
    key: Ed25519PrivateKey,
    *,
    signed: date = SIGNED,
    review_by: date = REVIEW_BY,
) -> Path:
    """A copy of the bundled set, ``status: approved`` and signed by ``key`` on ``signed``."""
    shutil.copytree(BUNDLED, target)
    claim_approved(target, review_by=review_by)
    approve(target, load_rule_set(target), reviewer=REVIEWER, role=ROLE, key=key, today=signed)
    return target


def tamper_one_byte(path: Path) -> None:
    """Change the file's last byte (a newline becomes a space): still valid YAML, but not
    the bytes that were approved."""
    data = bytearray(path.read_bytes())
    data[-1] = ord(" ") if data[-1] == ord("\n") else ord("\n")
    path.write_bytes(bytes(data))


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
