"""A consultation on disk: what is saved always opens, and what opens is never trusted.

The writer saves through :func:`~decision_aid.storage.atomic.atomic_write`, after reading
its own text back with the very reader that opens it later, and refuses anything over
:data:`MAX_CONSULTATION_BYTES` (saying which part is too long). The reader reads without
blocking, from a regular file only, and never past that limit.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from decision_aid.domain.errors import InputError, StorageError
from decision_aid.storage.atomic import atomic_write
from decision_aid.storage.reading import read_bounded

if TYPE_CHECKING:
    from decision_aid.domain.consultation import Consultation

__all__ = [
    "MAX_CONSULTATION_BYTES",
    "consultation_bytes",
    "consultation_file_bytes",
    "parse_consultation",
    "read_consultation",
    "write_consultation",
]

MAX_CONSULTATION_BYTES = 4 * 1024 * 1024
"""The one size limit: the writer refuses, and the reader rejects, anything larger."""


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


def write_consultation(path: Path, consultation: Consultation) -> None:
    """Save atomically; refuses (StorageError, nothing on disk changes) what would not open."""
    atomic_write(path, consultation_bytes(consultation, path=path))


def consultation_file_bytes(path: Path, *, follow_links: bool) -> bytes:
    """A consultation file's bytes, read as :mod:`~decision_aid.storage.reading` reads an
    untrusted file, never past :data:`MAX_CONSULTATION_BYTES`; else InputError."""
    return read_bounded(
        path,
        limit=MAX_CONSULTATION_BYTES,
        too_large="the file is too large to be a consultation "
        f"(over {_megabytes(MAX_CONSULTATION_BYTES)})",
        follow_links=follow_links,
    )


def parse_consultation(data: bytes, path: Path, *, now: datetime | None = None) -> Consultation:
    """The consultation in a file's bytes; InputError (with ``path``) when it is not one."""
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
    return parse_consultation(consultation_file_bytes(path, follow_links=True), path, now=now)
