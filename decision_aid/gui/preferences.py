"""The window's remembered choices (the details switch, the rule author's menu, the
clinician's name that each override records): a small JSON file in the per-user data
folder, written as the autosaves are (0600, atomically, in a 0700 folder). A preference
that cannot be read or kept falls back to off (a name, to being asked again)."""

from __future__ import annotations

import contextlib
import json

from decision_aid.domain.errors import StorageError
from decision_aid.storage.atomic import atomic_write
from decision_aid.storage.data_folder import data_dir

__all__ = ["clinician_name", "preference", "set_clinician_name", "set_preference"]

CLINICIAN = "clinician_name"

MAX_BYTES = 64 * 1024


def _read() -> dict[str, object]:
    path = data_dir() / "preferences.json"
    if not path.is_file() or path.is_symlink():  # a regular file only: never a pipe
        return {}
    try:
        with path.open("rb") as file:
            found = json.loads(file.read(MAX_BYTES))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def preference(key: str) -> bool:
    return _read().get(key) is True


def clinician_name() -> str:
    """The name overrides record; empty until the clinician gives it."""
    name = _read().get(CLINICIAN)
    return name.strip() if isinstance(name, str) else ""


def set_clinician_name(name: str) -> None:
    """Remember the clinician's name (used for this session even where it cannot be kept)."""
    _write({**_read(), CLINICIAN: name.strip()})


def set_preference(key: str, value: bool) -> None:
    """Remember ``value``; the switch works for this session even where it cannot be kept."""
    _write({**_read(), key: value})


def _write(kept: dict[str, object]) -> None:
    with contextlib.suppress(StorageError):
        atomic_write(
            data_dir() / "preferences.json", json.dumps(kept).encode(), private_folder=True
        )
