"""File → New, Open, Save, Save as, and the question asked before a consultation is left:
the dialogs. The document itself (which file, saved or not) is the model's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from decision_aid.domain.errors import DecisionAidError
from decision_aid.gui.dialogs import show_error, show_message
from decision_aid.paths import documents_dir, safe_file_name

if TYPE_CHECKING:
    from decision_aid.gui.main_window import MainWindow

__all__ = [
    "SaveFolder",
    "ask_save",
    "may_leave",
    "new_consultation",
    "open_file",
    "open_path",
    "save",
    "save_as",
    "write",
]


class SaveFolder:
    """Where a window's save dialogs start: the folder last chosen in that window, else
    the user's documents."""

    def __init__(self) -> None:
        self.last: Path | None = None

    def suggest(self, name: str) -> str:
        """The path a save dialog offers first for ``name``."""
        return str((self.last or documents_dir()) / name)

    def chosen(self, name: str) -> Path:
        """The path picked in a save dialog; the window's next dialog starts in its folder."""
        path = Path(name)
        self.last = path.parent
        return path


def ask_save(parent: QWidget) -> QMessageBox.StandardButton:
    """The question before a consultation kept in no file is left."""
    return QMessageBox.question(
        parent,
        "Save the consultation to a file?",
        "This consultation is kept on this computer only until you close it; it has not "
        "been saved to a file. Save it to a file first? If you discard it, its answers are "
        "deleted from this computer.",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
    )


def may_leave(window: MainWindow) -> bool:
    """Ask before leaving a consultation not saved to a file; True when it may be left."""
    model = window.model
    if model is None:
        return True
    window.view.keep_typing()  # what is still being typed belongs to this consultation
    if model.unsaved:
        answer = window.ask_save(window)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save and not save(window):
            return False
    window.autosave.discard(model.consultation)
    return True


def new_consultation(window: MainWindow) -> None:
    from decision_aid.domain.consultation import Consultation

    model = window.model
    if model is None or not may_leave(window):
        return
    model.start(Consultation.new(model.rule_set, now=model.clock()))
    window.view.show_section(0)


def open_file(window: MainWindow) -> None:
    if window.model is None or not may_leave(window):
        return
    name, _ = QFileDialog.getOpenFileName(
        window, "Open a consultation", "", "Consultations (*.json)"
    )
    if name:
        open_path(window, Path(name))


def open_path(window: MainWindow, path: Path) -> None:
    model = window.model
    if model is None:
        return
    try:
        model.open(path)
    except DecisionAidError as error:
        show_error(window, "Could not open the consultation", error)
        return
    if model.notices:  # notices quote the file: plain text
        show_message(window, "Opened with changes", "\n\n".join(model.notices))


def save(window: MainWindow) -> bool:
    model = window.model
    if model is None:
        return False
    if model.saved_path is None:
        return save_as(window)
    return write(window, model.saved_path)


def save_as(window: MainWindow) -> bool:
    model = window.model
    if model is None:
        return False
    label = model.consultation.patient_label
    suggested = safe_file_name(label, suffix=".json", fallback="consultation")
    name, _ = QFileDialog.getSaveFileName(
        window,
        "Save the consultation",
        window.save_folder.suggest(suggested),
        "Consultations (*.json)",
    )
    return bool(name) and write(window, window.save_folder.chosen(name))


def write(window: MainWindow, path: Path) -> bool:
    model = window.model
    if model is None:
        return False
    try:
        model.save_to(path)
    except DecisionAidError as error:
        show_error(window, "The consultation was not saved", error)
        return False
    window.status.show_kept(True, "", path, unsaved=False)
    window.status.tell(f"Saved to {path}", 5000)
    return True
