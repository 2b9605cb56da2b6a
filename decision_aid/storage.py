"""Saving consultations so that an answer is never lost, nor a good file broken.

Every save writes a private temporary file in the target's folder, checks that every
byte was written, flushes it to disk, renames it over the target, and flushes the
folder. A full disk or a crash at any moment leaves either the previous save or the
new one, complete; never a mixture, never a truncated file. (QSaveFile was seen to
commit a truncated file on a full disk, so we do not use it.)

Every file is untrusted. A consultation is read without blocking, from a regular file
only, and never past :data:`MAX_CONSULTATION_BYTES`; the writer refuses anything
larger (saying which part is too long), so whatever saves also opens.

Autosaves live in ``<data>/autosave/`` (``platformdirs``), files 0600 and the folder
0700. Each open consultation has a *slot* named by the app (a fresh ``uuid4`` hex, or
the name of the file it was restored from), never by anything in the consultation: an
id is never a path. The instance that holds a slot holds an OS lock on
``<slot>.lock`` (``flock``, or ``msvcrt`` on Windows) while its consultation is open;
another instance never offers, restores, discards or cleans a locked slot. The
start-up scan (:meth:`Autosave.pending`) never follows a link and never opens anything
but a regular file; it removes a temporary file only when it is over an hour old and
its slot is unlocked. Nothing outside the autosave folder is ever created (but the
data folder itself), re-permissioned or deleted.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from decision_aid.domain.errors import InputError, NewerFormatError, StorageError
from decision_aid.writing import fsync_folder, write_all

if TYPE_CHECKING:
    from decision_aid.domain.consultation import Consultation

__all__ = [
    "MAX_CONSULTATION_BYTES",
    "STALE_TEMP_SECONDS",
    "Autosave",
    "Pending",
    "atomic_write",
    "consultation_bytes",
    "data_dir",
    "read_consultation",
    "write_consultation",
]

MAX_CONSULTATION_BYTES = 4 * 1024 * 1024
"""The one size limit: the writer refuses, and the reader rejects, anything larger."""
STALE_TEMP_SECONDS = 3600.0
"""An unlocked temporary autosave file older than this is left over from a crash."""
DATA_DIR_VARIABLE = "DECISION_AID_DATA_DIR"

_SLOT = re.compile(r"[0-9A-Za-z_-]{1,64}")
_TEMP = re.compile(r"\.([0-9A-Za-z_-]{1,64})\.json\..+\.tmp")
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BUSY = (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def data_dir() -> Path:
    """The per-user data folder; ``DECISION_AID_DATA_DIR`` overrides it (tests, kiosks)."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else user_data_path("decision-aid", appauthor=False)


def _private_dir(path: Path) -> None:
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


