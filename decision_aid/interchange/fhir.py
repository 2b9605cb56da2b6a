"""FHIR R4 exports: the questionnaire as a ``Questionnaire``; a consultation as a
``Bundle`` of its ``QuestionnaireResponse`` and an ``Observation`` of the outcome, so a
clinic can file them in its record system.

The response names its subject (the identifier the clinician gives, and the patient
label) and its author (the clinician); it holds only the questions asked, yes/no
answers as booleans, and "Not known" as FHIR's data-absent-reason (``asked-unknown``).
The observation carries the rule outcome, the clinician's view if an override stands
(marked when the answers changed since), and the rule set's id, version and digest.

Plain dictionaries, ready for ``json.dumps``; tests validate them with the
``fhir.resources`` models. Branching is exported as ``enableWhen`` where a
``show_when`` has an ``enableWhen`` form (each condition node says whether it has one:
plain option tests do, and all the bundled ones are); anything richer is left to the
text, since FHIR's enableWhen cannot say it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from decision_aid.domain import Assessment
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.progress import progress
from decision_aid.domain.questionnaire import Answers, Question, QuestionType
from decision_aid.domain.rules import RuleSet, Status
from decision_aid.present.override import ClinicianView
from decision_aid.present.wording import CLINICIANS_VIEW, NOT_A_DECISION, REVIEW, RULE_OUTCOME

__all__ = [
    "Subject",
    "consultation_bundle",
    "outcome_resource",
    "questionnaire_resource",
    "response_resource",
]

_STATUS = {Status.DRAFT: "draft", Status.APPROVED: "active", Status.RETIRED: "retired"}
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
NOT_KNOWN_ANSWER = {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "asked-unknown"}]}
"""A "Not known" answer: the patient was asked and does not know."""
LOCAL_IDENTIFIER = "urn:decision-aid:local-identifier"
"""The system of an identifier the clinician gives (the clinic's own, not a national one)."""


@dataclass(frozen=True)
class Subject:
    """Who the export is about and who made it, as the clinician gives them."""

    identifier: str = ""
    """The clinic's identifier for the patient; may be empty."""
    label: str = ""
    """The consultation's patient label."""
    author: str = ""
    """The clinician's name."""

    def reference(self) -> dict[str, Any] | None:
        reference: dict[str, Any] = {}
        if self.identifier.strip():
            reference["identifier"] = {"system": LOCAL_IDENTIFIER, "value": self.identifier.strip()}
        if self.label.strip():
            reference["display"] = self.label.strip()
        return reference or None


def _fhir_id(text: str, suffix: str = "") -> str:
    """A FHIR id (``[A-Za-z0-9.-]{1,64}``) from a consultation id (which may hold ``_``)."""
    return text.replace("_", "-")[: 64 - len(suffix)] + suffix


def _canonical(rule_set: RuleSet) -> str:
    return f"urn:decision-aid:questionnaire:{rule_set.info.id}"


def _coding(rule_set: RuleSet, question: Question, option_id: str) -> dict[str, str]:
    return {
        "system": f"{_canonical(rule_set)}:{question.id}",
        "code": option_id,
        "display": rule_set.questionnaire.option_label(question.id, option_id),
    }


def _enable_when(rule_set: RuleSet, question: Question) -> dict[str, Any]:
    form = question.show_when.enable_when() if question.show_when is not None else None
    if form is None:
        return {}
    by_id = rule_set.questionnaire.by_id
    items = [
        {"question": parent, "operator": operator, **_answer_value(rule_set, by_id[parent], option)}
        for parent, operator, option in form.tests
    ]
    result: dict[str, Any] = {"enableWhen": items}
    if len(items) > 1:
        result["enableBehavior"] = form.behavior
    return result


def _answer_value(rule_set: RuleSet, question: Question, option: str) -> dict[str, Any]:
    """``answerBoolean`` for a yes/no question, ``answerCoding`` for any other."""
    if question.type is QuestionType.YES_NO:
        return {"answerBoolean": option == "yes"}
    return {"answerCoding": _coding(rule_set, question, option)}


def _item(rule_set: RuleSet, question: Question) -> dict[str, Any]:
    text = question.text + (f" ({question.unit})" if question.unit else "")
    item: dict[str, Any] = {"linkId": question.id, "text": text}
    if question.type is QuestionType.NUMBER:
        item["type"] = "integer" if question.integer else "decimal"
    elif question.type is QuestionType.YES_NO:
        item["type"] = "boolean"
    else:
        item["type"] = "choice"
        item["repeats"] = question.type is QuestionType.MULTIPLE
        item["answerOption"] = [
            {"valueCoding": _coding(rule_set, question, o.id)} for o in question.choices
        ]
    if question.show_when is not None:
        item |= _enable_when(rule_set, question)
    return item


def questionnaire_resource(rule_set: RuleSet) -> dict[str, Any]:
    info = rule_set.info
    return {
        "resourceType": "Questionnaire",
        "id": info.id,
        "url": _canonical(rule_set),
        "version": info.version,
        "title": info.title,
        "status": _STATUS[info.status],
        "date": info.date.isoformat(),
        "description": info.description,
        "item": [
            {
                "linkId": section.id,
                "text": section.title,
                "type": "group",
                "item": [_item(rule_set, q) for q in section.questions],
            }
            for section in rule_set.questionnaire.sections
        ],
    }


def _answer(rule_set: RuleSet, question: Question, answers: Answers) -> list[dict[str, Any]]:
    if question.id in answers.not_known:
        return [dict(NOT_KNOWN_ANSWER)]
    value = answers[question.id]
    if question.type is QuestionType.NUMBER:
        assert isinstance(value, float)
        return [{"valueInteger": int(value)} if question.integer else {"valueDecimal": value}]
    if question.type is QuestionType.YES_NO:
        return [{"valueBoolean": value == "yes"}]
    options = value if isinstance(value, tuple) else (value,)
    return [{"valueCoding": _coding(rule_set, question, str(o))} for o in options]


def response_resource(
    rule_set: RuleSet,
    consultation: Consultation,
    answers: Answers,
    *,
    complete: bool,
    subject: Subject | None = None,
) -> dict[str, Any]:
    """The answers given (``answers`` as reconciled with ``rule_set``), by section.

    Only questions that are asked: in the questionnaire and shown under these answers
    (as the window shows them). An answer kept for a question its lead question now
    hides never counts, so it is not exported either.
    """
    asked = progress(rule_set, answers).displayed
    sections = []
    for section in rule_set.questionnaire.sections:
        items = [
            {"linkId": q.id, "text": q.text, "answer": _answer(rule_set, q, answers)}
            for q in section.questions
            if q.id in asked and (q.id in answers or q.id in answers.not_known)
        ]
        if items:
            sections.append({"linkId": section.id, "text": section.title, "item": items})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": _fhir_id(consultation.id),
        "questionnaire": f"{_canonical(rule_set)}|{rule_set.info.version}",
        "status": "completed" if complete else "in-progress",
        "authored": consultation.updated.isoformat(),
    }
    resource |= _people(subject, "author")
    return resource | {"item": sections}


