"""All or nothing: the one way the app replaces a file.

Each file is first written whole to a private temporary file beside its target
(``.<name>.<random>.tmp``), every byte checked and flushed to disk; only when every file
of the set is complete are they renamed into place, and the folder is flushed. A rename
that fails part-way puts back what the earlier renames replaced, so a pair (the FHIR
response and its questionnaire) is never left half new. A full or read-only disk, or a
crash at any moment, therefore leaves either the previous files or the new ones,
complete: never a mixture, never a truncated file, and no temporary file behind.
(QSaveFile was seen to commit a truncated file on a full disk, so we do not use it.)

The one failure is told two ways. :func:`atomic_write` saves what the app keeps (a
consultation, an autosave, keys, the audit trail, preferences): ``c.json: could not save
(no space left on device); the previous save is kept``. :func:`write_files` writes files
the app derives (sheets, exports, docs, schemas): ``out.pdf: no space left on device;
nothing was written``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from decision_aid.domain.errors import StorageError
from decision_aid.storage.data_folder import private_dir

__all__ = ["atomic_write", "write_file", "write_files"]

_Refusal = Callable[[Path, OSError], StorageError]
"""How a failed write is told: the file that failed and why."""


def _reason(error: OSError) -> str:
    text = error.strerror or str(error) or type(error).__name__
    return text[:1].lower() + text[1:]


def _write_all(fd: int, data: bytes) -> None:
    """Every byte of ``data`` to ``fd``, then to the disk; OSError (ENOSPC) when it will not go."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        view = view[written:]
    os.fsync(fd)


def _fsync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (a rename in it) to the disk, where the platform allows."""
    with contextlib.suppress(OSError):  # not every platform lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _stage(path: Path, data: bytes, *, private: bool) -> Path:
    """``data`` in a complete, flushed temporary file in ``path``'s folder."""
    # A name is limited in bytes (255 on most file systems): the temporary one, and its
    # ".old" backup, keep to about half of that whatever the characters.
    short = path.name.encode("utf-8", "surrogateescape")[:100].decode("utf-8", "ignore")
    fd, name = tempfile.mkstemp(prefix=f".{short}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        try:
            if not private and hasattr(os, "fchmod"):  # not on Windows before 3.13
                os.fchmod(fd, 0o644)  # a reference or schema is for sharing
            _write_all(fd, data)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones made, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    made = []
    for path in reversed(missing):
        path.mkdir()
        made.append(path)
    return made


class _Commit:
    """Renames staged files over their targets, able to undo the renames done so far.

    Only a set of files needs undoing: a single rename either happened or did not.
    """

    def __init__(self, *, undoable: bool) -> None:
        self.undoable = undoable
        self.done: list[tuple[Path, Path | None, bool]] = []  # target, old file's link, existed
        self.backups: list[Path] = []

    def rename(self, temp: Path, path: Path) -> None:
        backup: Path | None = None
        existed = path.exists()
        if self.undoable and path.is_file():
            backup = temp.with_name(temp.name + ".old")
            self.backups.append(backup)  # removed by finish(), whatever happens next
            try:
                os.link(path, backup)  # costs no space: the old file's own blocks
            except OSError:  # no hard links here (FAT, some network shares): a copy, and
                shutil.copy2(path, backup)  # where even that fails, nothing is renamed
        os.replace(temp, path)
        self.done.append((path, backup, existed))

    def undo(self) -> None:
        for path, backup, existed in reversed(self.done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                elif not existed:
                    path.unlink()
        self.finish()

    def finish(self) -> None:
        for backup in self.backups:
            with contextlib.suppress(OSError):
                backup.unlink()


def _replace_all(
    files: Mapping[Path, bytes], refusal: _Refusal, *, private: bool, make_folders: bool
) -> None:
    """Every file or none (see the module's docstring); a failure raises ``refusal``'s error."""
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    commit = _Commit(undoable=len(files) > 1)
    current = next(iter(files), Path())
    try:
        for path, data in files.items():
            current = path
            if path.exists() and not path.is_file():
                # The rename would put a file in place of a device (/dev/full), FIFO or folder.
                raise OSError(
                    errno.EEXIST, "is a folder" if path.is_dir() else "not a regular file"
                )
            if make_folders:
                made += _make_folders(path.parent)
            staged.append((path, _stage(path, data, private=private)))
        for path, temp in staged:
            current = path
            commit.rename(temp, path)
    except BaseException as error:
        commit.undo()
        for _, temp in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if not isinstance(error, OSError):
            raise
        raise refusal(current, error) from None
    commit.finish()
    for folder in {path.parent for path in files}:
        _fsync_folder(folder)


def _nothing_written(path: Path, error: OSError) -> StorageError:
    return StorageError(f"{_reason(error)}; nothing was written", path=str(path))


def _not_saved(path: Path, error: OSError) -> StorageError:
    return StorageError(
        f"could not save ({error.strerror or error}); the previous save is kept", path=str(path)
    )


def write_files(
    files: Mapping[Path, bytes], *, private: bool = True, make_folders: bool = False
) -> None:
    """Write every file or none; raise :class:`StorageError` naming the file that failed.

    Files are 0600 unless ``private`` is false (0644: references and schemas).
    ``make_folders`` creates missing parent folders, and removes them again on failure.
    """
    _replace_all(files, _nothing_written, private=private, make_folders=make_folders)


def write_file(path: Path, data: bytes, *, private: bool = True) -> None:
    """One file, all at once (see :func:`write_files`)."""
    write_files({path: data}, private=private)


def atomic_write(path: Path, data: bytes, *, private_folder: bool = False) -> None:
    """Save ``data`` as ``path`` all at once, a 0600 file; StorageError on failure, the
    previous save intact.

    ``private_folder`` creates a missing folder 0700 (the autosave folder); a folder that
    is already there is used as it is, never re-permissioned.
    """
    if private_folder:
        try:
            private_dir(path.parent)
        except OSError as error:
            raise StorageError(error.strerror or str(error), path=str(path)) from None
    _replace_all({path: data}, _not_saved, private=True, make_folders=False)
