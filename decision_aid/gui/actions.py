"""What the window's commands do, as plain functions of the consultation model: no widget,
no dialog, so each can be tested without a window. The modules that ask the clinician
(files, exports, overrides) call these and say what happened.

The rule-set models are imported where they are first used: the window is painted first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from decision_aid.paths import safe_file_name

if TYPE_CHECKING:
    from decision_aid.governance.approval import ApprovalState
    from decision_aid.gui.state import ConsultationModel
    from decision_aid.interchange.fhir import Subject

__all__ = [
    "audit",
    "current_approval",
    "export_name",
    "fhir_files",
    "first_missing",
    "questionnaire_path",
    "sheet_job",
    "sheet_name",
    "test_case_name",
    "test_case_text",
]


def first_missing(model: ConsultationModel) -> str | None:
    """The first answer that could change the outcome, else the first open safety question."""
    missing = [m.question_id for m in model.assessment.missing]
    missing += list(model.progress.unanswered_safety)
    return missing[0] if missing else None


def _json_bytes(resource: dict[str, object]) -> bytes:
    return json.dumps(resource, indent=2, ensure_ascii=False).encode("utf-8")


def export_name(model: ConsultationModel) -> str:
    """``J Doe 2026-11-24.fhir.json``: an export's name, from the patient label and the date."""
    label = model.consultation.patient_label
    return safe_file_name(label, suffix=".fhir.json", fallback="consultation", when=date.today())


def questionnaire_path(path: Path) -> Path:
    """Where the questionnaire goes beside the Bundle at ``path``."""
    stem = path.name.removesuffix(".json").removesuffix(".fhir")
    return path.with_name(f"{stem}.questionnaire.json")


def fhir_files(
    model: ConsultationModel, approval: ApprovalState | None, path: Path, subject: Subject
) -> dict[Path, bytes]:
    """The FHIR Bundle (the response and the outcome) for ``path``, and its questionnaire
    beside it; ``subject`` names the patient and the clinician."""
    from decision_aid.interchange.fhir import consultation_bundle, questionnaire_resource

    bundle = consultation_bundle(
        model.rule_set,
        model.consultation,
        model.answers,
        model.assessment,
        view=model.view,
        complete=model.progress.complete,
        subject=subject,
    )
    questionnaire = questionnaire_resource(model.rule_set)
    if approval is not None:
        questionnaire["status"] = approval.fhir_status(questionnaire["status"])
    return {path: _json_bytes(bundle), questionnaire_path(path): _json_bytes(questionnaire)}


def test_case_name(model: ConsultationModel) -> str:
    """A case file's name: by outcome and date, never after the patient."""
    outcome = model.assessment.outcome.id
    return safe_file_name(f"case {outcome}", suffix=".yaml", fallback="case", when=date.today())


def test_case_text(model: ConsultationModel) -> str:
    """Only the answers, settings and expectations: no label, no notes."""
    from decision_aid.domain.case_file import case_file_text

    name = f"{model.assessment.outcome.label} (saved {model.clock():%Y-%m-%d %H:%M})"
    return case_file_text(name, model.answers.to_data(), model.settings, model.assessment)


def sheet_name(model: ConsultationModel) -> str:
    label = model.consultation.patient_label
    return safe_file_name(label, suffix=".pdf", fallback="discussion-sheet", when=date.today())


def sheet_job(model: ConsultationModel, approval: ApprovalState | None) -> Callable[[], bytes]:
    """Drawing the discussion sheet for what the model holds now. What it draws is read
    here, on the caller's thread; the drawing only reads, so it may run on a worker."""
    from decision_aid.sheet import render

    assessment, answers, override = model.assessment, model.answers, model.view
    rule_set = model.rule_set
    return lambda: render(assessment, answers, rule_set, override=override, approval=approval)


def audit(
    model: ConsultationModel,
    approval: ApprovalState | None,
    folder: Path,
    event: str,
    target: str = "",
) -> None:
    """Record ``event`` in the audit trail in ``folder``; raises ``DecisionAidError``."""
    from decision_aid.governance.audit import AuditLog, consultation_event

    AuditLog(folder).append(
        consultation_event(
            event,
            rule_set=model.rule_set,
            consultation=model.consultation,
            assessment=model.assessment,
            override=model.override,
            approval=approval,
            target=target,
        )
    )


def current_approval(
    model: ConsultationModel, approval: ApprovalState, checked: date
) -> tuple[ApprovalState, date]:
    """The approval for today and the day it was worked out: again when the day changed
    since ``checked``, since a review date may have passed while the window was open."""
    from decision_aid.governance.approval import approval_state

    day = model.clock().astimezone().date()
    if day == checked:
        return approval, checked
    return approval_state(model.rule_set, today=day), day
