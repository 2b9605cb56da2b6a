"""The approval's scope: every file in a rule set's folder, by SHA-256.

The loader's digest covers the files it reads; an approval also covers the case files,
the examples and anything else in the folder, so that no file of an approved set can
change, appear or vanish unseen. Only ``approval.yaml`` itself is left out.
Symbolic links are followed (the loader follows them too), each real folder once.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from decision_aid.domain.layout import APPROVAL_FILE

__all__ = ["APPROVAL_FILE", "MAX_FILES", "ManifestError", "changed_files", "manifest"]

MAX_FILES = 5000


class ManifestError(Exception):
    """The folder cannot be read whole: it cannot be approved, nor count as approved."""


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(folder: Path) -> dict[str, str]:
    """Relative path (with ``/``) → sha256 of every file under ``folder`` but approval.yaml."""
    found: dict[str, str] = {}
    seen: set[str] = set()
    pending = [(folder, "")]
    try:
        while pending:
            current, prefix = pending.pop()
            real = os.path.realpath(current)
            if real in seen:
                continue
            seen.add(real)
            for entry in sorted(os.scandir(current), key=lambda e: e.name):
                name = prefix + entry.name
                if entry.is_dir():  # follows links
                    pending.append((Path(entry.path), name + "/"))
                elif name == APPROVAL_FILE:
                    continue
                elif entry.is_file():
                    found[name] = _hash(Path(entry.path))
                else:  # a dangling link, a device, a pipe: nothing an approval can vouch for
                    found[name] = "not-a-file"
                if len(found) > MAX_FILES:
                    raise ManifestError(f"{folder}: more than {MAX_FILES} files")
    except OSError as error:
        raise ManifestError(f"{folder}: cannot read every file: {error}") from None
    return dict(sorted(found.items()))


def changed_files(signed: dict[str, str], now: dict[str, str]) -> tuple[str, ...]:
    """The files added, removed or changed since ``signed``, sorted."""
    return tuple(
        sorted(name for name in signed.keys() | now.keys() if signed.get(name) != now.get(name))
    )
