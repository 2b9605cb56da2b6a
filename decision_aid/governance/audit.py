"""The audit trail: which sheets were printed, saved or exported, from which rules, how.

An append-only log of JSON lines, ``<data>/audit/audit.jsonl`` (0600, folder 0700). Each
entry carries a sequence number, the previous entry's hash and its own (sha256 over its
canonical JSON). A head record, ``head.json``, written atomically after each append,
holds the count, the last hash and the log's size. So ``verify`` finds an edited entry
(its hash), a reordered one (its number and the chain) and a truncated log (shorter than
the head says), even one cut exactly at an entry boundary.

An append holds an exclusive ``flock`` on ``audit/lock``: two processes never
interleave. The log is written before the head, so a crash leaves at most a tail past
the head's size: whole entries there are adopted by the next append, and a torn last
line is set aside in ``audit/torn-<time>.bin``, cut off, and recorded as such. A full
disk cuts the partial entry back at once and raises :class:`AuditError`.

The trade-off, stated plainly: anyone who can write the data folder can rewrite the
whole chain and its head consistently. The chain shows the log is whole and in order
as the app wrote it; to show nobody rewrote it, copy the newest hash that ``audit verify``
prints to somewhere the user cannot write, and check it later (``--anchor``).

The entries' format and the chain check are in :mod:`decision_aid.governance.audit_entries`.

Never recorded unless the installation turns it on (``[audit] record_answers``): the
answers, the patient label, an override's reason, the file a sheet was saved to.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decision_aid.domain.errors import StorageError
from decision_aid.governance.audit_entries import (
    EVENTS,
    GENESIS,
    AuditError,
    AuditEvent,
    Entry,
    Head,
    Verification,
    consultation_event,
    entry_body,
    entry_hash,
    entry_line,
    parse_line,
    verify_bytes,
)
from decision_aid.governance.installation import AuditSettings, audit_settings
from decision_aid.storage.atomic import atomic_write
from decision_aid.storage.data_folder import data_dir

if TYPE_CHECKING:
    from decision_aid.domain import Assessment, RuleSet
    from decision_aid.governance.audit_entries import SupportsKind

__all__ = [
    "EVENTS",
    "GENESIS",
    "AuditError",
    "AuditEvent",
    "AuditLog",
    "Entry",
    "Head",
    "Verification",
    "consultation_event",
    "record",
    "record_sheet",
]

CHUNK = 65_536


if sys.platform == "win32":  # pragma: no cover - the Windows build is not tested here
    import msvcrt

    def _lock(fd: int, *, shared: bool) -> None:
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int, *, shared: bool) -> None:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:CHUNK])
        if written <= 0:
            raise OSError(28, "No space left on device")
        view = view[written:]


def _open_regular(path: Path, flags: int) -> int:
    """Open a regular file of our own: never through a link, never a FIFO or a device."""
    try:
        fd = os.open(
            path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0), 0o600
        )
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, "a symbolic link where the file itself belongs") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    return fd


def _read_regular(path: Path) -> bytes:
    try:
        fd = _open_regular(path, os.O_RDONLY)
    except FileNotFoundError:
        return b""
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class AuditLog:
    """The log in ``folder`` (default ``<data>/audit``). Safe across processes."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_dir() / "audit"
        self.log_path = self.folder / "audit.jsonl"
        self.head_path = self.folder / "head.json"
        self.lock_path = self.folder / "lock"

    # -- writing -------------------------------------------------------------------------

    def append(
        self,
        event: AuditEvent,
        *,
        now: datetime | None = None,
        settings: AuditSettings | None = None,
    ) -> Entry:
        """Record ``event``; raise AuditError when it could not be (nothing half-written stays)."""
        settings = settings or audit_settings()
        try:
            self._make_folder()
            with self._locked(shared=False):
                fd = _open_regular(self.log_path, os.O_RDWR | os.O_CREAT | os.O_APPEND)
                try:
                    os.fchmod(fd, 0o600)  # one copied in by hand is made private again
                    head = self._recover(fd, settings)
                    body = entry_body(
                        event,
                        settings,
                        seq=head.count + 1,
                        prev=head.last_hash,
                        now=now or datetime.now(UTC),
                    )
                    self._commit(fd, head, body)
                finally:
                    os.close(fd)
        except OSError as error:
            raise AuditError(
                f"could not record ({error.strerror or error})", path=self.log_path
            ) from None
        except StorageError as error:
            raise AuditError(f"could not record ({error})", path=self.log_path) from None
        return Entry(head.count + 1, {**body, "hash": entry_hash(body)})

    def _make_folder(self) -> None:
        self.folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder.mkdir(mode=0o700, exist_ok=True)
        self.folder.chmod(0o700)

    @contextlib.contextmanager
    def _locked(self, *, shared: bool) -> Iterator[None]:
        fd = _open_regular(self.lock_path, os.O_RDWR | os.O_CREAT)
        try:
            _lock(fd, shared=shared)
            try:
                yield
            finally:
                _unlock(fd)
        finally:
            os.close(fd)

    def _commit(self, fd: int, head: Head, body: dict[str, Any]) -> Head:
        """Append one entry, then the head; on failure cut the log back and raise."""
        line, digest = entry_line(body)
        new = Head(head.count + 1, digest, head.size + len(line))
        try:
            _write_all(fd, line)
            os.fsync(fd)
            atomic_write(self.head_path, new.to_bytes())
        except (OSError, StorageError) as error:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, head.size)
                os.fsync(fd)
            if isinstance(error, OSError):
                reason = error.strerror or str(error)
            else:  # the head record: its message names its own path, said once here
                reason = "the head record: " + str(error).removeprefix(f"{error.path}: ")
            raise AuditError(
                f"could not record ({reason}); the earlier entries are intact",
                path=self.log_path,
            ) from None
        return new

    def read_head(self) -> Head | None:
        """The head record, None if there is none; AuditError if it is unreadable."""
        try:
            data = json.loads(self.head_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, ValueError):
            raise AuditError("the head record is unreadable", path=self.head_path) from None
        try:
            head = Head(int(data["count"]), str(data["last_hash"]), int(data["size"]))
        except (KeyError, TypeError, ValueError):
            raise AuditError("the head record is not one", path=self.head_path) from None
        return head

    def _recover(self, fd: int, settings: AuditSettings) -> Head:
        """The head to append after: adopt whole entries past it, set a torn tail aside."""
        head = self.read_head()
        size = os.fstat(fd).st_size
        if head is None:
            if size:
                raise AuditError(
                    "the log has entries but no head record (head.json); nothing more is "
                    "recorded until it is looked into: run `decision-aid audit verify`",
                    path=self.log_path,
                )
            return Head(0, GENESIS, 0)
        if size < head.size:
            raise AuditError(
                f"the log is shorter ({size} bytes) than its head record says ({head.size}): "
                "entries were removed. Nothing more is recorded until it is looked into: "
                "run `decision-aid audit verify`",
                path=self.log_path,
            )
        if size == head.size:
            return head
        tail = os.pread(fd, size - head.size, head.size)
        adopted, position = head, 0
        while (end := tail.find(b"\n", position)) >= 0:
            entry = parse_line(tail[position:end], adopted.count + 1)
            if (
                entry is None
                or entry.seq != adopted.count + 1
                or entry.data.get("prev") != adopted.last_hash
                or entry.hash != entry.computed_hash()
            ):
                break
            adopted = Head(adopted.count + 1, str(entry.hash), head.size + end + 1)
            position = end + 1
        if adopted.size == size:
            atomic_write(self.head_path, adopted.to_bytes())
            return adopted
        torn = tail[adopted.size - head.size :]
        aside = self.folder / f"torn-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.bin"
        atomic_write(aside, torn)
        os.ftruncate(fd, adopted.size)
        os.fsync(fd)
        atomic_write(self.head_path, adopted.to_bytes())
        note = (
            f"an interrupted write left {len(torn)} bytes after entry {adopted.count}; "
            f"they were set aside in {aside.name}"
        )
        body = entry_body(
            AuditEvent("log-recovered", note=note),
            AuditSettings(),
            seq=adopted.count + 1,
            prev=adopted.last_hash,
            now=datetime.now(UTC),
        )
        return self._commit(fd, adopted, body)

    # -- reading -------------------------------------------------------------------------

    def verify(self, *, anchors: Mapping[int, str] | None = None) -> Verification:
        """Check every entry, the chain, the numbering and the head; change nothing.

        ``anchors`` maps entry numbers to hashes copied elsewhere earlier (``audit verify``
        prints the newest): an entry that no longer has its anchored hash means the log was
        rewritten, consistently or not.
        """
        try:
            with self._locked(shared=True):
                data = _read_regular(self.log_path)
                head = self.read_head()
        except FileNotFoundError:  # no folder: nothing was ever recorded
            return Verification((), None)
        except OSError as error:
            raise AuditError(error.strerror or str(error), path=self.log_path) from None
        result = verify_bytes(data, head)
        missed = [
            f"entry {seq} no longer has the hash {digest[:16]}… copied from it earlier: "
            "the log was rewritten"
            for seq, digest in sorted((anchors or {}).items())
            if not any(e.seq == seq and e.hash == digest for e in result.entries)
        ]
        if not missed:
            return result
        problems = (*result.problems, *missed)
        return Verification(result.entries, result.head, problems, result.notices)

    def entries(self, *, since: date | None = None) -> list[Entry]:
        """The whole, well-formed entries, oldest first (``since``: from that day, UTC)."""
        found = list(self.verify().entries)
        if since is None:
            return found
        start = since.isoformat()
        return [e for e in found if e.time[:10] >= start]


def record(event: AuditEvent, *, log: AuditLog | None = None) -> Entry:
    """Append ``event`` to the user's audit log (or ``log``)."""
    return (log or AuditLog()).append(event)


def record_sheet(
    *,
    rule_set: RuleSet,
    answers: Mapping[str, Any],
    assessment: Assessment,
    output: Path,
    approval: SupportsKind | None = None,
    event: str = "sheet-written",
) -> str | None:
    """Record a sheet the CLI is about to write (``sheet-written``), or one it then could
    not write (``sheet-not-written``). The record comes first, so no sheet leaves the
    command line unrecorded, and a failed record leaves the old file as it was.

    Returns the error to print, or None.
    """
    entry = AuditEvent(
        event,
        rule_set_id=rule_set.info.id,
        version=rule_set.info.version,
        digest=rule_set.digest,
        approval=approval.kind if approval is not None else "not-checked",
        outcome=assessment.outcome.id,
        target=str(output),
        answers=answers,
    )
    try:
        AuditLog().append(entry)
    except AuditError as error:
        return f"it could not be recorded in the audit trail ({error})"
    return None
