"""File → Export for the health record (a FHIR Bundle named from the patient label and the
date, the patient's identifier as the clinician gives it), and, for rule authors, the
answers saved as a test case: the dialogs, the writing, and what the clinician is told."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox

from decision_aid.domain.errors import DecisionAidError
from decision_aid.gui import actions
from decision_aid.gui.dialogs import show_error, show_message
from decision_aid.gui.preferences import clinician_name
from decision_aid.storage.atomic import write_file, write_files

if TYPE_CHECKING:
    from decision_aid.gui.main_window import MainWindow
    from decision_aid.interchange.fhir import Subject

__all__ = ["export_fhir", "export_to", "save_test_case", "write_test_case"]


def export_fhir(window: MainWindow) -> None:
    """Ask for the patient's identifier (optional) and the file, write, and say where it
    went. Nothing is overwritten without asking: the save dialog asks for the Bundle's
    file, and this asks for the questionnaire's beside it."""
    from decision_aid.interchange.fhir import Subject

    model = window.model
    if model is None:
        return
    identifier, ok = QInputDialog.getText(
        window,
        "Export for the health record",
        "The patient's identifier in your record system (optional; the export names the "
        "patient by it and by the patient label):",
        QLineEdit.EchoMode.Normal,
    )
    if not ok:
        return
    name, _ = QFileDialog.getSaveFileName(
        window,
        "Export for the health record (FHIR Bundle)",
        window.save_folder.suggest(actions.export_name(model)),
        "FHIR JSON (*.json)",
    )
    if not name:
        return
    path = window.save_folder.chosen(name)
    beside = actions.questionnaire_path(path)
    if beside.exists():
        answer = QMessageBox.question(
            window,
            "Replace the questionnaire file?",
            f"{beside.name} already exists beside {path.name}. Replace it?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
    subject = Subject(identifier.strip(), model.consultation.patient_label, clinician_name())
    if (written := export_to(window, path, subject)) is not None:
        show_message(
            window, "Exported", f"Written to {written[0]}\nwith its questionnaire in {written[1]}"
        )


def export_to(
    window: MainWindow, path: Path, subject: Subject | None = None
) -> tuple[Path, Path] | None:
    """Write the Bundle to ``path`` and the questionnaire beside it, both or neither; by
    default the subject is the patient label and the author the clinician's name."""
    from decision_aid.interchange.fhir import Subject

    assert window.model is not None
    label = window.model.consultation.patient_label
    who = subject or Subject("", label, clinician_name())
    files = actions.fhir_files(window.model, window.approval, path, who)
    try:
        write_files(files)
    except DecisionAidError as error:
        show_error(window, "Export failed", error)
        return None
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
        window, "Save as a test case", window.save_folder.suggest(default), "YAML (*.yaml)"
    )
    if name:
        write_test_case(window, window.save_folder.chosen(name))


def write_test_case(window: MainWindow, path: Path) -> bool:
    assert window.model is not None
    try:
        write_file(path, actions.test_case_text(window.model).encode("utf-8"))
    except DecisionAidError as error:
        show_error(window, "The test case was not saved", error)
        return False
    return True
