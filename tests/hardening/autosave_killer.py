"""A fork server for the kill test: each run is a process that autosaves as fast as it can.

``python -m tests.hardening.autosave_killer`` reads commands on stdin, one per line::

    run DATA_DIR FIRST

and answers ``pid N`` at once (a forked child claims the one autosave in DATA_DIR, as a
restore does, and is now saving states FIRST, FIRST+1, … into it
through :class:`decision_aid.storage.autosave.Autosave`, the window's autosave path, and
appending ``n`` to ``DATA_DIR/progress.log`` after state n is saved), then ``done
STATUS`` once the test has killed that child. Forking from one warm process makes a run
cost milliseconds instead of an interpreter start.

With ``HARDENING_TORN_WRITES=1`` the children save with a naive in-place write instead:
the planted bug the kill test must catch.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

from decision_aid.domain.consultation import Consultation, RuleSetRef
from decision_aid.storage.autosave import Autosave

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
_CHOICES = {"diagnosis": ("a", "b", "other"), "tried": ("yes", "no", "unknown")}


def state(number: int) -> Consultation:
    """The consultation after the ``number``-th edit: each differs, all are complete."""
    answers: dict[str, object] = {
        key: options[number % len(options)] for key, options in _CHOICES.items()
    }
    answers["age"] = number % 121
    answers["goals"] = ["pain", "sleep"][: 1 + number % 2]
    # Big enough that writing it takes a while, so kills land inside writes too (and
    # within the notes' limit, MAX_NOTES_LENGTH).
    padding = "x" * (100_000 + (number % 5) * 24_000)
    return Consultation(
        id="killed-consultation",
        created=START,
        updated=START + timedelta(seconds=number),
        rule_set=RuleSetRef(id="mini", version="1.0.0", digest="0" * 64),
        answers=answers,
        notes=f"state {number} {padding}",
    )


def _torn_save(autosave: Autosave, consultation: Consultation) -> None:
    """The planted bug: overwrite the file in place, in pieces (what atomic_write prevents)."""
    path = autosave.path_for(consultation)
    data = consultation.to_json().encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for start in range(0, len(data), 65_536):
            os.write(fd, data[start : start + 65_536])
    finally:
        os.close(fd)


def _save_forever(data_dir: Path, first: int) -> None:
    autosave = Autosave(data_dir)
    (previous,), _ = autosave.pending()
    autosave.claim(previous)  # go on in the previous save's own file, as a restore does
    torn = os.environ.get("HARDENING_TORN_WRITES") == "1"
    progress = os.open(data_dir / "progress.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    number = first
    while True:
        consultation = state(number)
        if torn:
            _torn_save(autosave, consultation)
        else:
            autosave.save(consultation)
        os.write(progress, f"{number}\n".encode())
        number += 1


def main() -> None:
    for line in sys.stdin:
        command, folder, first = line.split()
        assert command == "run"
        pid = os.fork()
        if pid == 0:
            try:
                _save_forever(Path(folder), int(first))
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(1)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"done {status}", flush=True)


if __name__ == "__main__":
    main()
