"""Start the consultation window: ``decision-aid [--rules DIR]``.

``decision-aid --smoke-test`` (left out of ``--help``) is for checking an installed or
bundled app without a person at the screen: the window quits with exit 0 on its first
paint, and a start that hangs for :data:`SMOKE_TEST_TIMEOUT` seconds ends with exit 1 and
a traceback of every thread. Use it with ``QT_QPA_PLATFORM=offscreen`` where there is no
display.
"""

from __future__ import annotations

import faulthandler
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from decision_aid import __version__
from decision_aid.gui.dialogs import show_message
from decision_aid.gui.main_window import MainWindow
from decision_aid.storage.autosave import Autosave

if TYPE_CHECKING:
    from decision_aid.domain.consultation import Consultation

__all__ = ["SMOKE_TEST_TIMEOUT", "offer_recovery", "run"]

SMOKE_TEST_TIMEOUT = 30.0


class _QuitOnFirstPaint(QObject):
    """Ends the event loop (exit 0) when the watched window is first painted."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            faulthandler.cancel_dump_traceback_later()
            QCoreApplication.exit(0)  # exit(), not quit(): no close prompts, no autosave
        return False


def _watch_for_smoke_test(window: MainWindow) -> None:
    # A watchdog thread outside the event loop, so a start that blocks it still ends.
    faulthandler.dump_traceback_later(SMOKE_TEST_TIMEOUT, exit=True)
    window.installEventFilter(_QuitOnFirstPaint(window))


def offer_recovery(window: MainWindow, autosave: Autosave) -> None:
    """After a crash: offer to restore the newest unfinished consultation."""
    pending, problems = autosave.pending()
    for problem in problems:
        show_message(
            window, "An autosave could not be read", problem, icon=QMessageBox.Icon.Warning
        )
    if not pending or window.model is None:
        return
    newest = pending[0]
    consultation = newest.consultation
    when = consultation.updated.astimezone().strftime("%d %b %Y at %H:%M")
    who = f" for {consultation.patient_label}" if consultation.patient_label else ""
    box = QMessageBox(window)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the label comes from a file
    box.setWindowTitle("Restore the unfinished consultation?")
    box.setText(
        f"A consultation{who} from {when} was not closed ({len(consultation.answers)} answers). "
        "Restore it?"
    )
    restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("&Discard it", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is restore:
        window.restore(newest)
    elif (
        box.clickedButton() is discard
        and _confirm_discard(window, consultation)
        and not autosave.discard_pending(newest)
    ):
        QMessageBox.warning(
            window,
            "The consultation was not discarded",
            "It is open in another decision-aid window, or its file cannot be deleted; "
            "it was left as it is.",
        )


def _confirm_discard(window: MainWindow, consultation: Consultation) -> bool:
    answer = QMessageBox.question(
        window,
        "Delete the unfinished consultation?",
        f"Its {len(consultation.answers)} answers and its notes will be deleted from this "
        "computer. This cannot be undone.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def run(rules_dir: Path, *, smoke_test: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("decision-aid")
    app.setApplicationVersion(__version__)
    autosave = Autosave()
    window = MainWindow(rules_dir, autosave, defer_load=True)
    # Offer recovery once, after the first load (a later reload must not ask again).
    window.loaded.connect(
        lambda: QTimer.singleShot(0, lambda: offer_recovery(window, autosave)),
        Qt.ConnectionType.SingleShotConnection,
    )
    if smoke_test:
        _watch_for_smoke_test(window)
    window.show()
    return app.exec()
