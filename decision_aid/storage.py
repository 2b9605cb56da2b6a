"""Saving consultations so that an answer is never lost, nor a good file broken.

Every save writes a private temporary file in the target's folder, checks that every
byte was written, flushes it to disk, renames it over the target, and flushes the
folder. A full disk or a crash at any moment leaves either the previous save or the
new one, complete; never a mixture, never a truncated file. (QSaveFile was seen to
commit a truncated file on a full disk, so we do not use it.)

Autosaves live in the per-user data folder (``platformdirs``), files 0600 and
folders 0700, one per consultation, until the clinician closes it on purpose.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from decision_aid.domain.errors import InputError, NewerFormatError, StorageError

if TYPE_CHECKING:
    from decision_aid.domain.consultation import Consultation

__all__ = [
    "MAX_CONSULTATION_BYTES",
    "Autosave",
    "Pending",
    "atomic_write",
    "data_dir",
    "read_consultation",
    "write_consultation",
]

MAX_CONSULTATION_BYTES = 4 * 1024 * 1024
DATA_DIR_VARIABLE = "DECISION_AID_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder; ``DECISION_AID_DATA_DIR`` overrides it (tests, kiosks)."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else user_data_path("decision-aid", appauthor=False)


def _private_dir(path: Path) -> None:
    # The data folder around it is the app's own too: a new one is made 0700, not by umask.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a folder be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes, *, private_folder: bool = False) -> None:
    """Replace ``path`` with ``data`` all at once, as a 0600 file; raise StorageError on failure.

    ``private_folder`` creates the folder 0700 (the autosave folder); a folder the user
    chose is used as it is, never re-permissioned.
    """
    folder = path.parent
    try:
        if private_folder:
            _private_dir(folder)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise StorageError(error.strerror or str(error), path=str(path)) from None
    temp = Path(temp_name)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if written <= 0:
                    raise OSError(28, "no space left on device")
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise StorageError(
            f"could not save ({error.strerror or error}); the previous save is kept",
            path=str(path),
        ) from None
    _fsync_dir(folder)


def write_consultation(
    path: Path, consultation: Consultation, *, private_folder: bool = False
) -> None:
    atomic_write(path, consultation.to_json().encode("utf-8"), private_folder=private_folder)


def read_consultation(path: Path, *, now: datetime | None = None) -> Consultation:
    """Read a saved consultation; an unreadable one is an :class:`InputError`.

    ``now`` is the reader's clock (the present by default): no date may lie past it.
    """
    from decision_aid.domain.consultation import Consultation  # the models load on first use

    try:
        if path.stat().st_size > MAX_CONSULTATION_BYTES:
            raise InputError("the file is too large to be a consultation", source=str(path))
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not a consultation file (not UTF-8 text)", source=str(path)) from None
    except OSError as error:
        raise InputError(error.strerror or str(error), source=str(path)) from None
    return Consultation.from_json(text, source=str(path), now=now or datetime.now(UTC))


@dataclass(frozen=True)
class Pending:
    """An autosave left behind by a consultation that was never closed."""

    path: Path
    consultation: Consultation


class Autosave:
    """One file per open consultation under ``<data>/autosave/``."""

    def __init__(self, root: Path | None = None) -> None:
        self.folder = (root or data_dir()) / "autosave"

    def path_for(self, consultation: Consultation) -> Path:
        return self.folder / f"{consultation.id}.json"

    def save(self, consultation: Consultation) -> Path:
        path = self.path_for(consultation)
        write_consultation(path, consultation, private_folder=True)
        return path

    def discard(self, consultation: Consultation) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(consultation).unlink()

    def pending(self) -> tuple[list[Pending], list[str]]:
        """Unfinished consultations, newest first, and a message for each unreadable one.

        An unreadable autosave is renamed ``*.corrupt`` (kept for inspection, never
        offered again) and reported; stray temporary files from a crash are removed.
        """
        if not self.folder.is_dir():
            return [], []
        found: list[Pending] = []
        problems: list[str] = []
        for path in sorted(self.folder.iterdir()):
            if path.name.startswith(".") and path.suffix == ".tmp":
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            if path.suffix != ".json":
                continue
            try:
                found.append(Pending(path, read_consultation(path)))
            except NewerFormatError as error:
                problems.append(f"An autosave is kept for a newer decision-aid: {error}")
            except InputError as error:
                with contextlib.suppress(OSError):
                    path.rename(path.with_suffix(".corrupt"))
                problems.append(f"An autosave could not be read and was set aside: {error}")
        found.sort(key=lambda p: p.consultation.updated, reverse=True)
        return found, problems
