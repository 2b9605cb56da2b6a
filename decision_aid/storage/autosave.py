"""Autosaves: an answer is never lost, and one instance never takes another's consultation.

Autosaves live in ``<data>/autosave/`` (``platformdirs``), files 0600 and the folder
0700. Each open consultation has a *slot* named by the app (a fresh ``uuid4`` hex, or
the name of the file it was restored from), never by anything in the consultation: an
id is never a path. The instance that holds a slot holds an OS lock on
``<slot>.lock`` (:mod:`~decision_aid.storage.locks`) while its consultation is open;
another instance never offers, restores, discards or cleans a locked slot. The
start-up scan (:meth:`Autosave.pending`) never follows a link and never opens anything
but a regular file; it removes a temporary file only when it is over an hour old and
its slot is unlocked. Nothing outside the autosave folder is ever created (but the
data folder itself), re-permissioned or deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from decision_aid.domain.errors import InputError, NewerFormatError, StorageError
from decision_aid.storage.atomic import atomic_write
from decision_aid.storage.consultation_file import (
    consultation_bytes,
    consultation_file_bytes,
    parse_consultation,
)
from decision_aid.storage.data_folder import data_dir, private_dir
from decision_aid.storage.locks import NO_LOCK, try_lock, unlock

if TYPE_CHECKING:
    from decision_aid.domain.consultation import Consultation

__all__ = ["STALE_TEMP_SECONDS", "Autosave", "Pending"]

STALE_TEMP_SECONDS = 3600.0
"""An unlocked temporary autosave file older than this is left over from a crash."""

_SLOT = re.compile(r"[0-9A-Za-z_-]{1,64}")
_TEMP = re.compile(r"\.([0-9A-Za-z_-]{1,64})\.json\..+\.tmp")  # atomic_write's temporary files


@dataclass(frozen=True)
class Pending:
    """An autosave left behind by a consultation that was never closed."""

    path: Path
    consultation: Consultation


@dataclass(frozen=True)
class _Slot:
    """One consultation's autosave: ``<name>.json``, guarded by ``<name>.lock``."""

    name: str
    lock: int


