"""Start the consultation window: ``decision-aid [--rules DIR]``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from decision_aid import __version__
from decision_aid.gui.main_window import MainWindow
from decision_aid.storage import Autosave

__all__ = ["offer_recovery", "run"]


def offer_recovery(window: MainWindow, autosave: Autosave) -> None:
    """After a crash: offer to restore the newest unfinished consultation."""
    pending, problems = autosave.pending()
    for problem in problems:
        QMessageBox.warning(window, "An autosave could not be read", problem)
    if not pending or window.model is None:
        return
    newest = pending[0]
    consultation = newest.consultation
    when = consultation.updated.astimezone().strftime("%d %b %Y at %H:%M")
    who = f" for {consultation.patient_label}" if consultation.patient_label else ""
    box = QMessageBox(window)
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
    elif box.clickedButton() is discard:
        autosave.discard(consultation)


def run(rules_dir: Path) -> int:
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
    window.show()
    return app.exec()
