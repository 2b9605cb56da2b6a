"""Which public keys this installation trusts: configured, never claimed by a rule set.

Trusted keys are PEM public key files (``*.pem`` or ``*.pub``) in two folders: the
system's (``/etc/decision-aid/trusted-keys`` on Linux, managed by the clinic's IT) and
the user's (``~/.config/decision-aid/trusted-keys`` on Linux; ``decision-aid keys trust``
adds to it). ``DECISION_AID_TRUST_DIRS`` (folders separated by ``os.pathsep``) replaces
both, for tests and locked-down kiosks; ``keys trust`` then writes to the last one.
A key is known by the id computed from the key itself, whatever its file is called.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from platformdirs import site_config_path, user_config_path

from decision_aid.governance.keys import KeyFileError, key_id, public_pem, read_public_key
from decision_aid.storage.atomic import atomic_write

__all__ = [
    "TRUST_DIRS_VARIABLE",
    "TrustedKey",
    "trust_dirs",
    "trust_key",
    "trusted_keys",
    "user_trust_dir",
]

TRUST_DIRS_VARIABLE = "DECISION_AID_TRUST_DIRS"
APP = "decision-aid"
FOLDER = "trusted-keys"
SUFFIXES = (".pem", ".pub")


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    key: Ed25519PublicKey
    path: Path


def trust_dirs() -> list[Path]:
    """The folders read for trusted keys, system first."""
    override = os.environ.get(TRUST_DIRS_VARIABLE)
    if override is not None:
        return [Path(part) for part in override.split(os.pathsep) if part]
    system = site_config_path(APP, appauthor=False, multipath=False)
    if sys.platform.startswith("linux"):  # not XDG's /etc/xdg: where a .deb puts its files
        system = Path("/etc") / APP
    return [system / FOLDER, user_config_path(APP, appauthor=False) / FOLDER]


def user_trust_dir() -> Path:
    folders = trust_dirs()
    if not folders:
        raise KeyFileError(f"{TRUST_DIRS_VARIABLE} names no folder to add a trusted key to")
    return folders[-1]


def trusted_keys() -> tuple[dict[str, TrustedKey], list[str]]:
    """Key id → trusted key, and a message for each file that is not a usable key."""
    found: dict[str, TrustedKey] = {}
    refused: list[str] = []
    for folder in trust_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            try:
                key = read_public_key(path)
            except KeyFileError as error:
                refused.append(str(error))
                continue
            ident = key_id(key)
            found.setdefault(ident, TrustedKey(ident, key, path))
    return found, refused


def trust_key(source: Path) -> TrustedKey:
    """Copy a public key file into the user's trust folder, named by its key id."""
    key = read_public_key(source)
    ident = key_id(key)
    folder = user_trust_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{ident}.pem"
    atomic_write(target, public_pem(key))
    return TrustedKey(ident, key, target)