class Autosave:
    """One file per open consultation under ``<data>/autosave/``, named by the app.

    ``save``, ``path_for``, ``release`` and ``discard`` take the consultation, but only
    to find (in memory) the slot this instance opened or claimed for it.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.folder = (root or data_dir()) / "autosave"
        self._slots: dict[str, _Slot] = {}

    def _file(self, name: str, suffix: str) -> Path:
        return self.folder / f"{name}{suffix}"

    def path_for(self, consultation: Consultation) -> Path:
        """The autosave file of ``consultation``; LookupError before its first save."""
        slot = self._slots.get(consultation.id)
        if slot is None:
            raise LookupError("this consultation has no autosave yet")
        return self._file(slot.name, ".json")

    def _open_slot(self) -> _Slot:
        try:
            private_dir(self.folder)
            name = uuid.uuid4().hex
            lock = try_lock(self._file(name, ".lock"), create=True)
        except StorageError as error:
            why = str(error).removeprefix(f"{self.folder}: ")
            raise StorageError(
                f"this consultation cannot be kept on this computer ({why}); "
                "save it to a file to keep it",
                path=str(self.folder),
            ) from None
        except OSError as error:
            raise StorageError(
                f"this consultation cannot be kept on this computer "
                f"({error.strerror or error}); save it to a file to keep it",
                path=str(self.folder),
            ) from None
        if lock is None:  # a fresh uuid4 already locked: nothing sane can be done with it
            raise StorageError("could not lock a new autosave file", path=str(self.folder))
        return _Slot(name, lock)

    def save(self, consultation: Consultation) -> Path:
        """Autosave ``consultation`` in its slot (a new one on its first save)."""
        slot = self._slots.get(consultation.id)
        if slot is None:
            data = consultation_bytes(consultation, path=self.folder)  # refuse before a slot
            slot = self._open_slot()
            self._slots[consultation.id] = slot
        else:
            data = consultation_bytes(consultation, path=self._file(slot.name, ".json"))
            try:  # still our folder, not a link put in its place since the last save
                private_dir(self.folder)
            except OSError as error:
                raise StorageError(error.strerror or str(error), path=str(self.folder)) from None
        path = self._file(slot.name, ".json")
        atomic_write(path, data)
        return path

    def claim(self, pending: Pending) -> None:
        """Continue ``pending`` in its own file; StorageError if another instance has it."""
        name = self._slot_name(pending)
        if pending.consultation.id in self._slots:
            raise StorageError("this consultation is already open", path=str(pending.path))
        try:
            lock = try_lock(self._file(name, ".lock"))
        except OSError as error:
            raise StorageError(error.strerror or str(error), path=str(pending.path)) from None
        if lock is None:
            raise StorageError(
                "this consultation is open in another decision-aid window", path=str(pending.path)
            )
        self._slots[pending.consultation.id] = _Slot(name, lock)

    def release(self, consultation: Consultation) -> None:
        """Let go of the slot, keeping its file (it will be offered at the next start)."""
        slot = self._slots.pop(consultation.id, None)
        if slot is not None:
            unlock(slot.lock)

    def close(self) -> None:
        """Release every slot this instance holds, keeping their files."""
        for slot in self._slots.values():
            unlock(slot.lock)
        self._slots.clear()

    def discard(self, consultation: Consultation) -> None:
        """Delete the autosave of ``consultation`` (closed on purpose). Never raises."""
        slot = self._slots.pop(consultation.id, None)
        if slot is not None:
            self._delete(slot)

    def discard_pending(self, pending: Pending) -> bool:
        """Delete an unfinished consultation's autosave; False if a live instance holds it."""
        try:
            name = self._slot_name(pending)
            lock = try_lock(self._file(name, ".lock"))
        except (StorageError, OSError):
            return False
        if lock is None:
            return False
        self._delete(_Slot(name, lock))
        return True

    def _slot_name(self, pending: Pending) -> str:
        name = pending.path.stem
        if (
            pending.path.parent != self.folder
            or pending.path.suffix != ".json"
            or not _SLOT.fullmatch(name)
        ):
            raise StorageError("not an autosave of this app", path=str(pending.path))
        return name

    def _delete(self, slot: _Slot) -> None:
        """Remove a slot this instance has locked: its file, its temporary files, its lock."""
        with contextlib.suppress(OSError):
            self._file(slot.name, ".json").unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                match = _TEMP.fullmatch(entry.name)
                if match and match[1] == slot.name:
                    os.unlink(entry.path)
        with contextlib.suppress(OSError):
            self._file(slot.name, ".lock").unlink(missing_ok=True)
        unlock(slot.lock)

    def pending(self) -> tuple[list[Pending], list[str]]:
        """Unfinished consultations, newest first, and a message for each unreadable one.

        A consultation that another running instance holds is not listed. An unreadable
        autosave is renamed ``*.corrupt`` (kept for inspection, never offered again) and
        reported; anything that is not a regular file, or is too large, is reported and
        left alone. Temporary files over :data:`STALE_TEMP_SECONDS` old whose slot is
        not locked are removed, as are unlocked lock files without an autosave.
        """
        try:
            if not stat.S_ISDIR(os.lstat(self.folder).st_mode):
                return [], [f"{self.folder}: the autosave folder is not a folder; left alone"]
            entries = sorted(os.scandir(self.folder), key=lambda entry: entry.name)
        except FileNotFoundError:
            return [], []
        except OSError as error:
            return [], [f"{self.folder}: the autosaves cannot be read ({error.strerror})"]
        mine = {slot.name for slot in self._slots.values()}
        names = {entry.name for entry in entries}
        found: list[Pending] = []
        problems: list[str] = []
        for entry in entries:
            path = Path(entry.path)
            if entry.name.endswith(".json"):
                name = entry.name.removesuffix(".json")
                if not _SLOT.fullmatch(name):
                    problems.append(f"{path}: not an autosave of this app; left alone")
                elif name not in mine:
                    self._scan_one(name, found, problems)
            elif (match := _TEMP.fullmatch(entry.name)) and match[1] not in mine:
                self._clean_temp(path, match[1])
            elif (
                entry.name.endswith(".lock")
                and (name := entry.name.removesuffix(".lock")) not in mine
                and _SLOT.fullmatch(name)
                and f"{name}.json" not in names
                and not any(_TEMP.fullmatch(n) and n.startswith(f".{name}.json.") for n in names)
            ):
                self._clean_lock(name)
        found.sort(key=lambda p: p.consultation.updated, reverse=True)
        return found, problems

    def _scan_one(self, name: str, found: list[Pending], problems: list[str]) -> None:
        path = self._file(name, ".json")
        try:
            lock = try_lock(self._file(name, ".lock"))
        except OSError as error:
            problems.append(f"{path}: its lock cannot be used ({error.strerror}); left alone")
            return
        if lock is None:
            return  # open in another instance: theirs, not ours to offer
        try:
            try:
                data = consultation_file_bytes(path, follow_links=False)
            except InputError as error:
                problems.append(f"An autosave was left alone: {error}")
                return
            try:
                found.append(Pending(path, parse_consultation(data, path)))
            except NewerFormatError as error:
                problems.append(f"An autosave is kept for a newer decision-aid: {error}")
            except InputError as error:
                corrupt = self._file(name, ".corrupt")
                if not os.path.lexists(corrupt):
                    with contextlib.suppress(OSError):
                        os.rename(path, corrupt)
                problems.append(f"An autosave could not be read and was set aside: {error}")
        finally:
            unlock(lock)

    def _clean_temp(self, path: Path, name: str) -> None:
        with contextlib.suppress(OSError):
            if time.time() - os.lstat(path).st_mtime <= STALE_TEMP_SECONDS:
                return  # perhaps in flight in an instance that does not lock (an older one)
            lock = try_lock(self._file(name, ".lock"))
            if lock is not None:
                try:
                    os.unlink(path)
                finally:
                    unlock(lock)

    def _clean_lock(self, name: str) -> None:
        with contextlib.suppress(OSError):
            lock = try_lock(self._file(name, ".lock"))
            if lock is not None and lock != NO_LOCK:
                self._delete(_Slot(name, lock))
