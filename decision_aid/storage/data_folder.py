"""The per-user data folder, and the app's own folders in it (made 0700, never followed
through a link).

Nothing outside the data folder is ever created, re-permissioned or deleted; a folder of
the app's that is not a real folder (a link or a file put in its place) is left alone.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from platformdirs import user_data_path

from decision_aid.domain.errors import StorageError

__all__ = ["data_dir", "private_dir"]

DATA_DIR_VARIABLE = "DECISION_AID_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder; ``DECISION_AID_DATA_DIR`` overrides it (tests, kiosks)."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else user_data_path("decision-aid", appauthor=False)


def private_dir(path: Path) -> None:
    """Make the app's own folder ``path`` 0700 (and a missing parent, never an existing one).

    Raises StorageError when ``path`` is not a real folder (a link or a file is in its
    place), and leaves it alone.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise StorageError(
            "this is not a folder (a link or a file is in its place); decision-aid leaves it alone",
            path=str(path),
        )
    if stat.S_IMODE(info.st_mode) != 0o700 and info.st_uid == getattr(os, "getuid", lambda: 0)():
        os.chmod(path, 0o700)
