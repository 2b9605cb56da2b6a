"""FHIR R4 exports: the questionnaire as a ``Questionnaire``, a consultation as a
``QuestionnaireResponse``, so a clinic can file them in its record system.

Plain dictionaries, ready for ``json.dumps``; a test validates them with the
``fhir.resources`` models. Branching is exported as ``enableWhen`` where a
``show_when`` has an ``enableWhen`` form (each condition node says whether it has one:
plain option tests do, and all the bundled ones are); anything richer is left to the
text, since FHIR's enableWhen cannot say it.
"""

from __future__ import annotations

from typing import Any

from decision_aid.domain.consultation import Consultation
from decision_aid.domain.progress import progress
from decision_aid.domain.questionnaire import NOT_KNOWN, Answers, Question, QuestionType
from decision_aid.domain.rules import RuleSet, Status

__all__ = ["questionnaire_resource", "response_resource"]

_STATUS = {Status.DRAFT: "draft", Status.APPROVED: "active", Status.RETIRED: "retired"}
NOT_KNOWN_CODING = {
    "system": "urn:decision-aid:answer",
    "code": NOT_KNOWN,
    "display": "Not known",
}


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
        {
            "question": parent,
            "operator": operator,
            "answerCoding": _coding(rule_set, by_id[parent], option),
        }
        for parent, operator, option in form.tests
    ]
    result: dict[str, Any] = {"enableWhen": items}
    if len(items) > 1:
        result["enableBehavior"] = form.behavior
    return result


def _item(rule_set: RuleSet, question: Question) -> dict[str, Any]:
    text = question.text + (f" ({question.unit})" if question.unit else "")
    item: dict[str, Any] = {"linkId": question.id, "text": text}
    if question.type is QuestionType.NUMBER:
        item["type"] = "integer" if question.integer else "decimal"
    else:
        item["type"] = "choice"
        item["repeats"] = question.type is QuestionType.MULTIPLE
        options = [{"valueCoding": _coding(rule_set, question, o.id)} for o in question.choices]
        if question.not_known:
            options.append({"valueCoding": dict(NOT_KNOWN_CODING)})
        item["answerOption"] = options
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
        return [{"valueCoding": dict(NOT_KNOWN_CODING)}]
    value = answers[question.id]
    if question.type is QuestionType.NUMBER:
        assert isinstance(value, float)
        return [{"valueInteger": int(value)} if question.integer else {"valueDecimal": value}]
    options = value if isinstance(value, tuple) else (value,)
    return [{"valueCoding": _coding(rule_set, question, str(o))} for o in options]


def response_resource(
    rule_set: RuleSet, consultation: Consultation, answers: Answers, *, complete: bool
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
    return {
        "resourceType": "QuestionnaireResponse",
        "id": consultation.id,
        "questionnaire": f"{_canonical(rule_set)}|{rule_set.info.version}",
        "status": "completed" if complete else "in-progress",
        "authored": consultation.updated.isoformat(),
        "item": sections,
    }
