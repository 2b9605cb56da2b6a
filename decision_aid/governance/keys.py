"""A reviewer's Ed25519 key pairs, kept in the user data folder.

Each key is two files in ``<data folder>/keys/``: ``<key id>.key``, the private key as
passphrase-encrypted PKCS#8 PEM (0600, in a 0700 folder), and ``<key id>.pub``, the public
key as PEM. The key id is the first 16 hex digits of the SHA-256 of the raw public key,
so it names the key itself, never a file name someone chose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from decision_aid.domain.errors import DecisionAidError
from decision_aid.storage.atomic import atomic_write
from decision_aid.storage.data_folder import data_dir

__all__ = [
    "MIN_PASSPHRASE",
    "KeyFileError",
    "KeyPair",
    "find_key",
    "key_id",
    "keys_dir",
    "list_keys",
    "load_private_key",
    "load_public_key",
    "new_key",
    "public_pem",
    "raw_public_key",
    "read_public_key",
]

MIN_PASSPHRASE = 8
MAX_KEY_FILE = 64 * 1024


class KeyFileError(DecisionAidError):
    """A key cannot be made, found, read or unlocked; the message says what to do."""


@dataclass(frozen=True)
class KeyPair:
    """A key this user holds: its id and where its two files are."""

    key_id: str
    private: Path
    public: Path


def keys_dir() -> Path:
    return data_dir() / "keys"


def raw_public_key(public: Ed25519PublicKey) -> bytes:
    """The key's 32 bytes, as an approval holds them and its id is made from."""
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_key(public)).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def new_key(passphrase: bytes, *, folder: Path | None = None) -> KeyPair:
    """Make a key pair; the private key is encrypted with the passphrase and kept 0600."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyFileError(f"the passphrase is too short: use at least {MIN_PASSPHRASE} characters")
    folder = folder or keys_dir()
    private = Ed25519PrivateKey.generate()
    ident = key_id(private.public_key())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )
    pair = KeyPair(ident, folder / f"{ident}.key", folder / f"{ident}.pub")
    atomic_write(pair.private, pem, private_folder=True)
    atomic_write(pair.public, public_pem(private.public_key()))
    return pair


def list_keys(folder: Path | None = None) -> list[KeyPair]:
    folder = folder or keys_dir()
    if not folder.is_dir():
        return []
    return [
        KeyPair(path.stem, path, path.with_suffix(".pub"))
        for path in sorted(folder.glob("*.key"))
        if path.is_file()
    ]


def _read(path: Path, what: str) -> bytes:
    try:
        if path.stat().st_size > MAX_KEY_FILE:
            raise KeyFileError(f"{path}: too large to be a {what}")
        return path.read_bytes()
    except OSError as error:
        raise KeyFileError(f"{path}: cannot read the {what}: {error.strerror or error}") from None


def find_key(name: str, folder: Path | None = None) -> Path:
    """The private key file named by a key id (or a unique prefix of one), or by a path."""
    path = Path(name)
    if path.suffix == ".key" and path.is_file():
        return path
    matches = [pair.private for pair in list_keys(folder) if pair.key_id.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    held = ", ".join(pair.key_id for pair in list_keys(folder)) or "none"
    if not matches:
        raise KeyFileError(f"no key {name!r} in {folder or keys_dir()} (keys held: {held})")
    raise KeyFileError(f"{name!r} matches more than one key ({held}): give more of the key id")


def load_private_key(path: Path, passphrase: bytes) -> Ed25519PrivateKey:
    data = _read(path, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=passphrase or None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(
            f"{path}: cannot unlock the private key: wrong passphrase, or not a key file"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return key


def load_public_key(data: bytes, where: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise KeyFileError(
            f"{where}: not a PEM public key (decision-aid keys export makes one)"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{where}: not an Ed25519 public key")
    return key


def read_public_key(path: Path) -> Ed25519PublicKey:
    return load_public_key(_read(path, "public key"), str(path))
