"""One way to show a message (an error, without a traceback) to a clinician, always as
plain text. The override's dialogs are in :mod:`decision_aid.gui.override_dialog`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["plain_message_box", "show_error", "show_message"]


def plain_message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> QMessageBox:
    """A message box that shows ``text`` as it is: file text never renders as markup."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> None:
    """Tell the clinician something, as plain text (``QMessageBox.information`` is not)."""
    box = plain_message_box(parent, title, text, icon=icon)
    box.setObjectName("message-dialog")
    box.exec()


def show_error(parent: QWidget | None, title: str, error: Exception | str) -> None:
    """The one way an error reaches a clinician: a plain message, never a traceback."""
    box = plain_message_box(parent, title, str(error), icon=QMessageBox.Icon.Warning)
    box.setObjectName("error-dialog")
    box.exec()
