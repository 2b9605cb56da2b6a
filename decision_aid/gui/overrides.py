"""Edit → Override outcome and Clear override: the clinician's own outcome, with a reason
(both through the window's undo, so Ctrl+Z takes them back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from decision_aid.gui.dialogs import OverrideDialog, show_error

if TYPE_CHECKING:
    from decision_aid.gui.main_window import MainWindow

__all__ = ["clear_override", "override"]


def override(window: MainWindow) -> None:
    model = window.model
    if model is None:
        return
    dialog = OverrideDialog(model.rule_set, model.assessment.outcome.id, window)
    if dialog.exec():
        level, reason = dialog.chosen()
        try:
            window.undo.override((level, reason))
        except ValueError as error:
            show_error(window, "Override not recorded", error)
        else:
            window.audit("override-set")


def clear_override(window: MainWindow) -> None:
    model = window.model
    if model is not None and model.consultation.override is not None:
        window.undo.override(None)
        window.audit("override-cleared")
