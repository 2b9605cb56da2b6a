"""FHIR exports validate against the FHIR models (R4B, the current technical correction of R4):
the questionnaire, and a consultation's Bundle of its response and the outcome."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.domain import evaluate, load_rule_set
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.engine import candidate_answers
from decision_aid.domain.progress import question_visibility
from decision_aid.domain.truth import Truth
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.interchange.fhir import (
    DATA_ABSENT_REASON,
    Subject,
    consultation_bundle,
    questionnaire_resource,
    response_resource,
)
from decision_aid.present.override import clinician_view
from tests.conftest import BUNDLED

RULES = load_rule_set(BUNDLED)
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def test_the_questionnaire_is_a_valid_fhir_questionnaire() -> None:
    resource: Any = Questionnaire.model_validate(questionnaire_resource(RULES))
    assert resource.status == "draft"
    groups = resource.item
    assert [g.linkId for g in groups] == [s.id for s in RULES.questionnaire.sections]
    items = {i.linkId: i for g in groups for i in g.item}
    assert len(items) == 27
    assert items["age"].type == "integer"
    assert items["goals"].repeats is True
    budapest = items["crps_budapest"]
    assert budapest.enableWhen[0].question == "diagnosis"
    assert budapest.enableWhen[0].answerCoding.code == "crps"
    assert "unknown" not in [o.valueCoding.code for o in items["pregnancy"].answerOption]
    yes_no = [q.id for q in RULES.questionnaire.questions() if q.type == "yes_no"]
    assert yes_no, "the bundled set has yes/no questions"
    assert {items[q].type for q in yes_no} == {"boolean"}


def test_a_consultation_is_a_valid_questionnaire_response() -> None:
    raw = read_yaml(BUNDLED / "examples" / "crps-asra.yaml")[0].data
    consultation = Consultation.new(RULES, now=NOW)
    for key, value in raw.items():
        consultation = consultation.with_answer(key, value, now=NOW)
    answers = consultation.reconcile(RULES).answers
    resource: Any = QuestionnaireResponse.model_validate(
        response_resource(RULES, consultation, answers, complete=False)
    )
    assert resource.status == "in-progress"
    assert resource.questionnaire == "urn:decision-aid:questionnaire:ketamine-chronic-pain|0.1.0"
    items = {i.linkId: i for g in resource.item for i in g.item}
    assert items["age"].answer[0].valueInteger == 46
    not_known = items["pregnancy"].answer[0]
    assert not_known.valueCoding is None, "no made-up code"
    assert [(e.url, e.valueCode) for e in not_known.extension] == [
        (DATA_ABSENT_REASON, "asked-unknown")
    ]
    booleans = [q for q in raw if RULES.questionnaire.by_id[q].type == "yes_no"]
    assert booleans
    for question_id in booleans:
        assert items[question_id].answer[0].valueBoolean is (raw[question_id] == "yes")
    assert [a.valueCoding.code for a in items["goals"].answer] == ["less_pain", "more_activity"]
    assert set(items) == set(raw)


QUESTIONS = list(RULES.questionnaire.questions())


def _raw(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


@st.composite
def consultations(draw: st.DrawFn) -> Consultation:
    """Any mix of fitting answers, Not known, and answers to questions no longer asked."""
    consultation = Consultation.new(RULES, now=NOW)
    for question in QUESTIONS:
        choices: list[object] = [None, *(_raw(v) for _, v in candidate_answers(RULES, question))]
        if question.not_known:
            choices.append("unknown")
        value = draw(st.sampled_from(choices))
        consultation = consultation.with_answer(question.id, value, now=NOW)
    for key in draw(st.lists(st.sampled_from(["gone", "old_pain", "x"]), max_size=3)):
        consultation = consultation.with_answer(key, "yes", now=NOW)
    return consultation


@settings(max_examples=150, deadline=None)
@given(consultation=consultations())
def test_every_exported_answer_is_to_a_question_that_is_asked(consultation: Consultation) -> None:
    answers = consultation.reconcile(RULES).answers
    resource = response_resource(RULES, consultation, answers, complete=False)
    exported = {i["linkId"] for g in resource["item"] for i in g["item"]}
    visibility = question_visibility(RULES, answers)
    assert exported <= set(RULES.questionnaire.by_id)
    hidden = {q for q, shown in visibility.items() if shown is Truth.FALSE}
    assert not exported & hidden, "a hidden question's answer never leaves the app"
    answered = set(answers) | answers.not_known
    certain = {q for q in answered if visibility[q] is Truth.TRUE}
    assert certain <= exported, "no answer to a question asked for certain is left out"


def test_an_answer_to_a_hidden_follow_up_is_not_exported() -> None:
    consultation = (
        Consultation.new(RULES, now=NOW)
        .with_answer("diagnosis", "crps", now=NOW)
        .with_answer("crps_budapest", "yes", now=NOW)
        .with_answer("diagnosis", "fibromyalgia", now=NOW)
    )
    answers = consultation.reconcile(RULES).answers
    assert "crps_budapest" in answers, "kept, as the window keeps it"
    resource = response_resource(RULES, consultation, answers, complete=False)
    exported = {i["linkId"] for g in resource["item"] for i in g["item"]}
    assert exported == {"diagnosis"}


def _answered(example: str) -> Consultation:
    raw = read_yaml(BUNDLED / "examples" / f"{example}.yaml")[0].data
    consultation = Consultation.new(RULES, now=NOW).with_patient_label("J. D.", now=NOW)
    for key, value in raw.items():
        consultation = consultation.with_answer(key, value, now=NOW)
    return consultation


def _bundle(consultation: Consultation, subject: Subject) -> Any:
    answers = consultation.reconcile(RULES).answers
    assessment = evaluate(RULES, answers, consultation.valid_settings(RULES))
    view = clinician_view(consultation, RULES, assessment)
    data = consultation_bundle(
        RULES, consultation, answers, assessment, view=view, complete=False, subject=subject
    )
    return Bundle.model_validate(data)


def test_the_export_is_a_bundle_of_the_response_and_the_outcome_naming_whom_it_is_about() -> None:
    consultation = _answered("crps-asra")
    answers = consultation.reconcile(RULES).answers
    assessment = evaluate(RULES, answers, consultation.valid_settings(RULES))
    consultation = consultation.with_override(
        "not_suitable_now",
        "Prefers to finish the programme.",
        clinician="Dr Ada Lovelace",
        assessment=assessment,
        now=NOW,
    )
    bundle = _bundle(consultation, Subject("MRN-0042", "J. D.", "Dr Ada Lovelace"))
    assert bundle.type == "collection"
    response, outcome = (e.resource for e in bundle.entry)
    assert response.get_resource_type() == "QuestionnaireResponse"
    assert outcome.get_resource_type() == "Observation"
    assert response.subject.identifier.value == "MRN-0042"
    assert response.subject.display == "J. D."
    assert response.author.display == "Dr Ada Lovelace"
    assert outcome.subject.identifier.value == "MRN-0042"
    assert outcome.derivedFrom[0].reference == bundle.entry[0].fullUrl
    assert outcome.valueCodeableConcept.coding[0].code == assessment.outcome.id
    method = outcome.method.coding[0]
    assert (method.version, method.code) == (RULES.info.version, RULES.digest)
    assert RULES.info.id in method.system
    view = outcome.component[0]
    assert view.code.text == "Clinician's view (override)"
    assert view.valueCodeableConcept.coding[0].code == "not_suitable_now"
    assert any("Prefers to finish the programme." in n.text for n in outcome.note)


def test_an_override_whose_answers_changed_is_exported_marked_for_review() -> None:
    consultation = _answered("crps-asra")
    answers = consultation.reconcile(RULES).answers
    assessment = evaluate(RULES, answers, consultation.valid_settings(RULES))
    changed = consultation.with_override(
        "refer_first", "Wants to talk.", clinician="Dr A", assessment=assessment, now=NOW
    ).with_answer("age", 70, now=NOW)
    outcome = _bundle(changed, Subject()).entry[1].resource
    assert outcome.component[0].code.text == (
        "Clinician's view (override): Answers changed since the override: review"
    )


def test_without_an_identifier_the_subject_is_the_label_alone() -> None:
    bundle = _bundle(_answered("crps-asra"), Subject("", "J. D.", ""))
    response = bundle.entry[0].resource
    assert response.subject.identifier is None
    assert response.subject.display == "J. D."
    assert response.author is None
    assert bundle.entry[1].resource.component is None, "no override, no clinician's view"


@settings(max_examples=60, deadline=None)
@given(consultation=consultations(), identifier=st.text(min_size=0, max_size=20))
def test_every_bundle_validates(consultation: Consultation, identifier: str) -> None:
    _bundle(consultation, Subject(identifier, consultation.patient_label, "Dr A"))
