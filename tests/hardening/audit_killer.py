"""A fork server for the audit kill test: each run is a process appending as fast as it can.

``python -m tests.hardening.audit_killer`` reads ``run DATA_DIR FIRST`` lines on stdin and
answers ``pid N`` at once (a forked child now appends entries FIRST, FIRST+1, … to the
audit log in ``DATA_DIR/audit`` through :class:`AuditLog`, and appends ``n`` to
``DATA_DIR/progress.log`` after entry n is recorded), then ``done STATUS`` once the test
has killed it. Entries carry large answers (recording of answers on), so a kill often
lands inside a write.

With ``HARDENING_REWRITING_AUDIT=1`` each append is followed by a rewrite of the whole
log in place: the planted bug the kill test must catch.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from decision_aid.governance.audit import AuditEvent, AuditLog
from decision_aid.governance.installation import AuditSettings

RECORDING = AuditSettings(record_answers=True)


def event(number: int) -> AuditEvent:
    padding = "x" * (300_000 + (number % 5) * 50_000)
    return AuditEvent(
        "sheet-printed", consultation=f"entry-{number}", answers={"n": number, "pad": padding}
    )


def _rewrite_in_place(log: AuditLog) -> None:
    """The planted bug: write the log again over itself, in pieces."""
    data = log.log_path.read_bytes()
    fd = os.open(log.log_path, os.O_WRONLY | os.O_TRUNC)
    try:
        for start in range(0, len(data), 65_536):
            os.write(fd, data[start : start + 65_536])
            os.fsync(fd)  # a careful-looking "compaction": each piece safely on disk
    finally:
        os.close(fd)


def _append_forever(data_dir: Path, first: int) -> None:
    log = AuditLog(data_dir / "audit")
    rewriting = os.environ.get("HARDENING_REWRITING_AUDIT") == "1"
    progress = os.open(data_dir / "progress.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    number = first
    while True:
        log.append(event(number), settings=RECORDING)
        if rewriting:
            _rewrite_in_place(log)
        os.write(progress, f"{number}\n".encode())
        number += 1


def main() -> None:
    for line in sys.stdin:
        command, folder, first = line.split()
        assert command == "run"
        pid = os.fork()
        if pid == 0:
            try:
                _append_forever(Path(folder), int(first))
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(1)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"done {status}", flush=True)


if __name__ == "__main__":
    main()
