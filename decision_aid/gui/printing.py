"""File → Print: the discussion sheet is drawn on a worker thread (the window stays live
meanwhile), then previewed, printed or saved as a PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from decision_aid.gui import actions
from decision_aid.gui.background import run_in_background
from decision_aid.gui.dialogs import show_error

if TYPE_CHECKING:
    from decision_aid.gui.main_window import MainWindow

__all__ = ["preview_sheet"]


def preview_sheet(window: MainWindow) -> None:
    """Print (Ctrl+P): draw the sheet for what the window shows now, then preview it."""
    model = window.model
    if model is None or not window.menus.print_action.isEnabled():
        return
    name = actions.sheet_name(model)
    window.menus.print_action.setEnabled(False)  # one sheet at a time
    window.status.tell("Making the discussion sheet…")
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def finish() -> None:
        QApplication.restoreOverrideCursor()
        window.status.tell("")
        window.menus.print_action.setEnabled(window.model is not None)

    def show(pdf: bytes) -> None:
        from decision_aid.gui.sheet_preview import SheetPreview

        finish()
        try:
            preview = SheetPreview(
                pdf,
                window.save_folder.suggest(name),
                window,
                delivered=window.audit,
                remake=lambda part, labelled: actions.sheet_job(
                    model, window.approval, part=part, labelled=labelled
                )(),
            )
        except Exception as error:  # PDFium's errors share no base with ours
            show_error(window, "The sheet could not be made", f"It could not be shown: {error}")
            return
        window.sheet_shown.emit(preview)
        preview.exec()

    def failed(error: Exception) -> None:
        finish()
        show_error(window, "The sheet could not be made", f"It could not be drawn: {error}")

    run_in_background(actions.sheet_job(model, window.approval), show, failed)
