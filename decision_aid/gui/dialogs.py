"""The few dialogs the window needs: override (with its reason), and one way to show
a message (an error, without a traceback) to a clinician, always as plain text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from decision_aid.domain import RuleSet

__all__ = ["OverrideDialog", "plain_message_box", "show_error", "show_message"]


class OverrideDialog(QDialog):
    """Choose another outcome; OK stays disabled until a reason is written."""

    def __init__(self, rule_set: RuleSet, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Override the outcome")
        self.setObjectName("override-dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Record your own judgement. The rule outcome stays on record beside it, with "
            "your reason and the time."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.level = QComboBox()
        self.level.setAccessibleName("Outcome")
        for level in rule_set.info.levels:
            self.level.addItem(level.label, level.id)
        self.level.setCurrentIndex(max(0, self.level.findData(current)))
        level_label = QLabel("&Outcome:")
        level_label.setBuddy(self.level)
        layout.addWidget(level_label)
        layout.addWidget(self.level)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the override")
        self.reason.setTabChangesFocus(True)
        reason_label = QLabel("&Reason (required):")
        reason_label.setBuddy(self.reason)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._on_reason_changed)
        self._on_reason_changed()

    def _on_reason_changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()))

    def chosen(self) -> tuple[str, str]:
        return str(self.level.currentData()), self.reason.toPlainText().strip()


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
