"""``not_in``, end to end: checked, evaluated, explained, compiled, tried, mutated, exported.

It is the operator added through the condition registry alone (its module in
``decision_aid/domain/conditions/``); the registry tests run it through every facet with
generated conditions, and tests/authoring/test_verify_conditions.py through the solver.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from decision_aid.authoring.mutate import mutants
from decision_aid.domain import Answers, evaluate, load_rule_set
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.truth import Truth
from decision_aid.interchange.fhir import questionnaire_resource
from tests.domain.condition_strategies import CONDITION, RULES
from tests.domain.test_loading import edit, problems_of

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
NOT_A_OR_B = {"question": "diagnosis", "not_in": ["a", "b"]}
PREGNANCY_NOT_YES = {"question": "pregnant", "not_in": ["yes"]}


@pytest.mark.parametrize(
    ("note", "raw", "answers", "expected"),
    [
        ("another answer", NOT_A_OR_B, Answers({"diagnosis": "other"}), T),
        ("a listed answer", NOT_A_OR_B, Answers({"diagnosis": "b"}), F),
        ("unanswered", NOT_A_OR_B, Answers(), U),
        ("not known", NOT_A_OR_B, Answers({}, frozenset({"diagnosis"})), U),
        ("not asked", PREGNANCY_NOT_YES, Answers({"sex": "male", "pregnant": "no"}), F),
        ("asked", PREGNANCY_NOT_YES, Answers({"sex": "female", "pregnant": "no"}), T),
        ("maybe asked, listed", PREGNANCY_NOT_YES, Answers({"pregnant": "yes"}), F),
        ("maybe asked, not listed", PREGNANCY_NOT_YES, Answers({"pregnant": "no"}), U),
    ],
)
def test_not_in_in_three_valued_logic(
    note: str, raw: dict[str, object], answers: Answers, expected: Truth
) -> None:
    condition = CONDITION.validate_python(raw)
    assert condition.truth(AnswerContext(RULES.questionnaire, answers)) is expected, note


def test_not_in_is_not_the_same_as_not_in_on_a_question_not_asked() -> None:
    answers = Answers({"sex": "male", "pregnant": "no"})
    context = AnswerContext(RULES.questionnaire, answers)
    negated = CONDITION.validate_python({"not": {"question": "pregnant", "in": ["yes"]}})
    assert negated.truth(context) is T
    assert CONDITION.validate_python(PREGNANCY_NOT_YES).truth(context) is F


def test_not_in_in_words() -> None:
    words = CONDITION.validate_python(NOT_A_OR_B).words(RULES.questionnaire)
    assert words == "Diagnosis is none of \u201cCondition A\u201d and \u201cCondition B\u201d"
    one = CONDITION.validate_python({"question": "diagnosis", "not_in": ["a"]})
    assert one.words(RULES.questionnaire) == "Diagnosis is not \u201cCondition A\u201d"


RULE = "    when: {question: diagnosis, is: other}"


def test_a_rule_with_not_in_decides_and_explains_itself(mini_copy: Path) -> None:
    edit(mini_copy / "rules" / "main.yaml", RULE, "    when: {question: diagnosis, not_in: [a, b]}")
    rule_set = load_rule_set(mini_copy)
    answers = Answers({"diagnosis": "other", "tried": "yes", "sex": "male", "risk": "none"})
    result = evaluate(rule_set, answers.with_answer("age", 40.0))
    assert result.outcome.id == "check"
    trace = {t.rule_id: t for t in result.trace}
    assert trace["r-other"].value is T
    explanation = result.explanation("r-other")
    assert explanation is not None
    assert list(explanation.lines()) == [
        "Diagnosis is none of \u201cCondition A\u201d and \u201cCondition B\u201d "
        "(answer: Something else): true"
    ]
    unanswered = evaluate(rule_set, answers.without("diagnosis").with_answer("age", 40.0))
    assert unanswered.outcome.id == "check"
    (item,) = unanswered.missing
    assert item.changes == (("Condition A", "go"), ("Condition B", "careful"))


def test_check_names_an_unknown_option_and_a_type_that_does_not_fit(mini_copy: Path) -> None:
    rules = mini_copy / "rules" / "main.yaml"
    edit(rules, RULE, "    when: {question: diagnosis, not_in: [a, othr]}")
    assert problems_of(mini_copy) == [
        "rules/main.yaml:23:45: error[unknown-option]: 'othr' is not an option of 'diagnosis' "
        "(options: a, b, other); did you mean 'other'?"
    ]
    edit(
        rules,
        "    when: {question: diagnosis, not_in: [a, othr]}",
        "    when: {question: goals, not_in: [pain]}",
    )
    assert problems_of(mini_copy) == [
        "rules/main.yaml:23:37: error[operator-mismatch]: 'not_in' does not fit multiple "
        "question 'goals'; use includes"
    ]


def test_mutation_drops_each_option(mini_copy: Path) -> None:
    edit(mini_copy / "rules" / "main.yaml", RULE, "    when: {question: diagnosis, not_in: [a, b]}")
    rule_set = load_rule_set(mini_copy)
    dropped = [
        (m.description, m.path)
        for m in mutants(rule_set, {"r-other"})
        if m.operator == "drop-option"
    ]
    assert dropped == [
        ("'a' dropped from 'not_in'", ("when", "not_in", 0)),
        ("'b' dropped from 'not_in'", ("when", "not_in", 1)),
    ]


def test_fhir_exports_it_as_not_equals_all(mini_copy: Path) -> None:
    edit(
        mini_copy / "questionnaire.yaml",
        "show_when: {question: sex, is: female}",
        "show_when: {question: sex, not_in: [male]}",
    )
    resource = questionnaire_resource(load_rule_set(mini_copy))
    Questionnaire.model_validate(resource)  # a valid FHIR Questionnaire
    items = {i["linkId"]: i for g in resource["item"] for i in g["item"]}
    (test,) = items["pregnant"]["enableWhen"]
    assert (test["question"], test["operator"], test["answerCoding"]["code"]) == (
        "sex",
        "!=",
        "male",
    )
