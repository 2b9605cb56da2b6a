"""FHIR exports validate against the FHIR models (R4B, the current technical correction of R4)."""

from __future__ import annotations

from datetime import UTC, datetime

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.domain import load_rule_set
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.engine import candidate_answers
from decision_aid.domain.fhir import questionnaire_resource, response_resource
from decision_aid.domain.progress import question_visibility
from decision_aid.domain.truth import Truth
from decision_aid.domain.yamlsource import read_yaml
from tests.conftest import BUNDLED

RULES = load_rule_set(BUNDLED)
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def test_the_questionnaire_is_a_valid_fhir_questionnaire() -> None:
    resource = Questionnaire.model_validate(questionnaire_resource(RULES))
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
    assert "unknown" in [o.valueCoding.code for o in items["pregnancy"].answerOption]


def test_a_consultation_is_a_valid_questionnaire_response() -> None:
    raw = read_yaml(BUNDLED / "examples" / "crps-asra.yaml")[0].data
    consultation = Consultation.new(RULES, now=NOW)
    for key, value in raw.items():
        consultation = consultation.with_answer(key, value, now=NOW)
    answers = consultation.reconcile(RULES).answers
    resource = QuestionnaireResponse.model_validate(
        response_resource(RULES, consultation, answers, complete=False)
    )
    assert resource.status == "in-progress"
    assert resource.questionnaire == "urn:decision-aid:questionnaire:ketamine-chronic-pain|0.1.0"
    items = {i.linkId: i for g in resource.item for i in g.item}
    assert items["age"].answer[0].valueInteger == 46
    assert items["pregnancy"].answer[0].valueCoding.code == "unknown"
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
