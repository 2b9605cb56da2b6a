"""Edit → Override outcome, Withdraw override and Your name for overrides: the clinician's
own view of the outcome, with a reason, bound to the answers it was given for (the dialogs
are in :mod:`~decision_aid.gui.override_dialog`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from decision_aid.gui.override_dialog import ask_clinician, override_outcome

if TYPE_CHECKING:
    from decision_aid.gui.main_window import MainWindow

__all__ = ["ask_name", "clear_override", "override"]


def override(window: MainWindow) -> None:
    """Record an override, or review the one whose answers changed since."""
    model = window.model
    if model is not None and (done := override_outcome(window, model, window.undo)):
        window.audit(done)


def clear_override(window: MainWindow) -> None:
    model = window.model
    if model is not None and model.consultation.override is not None:
        window.undo.override(None)
        window.audit("override-cleared")


def ask_name(window: MainWindow) -> None:
    ask_clinician(window, again=True)
