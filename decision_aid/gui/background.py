"""Work that takes longer than a frame, run off the UI thread so the window stays live.

:func:`run_in_background` runs a plain function on Qt's global thread pool and hands its
result (or its error) back on the UI thread. The function must only read: the rule set,
the answers and the assessment are immutable, so a worker may read them while the
clinician goes on answering; whoever receives a result checks it is still wanted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

__all__ = ["run_in_background"]


class _Relay(QObject):
    """Carries the result across threads: it lives on the UI thread, so its slots run
    there whichever thread emits."""

    finished = Signal(bool, object)

    def __init__(self, done: Callable[[Any], None], failed: Callable[[Exception], None]) -> None:
        super().__init__()
        self.done, self.failed = done, failed
        self.finished.connect(self.deliver)

    @Slot(bool, object)
    def deliver(self, ok: bool, value: object) -> None:
        _running.discard(self)
        if ok:
            self.done(value)
        else:
            assert isinstance(value, Exception)
            self.failed(value)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # reported on the UI thread, never lost with the worker
            self.relay.finished.emit(False, error)
        else:
            self.relay.finished.emit(True, result)


_running: set[_Relay] = set()  # a relay lives until its job has answered


def run_in_background(
    work: Callable[[], Any],
    done: Callable[[Any], None],
    failed: Callable[[Exception], None],
) -> None:
    """Run ``work()`` on a worker thread; then ``done(result)`` or ``failed(error)`` on
    the UI thread."""
    relay = _Relay(done, failed)
    _running.add(relay)
    QThreadPool.globalInstance().start(_Job(work, relay))
