"""The audit trail's entries: what one holds, its canonical form and hash, and checking a chain.

Pure functions of bytes and records; the file, the lock and recovery are in
:mod:`decision_aid.governance.audit`. An entry is one line of canonical JSON (sorted keys,
no spaces, UTF-8) whose ``hash`` is the sha256 of the same JSON without ``hash``; a line
never holds a raw newline, since JSON escapes it.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from decision_aid.domain.errors import DecisionAidError
from decision_aid.governance.installation import AuditSettings, clinician_name

if TYPE_CHECKING:
    from decision_aid.domain import Assessment, RuleSet
    from decision_aid.domain.consultation import Consultation, Override

__all__ = [
    "EVENTS",
    "GENESIS",
    "AuditError",
    "AuditEvent",
    "Entry",
    "Head",
    "SupportsKind",
    "Verification",
    "consultation_event",
    "entry_body",
    "entry_hash",
    "entry_line",
    "parse_line",
    "verify_bytes",
]

GENESIS = "0" * 64
"""The ``prev`` of the first entry."""
FORMAT = 1
MAX_PROBLEMS = 20

EVENTS = frozenset(
    {
        "rule-set-loaded",
        "sheet-printed",
        "sheet-saved",
        "sheet-written",
        "sheet-not-written",
        "fhir-exported",
        "override-set",
        "override-confirmed",
        "override-cleared",
        "log-recovered",
    }
)


class AuditError(DecisionAidError):
    """The audit log could not be written, or is not whole; earlier entries are untouched."""

    def __init__(self, message: str, *, path: Path) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {message}")


class SupportsKind(Protocol):
    """The approval state (``decision_aid.governance.approval.ApprovalState``)."""

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class AuditEvent:
    """What happened. ``answers``, ``patient_label``, ``override_reason`` and ``target``
    reach the log only when the installation records answers."""

    event: str
    consultation: str = ""
    rule_set_id: str = ""
    version: str = ""
    digest: str = ""
    approval: str = ""
    outcome: str = ""
    override: str = ""
    note: str = ""
    """Written by the app (never patient data), e.g. what a recovery set aside."""
    override_reason: str = ""
    patient_label: str = ""
    target: str = ""
    answers: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.event not in EVENTS:
            raise ValueError(f"unknown audit event {self.event!r}; one of {sorted(EVENTS)}")


@dataclass(frozen=True)
class Entry:
    """One line of the log, as read back."""

    line: int
    data: Mapping[str, Any]

    @property
    def seq(self) -> object:
        return self.data.get("seq")

    @property
    def hash(self) -> object:
        return self.data.get("hash")

    @property
    def time(self) -> str:
        return str(self.data.get("time", ""))

    def computed_hash(self) -> str:
        return entry_hash({k: v for k, v in self.data.items() if k != "hash"})

    def describe(self) -> str:
        d = self.data
        rule_set = d.get("rule_set") or {}
        parts = [
            f"{d.get('time', '?')}  #{d.get('seq', '?')}  {d.get('event', '?')}",
            f"rules {rule_set.get('id', '')} {rule_set.get('version', '')}".rstrip(),
        ]
        if rule_set.get("digest"):
            parts.append(f"sha256 {str(rule_set['digest'])[:12]}…")
        for key in ("approval", "outcome", "override", "consultation", "clinician", "note"):
            if d.get(key):
                parts.append(f"{key} {d[key]}")
        return "  ".join(parts)


@dataclass(frozen=True)
class Head:
    count: int
    last_hash: str
    size: int

    def to_bytes(self) -> bytes:
        record = {"format": FORMAT, "count": self.count, "last_hash": self.last_hash}
        return (json.dumps({**record, "size": self.size}, sort_keys=True) + "\n").encode()


@dataclass(frozen=True)
class Verification:
    """The result of :meth:`AuditLog.verify`: ``problems`` empty means the log is whole."""

    entries: tuple[Entry, ...]
    head: Head | None
    problems: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def canonical(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return ""


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def entry_body(
    event: AuditEvent, settings: AuditSettings, *, seq: int, prev: str, now: datetime
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "format": FORMAT,
        "seq": seq,
        "time": _stamp(now),
        "event": event.event,
        "clinician": clinician_name(),
        "user": _os_user(),
        "consultation": event.consultation,
        "rule_set": {"id": event.rule_set_id, "version": event.version, "digest": event.digest},
        "approval": event.approval,
        "outcome": event.outcome,
        "override": event.override,
        "prev": prev,
    }
    if event.note:
        body["note"] = event.note
    if settings.record_answers:
        body["details"] = {
            "answers": dict(event.answers or {}),
            "patient_label": event.patient_label,
            "override_reason": event.override_reason,
            "target": event.target,
        }
    return body


def entry_line(body: dict[str, Any]) -> tuple[bytes, str]:
    digest = entry_hash(body)
    return (canonical({**body, "hash": digest}) + "\n").encode("utf-8"), digest


def parse_line(raw: bytes, line: int) -> Entry | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return Entry(line, data) if isinstance(data, dict) else None


def verify_bytes(data: bytes, head: Head | None) -> Verification:
    problems: list[str] = []
    notices: list[str] = []
    entries: list[Entry] = []
    expected_seq, prev, position, good_size = 1, GENESIS, 0, 0
    line = 0
    while position < len(data):
        line += 1
        end = data.find(b"\n", position)
        if end < 0:
            torn = len(data) - position
            if head is not None and position >= head.size:
                notices.append(
                    f"line {line}: an interrupted write left {torn} bytes after the last "
                    "entry; the next recording sets them aside"
                )
            else:
                problems.append(
                    f"line {line}: the log ends in the middle of an entry ({torn} bytes): "
                    "it was cut short"
                )
            break
        entry = parse_line(data[position:end], line)
        position = end + 1
        if entry is None:
            problems.append(f"line {line}: not an audit entry (edited or damaged)")
            continue
        if entry.hash != entry.computed_hash():
            problems.append(f"line {line}: entry {entry.seq} was edited: its hash does not match")
        if entry.seq != expected_seq:
            problems.append(
                f"line {line}: entry {entry.seq} where entry {expected_seq} belongs: "
                "entries were removed, inserted or reordered"
            )
        elif entry.data.get("prev") != prev:
            problems.append(
                f"line {line}: entry {entry.seq} does not follow the entry before it "
                "(the chain is broken)"
            )
        entries.append(entry)
        good_size = position
        # Carry on from what this entry claims, so one edit is reported once, not onwards.
        expected_seq = entry.seq + 1 if isinstance(entry.seq, int) else expected_seq + 1
        prev = str(entry.hash)
    if head is None:
        if entries:
            problems.append(
                "there is no head record (head.json): the log cannot be checked for truncation"
            )
    else:
        problems += _check_head(head, entries, good_size)
        if len(entries) > head.count:
            extra = len(entries) - head.count
            notices.append(
                f"{extra} {'entry' if extra == 1 else 'entries'} after the head record (an "
                "append was interrupted before the head was updated); the next recording "
                "adopts them"
            )
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"… {len(problems) - MAX_PROBLEMS} more problems"]
    return Verification(tuple(entries), head, tuple(problems), tuple(notices))


def _check_head(head: Head, entries: list[Entry], size: int) -> list[str]:
    if len(entries) < head.count:
        return [
            f"the head record counts {head.count} entries ({head.size} bytes) but the log holds "
            f"{len(entries)} ({size} bytes): the log was cut short"
        ]
    if head.count and entries[head.count - 1].hash != head.last_hash:
        return [
            f"entry {head.count} is not the one the head record names: the log was replaced "
            "or rewritten"
        ]
    return []


def consultation_event(
    event: str,
    *,
    rule_set: RuleSet,
    consultation: Consultation,
    assessment: Assessment | None = None,
    override: Override | None = None,
    approval: SupportsKind | None = None,
    answers: Mapping[str, Any] | None = None,
    target: str = "",
) -> AuditEvent:
    """The event for something done with ``consultation`` under ``rule_set``.

    ``approval`` None records ``not-checked`` (before the approval check is wired in).
    """
    return AuditEvent(
        event,
        consultation=consultation.id,
        rule_set_id=rule_set.info.id,
        version=rule_set.info.version,
        digest=rule_set.digest,
        approval=approval.kind if approval is not None else "not-checked",
        outcome=assessment.outcome.id if assessment is not None else "",
        override=override.level if override is not None else "",
        override_reason=override.reason if override is not None else "",
        patient_label=consultation.patient_label,
        target=target,
        answers=answers if answers is not None else consultation.answers,
    )
