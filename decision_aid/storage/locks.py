"""Exclusive OS locks on lock files (``flock``, or ``msvcrt`` on Windows), taken without
waiting: an autosave slot is held by the instance that holds its lock.

A lock file is made 0600, never through a link, and never written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path

from decision_aid.storage.reading import NOFOLLOW, READ_FLAGS

__all__ = ["NO_LOCK", "try_lock", "unlock"]

_BUSY = (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)

NO_LOCK = -1
"""What :func:`try_lock` gives when the folder cannot hold a lock file: nobody holds one."""


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


def try_lock(path: Path, *, create: bool = False) -> int | None:
    """Lock ``path`` (made 0600, never through a link): the fd, None if held elsewhere.

    In a folder where no lock file can be made and none exists, nobody can hold a
    lock: :data:`NO_LOCK` (with ``create``, the OSError that says why instead). Other
    failures (the name is a folder, a pipe) raise OSError.
    """
    while True:
        try:
            fd = os.open(path, READ_FLAGS | NOFOLLOW | os.O_CREAT, 0o600)  # never written
        except OSError as error:
            if create or error.errno not in _READ_ONLY:
                raise
            try:
                fd = os.open(path, READ_FLAGS | NOFOLLOW)
            except FileNotFoundError:
                return NO_LOCK
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


def unlock(fd: int) -> None:
    """Let go of a lock :func:`try_lock` took (closing its fd)."""
    if fd != NO_LOCK:
        with contextlib.suppress(OSError):
            os.close(fd)
