"""Overriding the outcome: the dialog that records the clinician's own view with a reason,
the review of an override whose answers changed since, and the clinician's name that
every override records (asked for once, then kept in the preferences).

:func:`override_outcome` is the whole exchange; the window calls it and records in the
audit trail what it returns. Everything shown here is plain text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from decision_aid.gui.dialogs import plain_message_box, show_error
from decision_aid.gui.preferences import clinician_name, set_clinician_name
from decision_aid.present.wording import NOT_CURRENT, REVIEW

if TYPE_CHECKING:
    from decision_aid.domain import RuleSet
    from decision_aid.gui.state import ConsultationModel
    from decision_aid.gui.undo import Undo
    from decision_aid.present.override import ClinicianView

__all__ = ["OverrideDialog", "Review", "ask_clinician", "override_outcome", "review_override"]


class OverrideDialog(QDialog):
    """Choose another outcome; OK stays disabled until a reason is written."""

    def __init__(
        self, rule_set: RuleSet, current: str, clinician: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Override the outcome")
        self.setObjectName("override-dialog")
        layout = QVBoxLayout(self)
        rule_outcome = rule_set.levels_by_id[current].label
        intro = QLabel(
            f"The rule outcome now is “{rule_outcome}”. Record your own view: the rule outcome "
            f"stays on record beside it, with your reason, the time and your name ({clinician}). "
            "If the answers change later, your view is marked for review."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.level = QComboBox()
        self.level.setAccessibleName("Your view of the outcome")
        for level in rule_set.info.levels:
            self.level.addItem(level.label, level.id)
        self.level.setCurrentIndex(max(0, self.level.findData(current)))
        level_label = QLabel("Your &view of the outcome:")
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


class Review(StrEnum):
    CONFIRM = "confirm"
    WITHDRAW = "withdraw"
    CHANGE = "change"
    CANCEL = "cancel"


def review_override(view: ClinicianView, rule_outcome: str, parent: QWidget | None) -> Review:
    """Ask about an override whose answers changed. The buttons have mnemonics (C or Alt+C
    confirm, Alt+W withdraw, Alt+N a new override); Escape leaves it as it is."""
    box = plain_message_box(
        parent,
        "Review the override",
        f"{REVIEW}.\n\nYour view: {view.label}, {view.recorded()}.\nReason: "
        f"{view.override.reason}\n\nThe rule outcome now: {rule_outcome}.\n\n{NOT_CURRENT}",
        icon=QMessageBox.Icon.Warning,
    )
    box.setObjectName("override-review")
    role = QMessageBox.ButtonRole
    choices: dict[QAbstractButton, Review] = {
        box.addButton("&Confirm it for these answers", role.AcceptRole): Review.CONFIRM,
        box.addButton("&Withdraw it", role.DestructiveRole): Review.WITHDRAW,
        box.addButton("&New override…", role.ActionRole): Review.CHANGE,
    }
    box.setEscapeButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return choices.get(box.clickedButton(), Review.CANCEL)


def ask_clinician(parent: QWidget | None, *, again: bool = False) -> str:
    """The clinician's name, kept in the preferences: asked for when there is none (or
    ``again``, to change it). Empty when the clinician cancels."""
    name = clinician_name()
    if name and not again:
        return name
    dialog = QInputDialog(parent)
    dialog.setObjectName("clinician-name")
    dialog.setWindowTitle("Your name")
    dialog.setLabelText(
        "Your name, as each override you record should show it (kept on this computer):"
    )
    dialog.setTextValue(name)
    if not dialog.exec() or not dialog.textValue().strip():
        return ""
    name = dialog.textValue().strip()
    set_clinician_name(name)  # where it cannot be kept, asked again next time
    return name


def override_outcome(parent: QWidget | None, model: ConsultationModel, edits: Undo) -> str | None:
    """Review the override that needs it (confirm or withdraw), or record a new one, each
    through ``edits`` so that Ctrl+Z takes it back: the audit event of what was done
    (``override-set``, ``override-confirmed``, ``override-cleared``), or None."""
    view = model.view
    if view is not None and not view.current:
        choice = review_override(view, model.assessment.outcome.label, parent)
        if choice is Review.CANCEL:
            return None
        if choice is Review.WITHDRAW:
            edits.override(None)
            return "override-cleared"
        if choice is Review.CONFIRM:
            name = ask_clinician(parent)
            if not name:
                return None
            edits.confirm_override(name)
            return "override-confirmed"
    name = ask_clinician(parent)
    if not name:
        return None
    dialog = OverrideDialog(model.rule_set, model.assessment.outcome.id, name, parent)
    if not dialog.exec():
        return None
    level, reason = dialog.chosen()
    try:
        edits.override((level, reason, name))
    except ValueError as error:
        show_error(parent, "Override not recorded", error)
        return None
    return "override-set"
