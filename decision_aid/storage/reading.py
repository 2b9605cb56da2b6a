"""Reading a file that is not trusted: without blocking, from a regular file only, never
past a limit, and (when asked) never through a link.

A pipe or a device would block the reader, or never end; a link in the app's own folder
could point anywhere. Each is refused with what it is ("a pipe, not a file").
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from decision_aid.domain.errors import InputError

__all__ = ["NOFOLLOW", "READ_FLAGS", "read_bounded"]

READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
"""Open to read, never blocking (a pipe), never inherited by a child."""
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
"""With :data:`READ_FLAGS`: refuse a link in place of the file."""


def _kind(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_bounded(path: Path, *, limit: int, too_large: str, follow_links: bool) -> bytes:
    """A regular file's bytes, never more than ``limit``, never blocking; else InputError
    (``too_large`` says why a larger file is refused)."""
    try:
        fd = os.open(path, READ_FLAGS | (0 if follow_links else NOFOLLOW))
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links:
            raise InputError("a link, not a file", source=str(path)) from None
        raise InputError(error.strerror or str(error), source=str(path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{_kind(info.st_mode)}, not a file", source=str(path))
        if info.st_size > limit:
            raise InputError(too_large, source=str(path))
        chunks: list[bytes] = []
        left = limit + 1
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
