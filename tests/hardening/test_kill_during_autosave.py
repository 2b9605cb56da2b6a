"""Never lose an answer: SIGKILL the autosaving process at random moments, mid-write too.

Each run starts from a saved consultation (state 0), lets a process save states 1, 2, …
through the app's autosave path as fast as it can, and kills it after a random delay.
The autosave folder must then hold exactly the last state the process reported saved,
or the one it was writing when killed, complete; never a torn file, and no temporary
file may be taken for a consultation. ``HARDENING_ITERATIONS`` sets the number of
runs (default 50); ``HARDENING_SEED`` replays one sequence of delays.
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

from decision_aid.storage.autosave import STALE_TEMP_SECONDS, Autosave
from tests.hardening.autosave_killer import state
from tests.hardening.harness import CASES, budget
from tests.hardening.kill_server import KillServer

ITERATIONS = int(os.environ.get("HARDENING_ITERATIONS", budget(50)))

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill server forks")


@dataclass
class KillReport:
    runs: int = 0
    killed_mid_write: int = 0
    states_saved: int = 0
    failures: list[str] = field(default_factory=list)


def kill_during_autosave(
    server: KillServer, folder: Path, *, iterations: int, seed: int
) -> KillReport:
    """Run ``iterations`` kill runs; report every run whose autosave is not a whole state."""
    rng = random.Random(seed)
    report = KillReport()
    for run in range(iterations):
        data_dir = folder / f"run-{run}"
        autosave = Autosave(data_dir)
        slot = autosave.save(state(0)).stem  # the previous save
        autosave.close()  # the saver claims it
        pid = server.start(data_dir, 1)
        # Mostly short delays (a few saves), some longer; 0 kills before the first save.
        delay = rng.choice([0.0, rng.uniform(0, 0.02), rng.uniform(0, 0.1), rng.uniform(0, 0.3)])
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        status = server.reaped()
        report.runs += 1
        where = f"run {run} (seed {seed}, killed after {delay:.3f} s)"
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            report.failures.append(f"{where}: the saver ended by itself (status {status})")
            continue
        log = (
            (data_dir / "progress.log").read_text() if (data_dir / "progress.log").exists() else ""
        )
        done = [int(n) for n in log.split("\n")[:-1]]  # a last line without "\n" is not done
        last = done[-1] if done else 0
        report.states_saved += last
        temps = list(autosave.folder.glob(".*.tmp"))
        report.killed_mid_write += bool(temps)
        pending, problems = autosave.pending()
        if problems or len(pending) != 1:
            report.failures.append(f"{where}: {len(pending)} consultations, problems {problems}")
            continue
        found = pending[0].consultation
        if found not in (state(last), state(last + 1)):
            report.failures.append(
                f"{where}: saved state is {found.notes[:12]!r}, expected state {last} or {last + 1}"
            )
        if pending[0].path.name != f"{slot}.json":
            report.failures.append(f"{where}: saved to {pending[0].path.name}, not {slot}.json")
        # A fresh temporary file may be in flight in another instance: kept, until stale.
        temps = list(autosave.folder.glob(f".{slot}.json.*.tmp"))
        stray = {p.name for p in autosave.folder.iterdir()} - {f"{slot}.json", f"{slot}.lock"}
        if stray != {p.name for p in temps}:
            report.failures.append(f"{where}: stray files {sorted(stray)}")
        stale = time.time() - 2 * STALE_TEMP_SECONDS
        for temp in temps:
            os.utime(temp, (stale, stale))
        if autosave.pending()[0] != pending or list(autosave.folder.glob(".*.tmp")):
            report.failures.append(f"{where}: a stale temporary file was kept, or taken for one")
    return report


@pytest.fixture
def kill_server() -> Iterator[KillServer]:
    server = KillServer("tests.hardening.autosave_killer", {"HARDENING_TORN_WRITES": "0"})
    yield server
    server.close()


def test_sigkill_during_autosave_leaves_the_previous_or_the_new_complete_consultation(
    kill_server: KillServer, tmp_path: Path
) -> None:
    seed = int(os.environ.get("HARDENING_SEED", random.randrange(2**32)))
    report = kill_during_autosave(kill_server, tmp_path, iterations=ITERATIONS, seed=seed)
    CASES["autosave/sigkill"] += report.runs
    assert report.failures == []
    assert report.runs == ITERATIONS
    assert report.states_saved > ITERATIONS, "the runs saved many states before each kill"
    if ITERATIONS >= 30:  # about a third of kills land inside a write; none in 30 is a broken test
        assert report.killed_mid_write >= 1, "no kill landed inside a write"


def test_kill_harness_catches_a_planted_torn_write(tmp_path: Path) -> None:
    """The same harness, with saving planted as an in-place write, must report torn files."""
    server = KillServer("tests.hardening.autosave_killer", {"HARDENING_TORN_WRITES": "1"})
    try:
        report = kill_during_autosave(server, tmp_path, iterations=20, seed=1)
    finally:
        server.close()
    assert report.failures, "an in-place write killed midway must be caught"
    assert any("could not be read" in f or "expected state" in f for f in report.failures)