def atomic_write(path: Path, data: bytes, *, private_folder: bool = False) -> None:
    """Replace ``path`` with ``data`` all at once, as a 0600 file; raise StorageError on failure.

    ``private_folder`` creates a missing folder 0700 (the autosave folder); a folder that
    is already there is used as it is, never re-permissioned.
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
            write_all(fd, data)
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
    fsync_folder(folder)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _too_large(consultation: Consultation, size: int) -> str:
    parts = {
        "the notes": consultation.notes,
        "the patient label": consultation.patient_label,
        "the answers": consultation.answers,
        "the settings": consultation.settings,
        "the override reasons": [o.reason for o in consultation.overrides],
    }
    sizes = {
        name: len(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        for name, value in parts.items()
    }
    biggest = max(sizes, key=lambda name: sizes[name])
    over = size - MAX_CONSULTATION_BYTES
    by = f"{over} byte{'s' * (over != 1)}" if over < 10_000 else _megabytes(over)
    return (
        f"not saved: the consultation is {by} over the {_megabytes(MAX_CONSULTATION_BYTES)} "
        f"a consultation file may hold, most of it {biggest} ({_megabytes(sizes[biggest])}). "
        f"Shorten {biggest}; the previous save is kept"
    )


def consultation_bytes(consultation: Consultation, *, path: Path) -> bytes:
    """The file ``path`` gets for ``consultation``; StorageError if a reader would refuse it.

    The text is read back by the very reader that opens it later (every field checked), so
    what is saved always opens: a refusal comes now, while the clinician can act on it.
    """
    from decision_aid.domain.consultation import Consultation  # the models load on first use

    text = consultation.to_json()
    data = text.encode("utf-8")
    if len(data) > MAX_CONSULTATION_BYTES:
        raise StorageError(_too_large(consultation, len(data)), path=str(path))
    try:
        Consultation.from_json(text, now=datetime.now(UTC))
    except InputError as error:
        raise StorageError(
            f"could not save: {error}; the previous save is kept", path=str(path)
        ) from None
    return data


def write_consultation(
    path: Path, consultation: Consultation, *, private_folder: bool = False
) -> None:
    """Save atomically; refuses (StorageError, nothing on disk changes) what would not open."""
    data = consultation_bytes(consultation, path=path)
    atomic_write(path, data, private_folder=private_folder)


def _kind(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _read_bounded(path: Path, *, follow_links: bool) -> bytes:
    """A regular file's bytes, never more than the limit, never blocking; else InputError."""
    too_large = (
        f"the file is too large to be a consultation (over {_megabytes(MAX_CONSULTATION_BYTES)})"
    )
    try:
        fd = os.open(path, _READ_FLAGS | (0 if follow_links else _NOFOLLOW))
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links:
            raise InputError("a link, not a file", source=str(path)) from None
        raise InputError(error.strerror or str(error), source=str(path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{_kind(info.st_mode)}, not a file", source=str(path))
        if info.st_size > MAX_CONSULTATION_BYTES:
            raise InputError(too_large, source=str(path))
        chunks: list[bytes] = []
        left = MAX_CONSULTATION_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        raise InputError(error.strerror or str(error), source=str(path)) from None
    finally:
        os.close(fd)
    if left <= 0:
        raise InputError(too_large, source=str(path))
    return b"".join(chunks)


def _parse(data: bytes, path: Path, *, now: datetime | None = None) -> Consultation:
    from decision_aid.domain.consultation import Consultation  # the models load on first use

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not a consultation file (not UTF-8 text)", source=str(path)) from None
    return Consultation.from_json(text, source=str(path), now=now or datetime.now(UTC))


def read_consultation(path: Path, *, now: datetime | None = None) -> Consultation:
    """Read a saved consultation; an unreadable one is an :class:`InputError`.

    Only a regular file is read (a pipe or a device is refused without blocking), and
    never past :data:`MAX_CONSULTATION_BYTES`. ``now`` is the reader's clock (the
    present by default): no date may lie past it.
    """
    return _parse(_read_bounded(path, follow_links=True), path, now=now)


# -- locks ------------------------------------------------------------------------------


def _lock_fd(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when another holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in _BUSY:
            return False
        raise
    return True


_NO_LOCK = -1
"""What :func:`_try_lock` gives when the folder cannot hold a lock file: nobody holds one."""


def _try_lock(path: Path, *, create: bool = False) -> int | None:
    """Lock ``path`` (made 0600, never through a link): the fd, None if held elsewhere.

    In a folder where no lock file can be made and none exists, nobody can hold a
    lock: :data:`_NO_LOCK` (with ``create``, the OSError that says why instead). Other
    failures (the name is a folder, a pipe) raise OSError.
    """
    while True:
        try:
            fd = os.open(path, _READ_FLAGS | _NOFOLLOW | os.O_CREAT, 0o600)  # never written
        except OSError as error:
            if create or error.errno not in _READ_ONLY:
                raise
            try:
                fd = os.open(path, _READ_FLAGS | _NOFOLLOW)
            except FileNotFoundError:
                return _NO_LOCK
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "the lock is not a regular file")
            if not _lock_fd(fd):
                os.close(fd)
                return None
            # The holder may have removed the lock file between our open and our lock:
            # then this lock guards nothing anyone else can find. Take the new one.
            try:
                now = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                now = None
            held = os.fstat(fd)
            if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                return fd
            os.close(fd)
        except BaseException:
            os.close(fd)
            raise


def _unlock(fd: int) -> None:
    if fd != _NO_LOCK:
        with contextlib.suppress(OSError):
            os.close(fd)


# -- autosave ---------------------------------------------------------------------------


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
            _private_dir(self.folder)
            name = uuid.uuid4().hex
            lock = _try_lock(self._file(name, ".lock"), create=True)
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
                _private_dir(self.folder)
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
            lock = _try_lock(self._file(name, ".lock"))
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
            _unlock(slot.lock)

    def close(self) -> None:
        """Release every slot this instance holds, keeping their files."""
        for slot in self._slots.values():
            _unlock(slot.lock)
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
            lock = _try_lock(self._file(name, ".lock"))
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
        _unlock(slot.lock)

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
            lock = _try_lock(self._file(name, ".lock"))
        except OSError as error:
            problems.append(f"{path}: its lock cannot be used ({error.strerror}); left alone")
            return
        if lock is None:
            return  # open in another instance: theirs, not ours to offer
        try:
            try:
                data = _read_bounded(path, follow_links=False)
            except InputError as error:
                problems.append(f"An autosave was left alone: {error}")
                return
            try:
                found.append(Pending(path, _parse(data, path)))
            except NewerFormatError as error:
                problems.append(f"An autosave is kept for a newer decision-aid: {error}")
            except InputError as error:
                corrupt = self._file(name, ".corrupt")
                if not os.path.lexists(corrupt):
                    with contextlib.suppress(OSError):
                        os.rename(path, corrupt)
                problems.append(f"An autosave could not be read and was set aside: {error}")
        finally:
            _unlock(lock)

    def _clean_temp(self, path: Path, name: str) -> None:
        with contextlib.suppress(OSError):
            if time.time() - os.lstat(path).st_mtime <= STALE_TEMP_SECONDS:
                return  # perhaps in flight in an instance that does not lock (an older one)
            lock = _try_lock(self._file(name, ".lock"))
            if lock is not None:
                try:
                    os.unlink(path)
                finally:
                    _unlock(lock)

    def _clean_lock(self, name: str) -> None:
        with contextlib.suppress(OSError):
            lock = _try_lock(self._file(name, ".lock"))
            if lock is not None and lock != _NO_LOCK:
                self._delete(_Slot(name, lock))
