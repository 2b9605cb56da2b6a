"""The few dialogs the window needs: override (with its reason), and one way to show
an error to a clinician, without a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

__all__ = ["OverrideDialog", "show_error"]


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


def show_error(parent: QWidget | None, title: str, error: Exception | str) -> None:
    """The one way an error reaches a clinician: a plain message, never a traceback."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, str(error), parent=parent)
    box.setObjectName("error-dialog")
    box.exec()
