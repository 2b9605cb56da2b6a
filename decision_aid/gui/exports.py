"""File → Export for the health record (FHIR), and, for rule authors, the answers saved
as a test case: the dialogs, the writing, and what the clinician is told."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from decision_aid.domain.errors import DecisionAidError
from decision_aid.gui import actions
from decision_aid.gui.dialogs import show_error
from decision_aid.gui.files import chosen, suggest
from decision_aid.writing import write_file, write_files

if TYPE_CHECKING:
    from decision_aid.gui.main_window import MainWindow

__all__ = ["export_fhir", "export_to", "save_test_case", "write_test_case"]


def export_fhir(window: MainWindow) -> None:
    if window.model is None:
        return
    name, _ = QFileDialog.getSaveFileName(
        window,
        "Export the answers (FHIR QuestionnaireResponse)",
        suggest("questionnaire-response.json"),
        "JSON (*.json)",
    )
    if name:
        export_to(window, chosen(name))


def export_to(window: MainWindow, path: Path) -> tuple[Path, Path]:
    """Write the response to ``path`` and the questionnaire beside it, both or neither."""
    assert window.model is not None
    files = actions.fhir_files(window.model, window.approval, path)
    try:
        write_files(files)
    except DecisionAidError as error:
        show_error(window, "Export failed", error)
    else:
        window.audit("fhir-exported", str(path))
    response, questionnaire = files
    return response, questionnaire


def save_test_case(window: MainWindow) -> None:
    """For rule authors: the current answers and outcome as a case file to review."""
    if window.model is None:
        return
    # Never into the rule set's own tests/ (under version control), never named
    # after the patient: the author moves a reviewed case there by hand.
    default = actions.test_case_name(window.model)
    name, _ = QFileDialog.getSaveFileName(
        window, "Save as a test case", suggest(default), "YAML (*.yaml)"
    )
    if name:
        write_test_case(window, chosen(name))


def write_test_case(window: MainWindow, path: Path) -> bool:
    assert window.model is not None
    try:
        write_file(path, actions.test_case_text(window.model).encode("utf-8"))
    except DecisionAidError as error:
        show_error(window, "The test case was not saved", error)
        return False
    return True