def _people(subject: Subject | None, author_field: str) -> dict[str, Any]:
    people: dict[str, Any] = {}
    if subject is not None and (reference := subject.reference()) is not None:
        people["subject"] = reference
    if subject is not None and subject.author.strip():
        author = {"display": subject.author.strip()}
        people[author_field] = author if author_field == "author" else [author]
    return people


def _level(rule_set: RuleSet, level_id: str, label: str) -> dict[str, Any]:
    system = f"urn:decision-aid:levels:{rule_set.info.id}"
    return {"coding": [{"system": system, "code": level_id, "display": label}], "text": label}


def outcome_resource(
    rule_set: RuleSet,
    consultation: Consultation,
    assessment: Assessment,
    *,
    view: ClinicianView | None,
    complete: bool,
    subject: Subject | None = None,
    response_url: str,
) -> dict[str, Any]:
    """The outcome as an ``Observation``: the rule outcome, the clinician's view beside it
    (a component, marked when under review), the rule set as the method (id, version and
    digest), derived from the response at ``response_url``."""
    info = rule_set.info
    outcome = assessment.outcome
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _fhir_id(consultation.id, "-outcome"),
        "status": "final" if complete else "preliminary",
        "code": {
            "coding": [{"system": "urn:decision-aid:outcome", "code": info.id}],
            "text": f"{RULE_OUTCOME}: {info.title}",
        },
        "effectiveDateTime": consultation.updated.isoformat(),
    }
    resource |= _people(subject, "performer")
    resource |= {
        "valueCodeableConcept": _level(rule_set, outcome.id, outcome.label),
        "method": {
            "coding": [
                {
                    "system": f"urn:decision-aid:rule-set:{info.id}",
                    "version": info.version,
                    "code": rule_set.digest,
                    "display": f"{info.id} {info.version} (sha256 {rule_set.digest})",
                }
            ],
            "text": f"Rule set {info.id} {info.version}, sha256 {rule_set.digest}",
        },
        "derivedFrom": [{"reference": response_url}],
        "note": [{"text": NOT_A_DECISION}],
    }
    if view is not None:
        words = f"{CLINICIANS_VIEW} (override)" + ("" if view.current else f": {REVIEW}")
        resource["component"] = [
            {
                "code": {"text": words},
                "valueCodeableConcept": _level(rule_set, view.override.level, view.label),
            }
        ]
        note = f"{words}: {view.label}, {view.recorded()}. Reason: {view.override.reason}"
        resource["note"].append({"text": note})
    return resource


def consultation_bundle(
    rule_set: RuleSet,
    consultation: Consultation,
    answers: Answers,
    assessment: Assessment,
    *,
    view: ClinicianView | None,
    complete: bool,
    subject: Subject | None = None,
) -> dict[str, Any]:
    """A ``collection`` Bundle: the response, and the observation of its outcome."""
    response_url = f"urn:decision-aid:consultation:{consultation.id}:response"
    response = response_resource(
        rule_set, consultation, answers, complete=complete, subject=subject
    )
    outcome = outcome_resource(
        rule_set,
        consultation,
        assessment,
        view=view,
        complete=complete,
        subject=subject,
        response_url=response_url,
    )
    return {
        "resourceType": "Bundle",
        "id": _fhir_id(consultation.id),
        "type": "collection",
        "timestamp": consultation.updated.isoformat(),
        "entry": [
            {"fullUrl": response_url, "resource": response},
            {
                "fullUrl": f"urn:decision-aid:consultation:{consultation.id}:outcome",
                "resource": outcome,
            },
        ],
    }
