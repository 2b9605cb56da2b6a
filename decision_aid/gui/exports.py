"""The export for the health record (File → Export, Ctrl+E): a FHIR Bundle of the answers
and the outcome, named from the patient label and the date, with the questionnaire beside
it; the clinician gives the patient's identifier, and is told where the files went.

Nothing is overwritten without asking: the save dialog asks for the Bundle's file, and
:func:`ask_export` asks for the questionnaire's file beside it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from decision_aid.paths import safe_file_name
from decision_aid.writing import write_files

if TYPE_CHECKING:
    from decision_aid.governance.approval import ApprovalState
    from decision_aid.gui.state import ConsultationModel
    from decision_aid.interchange.fhir import Subject

__all__ = ["ask_export", "export_name", "questionnaire_path", "write_export"]


def export_name(label: str, today: date) -> str:
    """``J Doe 2026-11-24.fhir.json``: from the patient label and the date."""
    return safe_file_name(label, suffix=".fhir.json", fallback="consultation", when=today)


def questionnaire_path(path: Path) -> Path:
    """Where the questionnaire goes beside the Bundle at ``path``."""
    stem = path.name.removesuffix(".json").removesuffix(".fhir")
    return path.with_name(f"{stem}.questionnaire.json")


def _json_bytes(resource: dict[str, object]) -> bytes:
    return json.dumps(resource, indent=2, ensure_ascii=False).encode("utf-8")


def ask_export(
    parent: QWidget, model: ConsultationModel, suggest: Callable[[str], str], clinician: str
) -> tuple[Path, Subject] | None:
    """Ask for the patient's identifier (optional) and the file; None when cancelled."""
    from decision_aid.interchange.fhir import Subject

    identifier, ok = QInputDialog.getText(
        parent,
        "Export for the health record",
        "The patient's identifier in your record system (optional; the export names the "
        "patient by it and by the patient label):",
        QLineEdit.EchoMode.Normal,
    )
    if not ok:
        return None
    label = model.consultation.patient_label
    name, _ = QFileDialog.getSaveFileName(
        parent,
        "Export for the health record (FHIR Bundle)",
        suggest(export_name(label, date.today())),
        "FHIR JSON (*.json)",
    )
    if not name:
        return None
    path = Path(name)
    beside = questionnaire_path(path)
    if beside.exists():
        answer = QMessageBox.question(
            parent,
            "Replace the questionnaire file?",
            f"{beside.name} already exists beside {path.name}. Replace it?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    return path, Subject(identifier.strip(), label, clinician)


def write_export(
    model: ConsultationModel, approval: ApprovalState | None, path: Path, subject: Subject
) -> tuple[Path, Path]:
    """Write the Bundle to ``path`` and the questionnaire beside it, both or neither;
    raises ``DecisionAidError`` when they could not be written."""
    from decision_aid.interchange.fhir import consultation_bundle, questionnaire_resource

    complete = not model.progress.unanswered_safety and all(
        s.state == "complete" for s in model.progress.sections
    )
    bundle = consultation_bundle(
        model.rule_set,
        model.consultation,
        model.answers,
        model.assessment,
        view=model.view,
        complete=complete,
        subject=subject,
    )
    questionnaire = questionnaire_resource(model.rule_set)
    if approval is not None:
        questionnaire["status"] = approval.fhir_status(questionnaire["status"])
    beside = questionnaire_path(path)
    write_files({path: _json_bytes(bundle), beside: _json_bytes(questionnaire)})
    return path, beside
