"""A crash mid-append never spoils the audit trail: SIGKILL the appending process at random.

Each run starts from a log of two entries, lets a process append entries 3, 4, … as fast
as it can, and kills it after a random delay. Then: the bytes of every entry written
before the run are unchanged; ``verify`` finds no problem (a torn tail past the head is
only a notice); every entry the process reported recorded is there, in order; and the
next append recovers (sets a torn tail aside, adopts a whole entry past the head) and
leaves a log that verifies with no notice at all. ``HARDENING_ITERATIONS`` and
``HARDENING_SEED`` as for the autosave kill test.

Where the kills land: about one in six between the entry's fsync and the head's update
(the entry past the head is adopted); a kill inside the write itself is rare, since
writing takes microseconds of an append's ~30 ms (encoding and fsync). A torn last line
is therefore also made on purpose (tests/governance/test_audit.py) and by a full disk
(test_disk_full.py).
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from decision_aid.governance.audit import AuditLog
from tests.hardening.audit_killer import RECORDING, event
from tests.hardening.harness import CASES, budget
from tests.hardening.kill_server import KillServer

ITERATIONS = int(os.environ.get("HARDENING_ITERATIONS", budget(40)))

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill server forks")


@dataclass
class KillReport:
    runs: int = 0
    torn: int = 0
    unheaded: int = 0
    appended: int = 0
    failures: list[str] = field(default_factory=list)


def _check_run(log: AuditLog, before: bytes, done: list[int], where: str) -> list[str]:
    failures: list[str] = []
    if not log.log_path.read_bytes().startswith(before):
        return [f"{where}: the entries written before the run changed"]
    result = log.verify()
    if result.problems:
        return [f"{where}: {list(result.problems)}"]
    consultations = [str(e.data["consultation"]) for e in result.entries]
    last = done[-1] if done else 2
    wanted = [f"entry-{n}" for n in range(1, last + 1)]
    if consultations[: len(wanted)] != wanted or len(consultations) > len(wanted) + 1:
        failures.append(f"{where}: entries {consultations[-3:]}, reported up to {last}")
    log.append(event(0), settings=RECORDING)
    after = log.verify()
    if after.problems or after.notices:
        failures.append(f"{where}: after recovery {after.problems} {after.notices}")
    return failures


def kill_during_appends(
    server: KillServer, folder: Path, *, iterations: int, seed: int, until_torn: bool = False
) -> KillReport:
    """``iterations`` kills; ``until_torn``: more (up to four times as many) until one lands
    inside an append. On a loaded machine the appender writes fewer entries before each
    kill, and fewer kills land inside one."""
    rng = random.Random(seed)
    report = KillReport()
    for run in range(4 * iterations if until_torn else iterations):
        if run >= iterations and report.torn + report.unheaded:
            break
        data_dir = folder / f"run-{run}"
        log = AuditLog(data_dir / "audit")
        for number in (1, 2):
            log.append(event(number), settings=RECORDING)
        before = log.log_path.read_bytes()
        pid = server.start(data_dir, 3)
        delay = rng.choice([0.0, rng.uniform(0, 0.02), rng.uniform(0, 0.1), rng.uniform(0, 0.3)])
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        status = server.reaped()
        report.runs += 1
        where = f"run {run} (seed {seed}, killed after {delay:.3f} s)"
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            report.failures.append(f"{where}: the appender ended by itself (status {status})")
            continue
        progress = data_dir / "progress.log"
        text = progress.read_text() if progress.exists() else ""
        done = [int(n) for n in text.split("\n")[:-1]]
        report.appended += len(done)
        notices = log.verify().notices
        report.torn += any("interrupted write" in n for n in notices)
        report.unheaded += any("after the head record" in n for n in notices)
        report.failures += _check_run(log, before, done, where)
    return report


@pytest.fixture
def kill_server() -> Iterator[KillServer]:
    server = KillServer("tests.hardening.audit_killer", {"HARDENING_REWRITING_AUDIT": "0"})
    yield server
    server.close()


def test_sigkill_during_appends_never_spoils_earlier_entries(
    kill_server: KillServer, tmp_path: Path
) -> None:
    seed = int(os.environ.get("HARDENING_SEED", random.randrange(2**32)))
    sure = ITERATIONS >= 40  # about one kill in six lands between the entry and its head
    report = kill_during_appends(
        kill_server, tmp_path, iterations=ITERATIONS, seed=seed, until_torn=sure
    )
    CASES["audit/sigkill"] += report.runs
    assert report.failures == []
    assert report.runs >= ITERATIONS
    assert report.appended > ITERATIONS, "the runs appended many entries before each kill"
    if sure:
        assert report.torn + report.unheaded >= 1, "no kill landed inside an append"


def test_kill_harness_catches_a_planted_rewrite_in_place(tmp_path: Path) -> None:
    server = KillServer("tests.hardening.audit_killer", {"HARDENING_REWRITING_AUDIT": "1"})
    try:
        report = kill_during_appends(server, tmp_path, iterations=20, seed=1)
    finally:
        server.close()
    assert report.failures, "a log rewritten in place and killed midway must be caught"
