"""The client side of a kill server: a process that forks a worker per run, kills it at a
random moment and reports back (``tests.hardening.autosave_killer``, ``audit_killer``).

Forking from a warm server keeps each of the many runs cheap (no interpreter start)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["KillServer"]

ROOT = Path(__file__).parent.parent.parent


class KillServer:
    """``module`` run as the server; ``env`` adds to this process's environment."""

    def __init__(self, module: str, env: Mapping[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **env},
        )

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the kill server stopped"
        return line

    def start(self, data_dir: Path, first: int) -> int:
        """Start a run on ``data_dir``; the worker's pid."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"run {data_dir} {first}\n")
        self.process.stdin.flush()
        return int(self._line().split()[1])

    def reaped(self) -> int:
        """Wait for the run to end (killed or finished); its exit status."""
        return int(self._line().split()[1])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()
