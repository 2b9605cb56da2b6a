"""The window's remembered choices (the details switch, the rule author's menu): a small
JSON file in the per-user data folder, written as the autosaves are (0600, atomically, in
a 0700 folder). A preference that cannot be read or kept falls back to off."""

from __future__ import annotations

import contextlib
import json

from decision_aid.domain.errors import StorageError
from decision_aid.storage import atomic_write, data_dir

__all__ = ["preference", "set_preference"]

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


def set_preference(key: str, value: bool) -> None:
    """Remember ``value``; the switch works for this session even where it cannot be kept."""
    kept = {**_read(), key: value}
    with contextlib.suppress(StorageError):
        atomic_write(
            data_dir() / "preferences.json", json.dumps(kept).encode(), private_folder=True
        )
